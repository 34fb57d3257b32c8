"""All SQL of lockbox imports and the suspense queue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.payments.lockbox.domain import FileIdentity, LockboxPayment

_IMPORT = ("id, content_hash, fingerprint, bank_key, layout, origin, file_id, created, "
           "line_count, total, posted_count, posted_total, suspense_count, suspense_total, "
           "imported_by, imported_at")
_SUSPENSE = ("id, import_id, line_key, line_no, batch, item, deposit_date, reason, amount, "
             "account_as_read, check_number, routing, last4, remitter_key, status, payment_id, "
             "resolved_by, resolved_at, note")


@dataclass(frozen=True, slots=True)
class Import:
    id: uuid.UUID
    content_hash: str
    fingerprint: str
    bank_key: str | None
    layout: str
    origin: str
    file_id: str
    created: date
    line_count: int
    total: Decimal
    posted_count: int
    posted_total: Decimal
    suspense_count: int
    suspense_total: Decimal
    imported_by: str
    imported_at: datetime

    @property
    def identity(self) -> FileIdentity:
        return FileIdentity(origin=self.origin, destination="", file_id=self.file_id,
                            created=self.created, content_hash=self.content_hash,
                            fingerprint=self.fingerprint)


@dataclass(frozen=True, slots=True)
class Suspense:
    id: uuid.UUID
    import_id: uuid.UUID
    line_key: str
    line_no: int
    batch: int
    item: int
    deposit_date: date
    reason: str
    amount: Decimal
    account_as_read: str
    check_number: str
    routing: str | None
    last4: str | None
    remitter_key: str | None
    status: str
    payment_id: uuid.UUID | None
    resolved_by: str | None
    resolved_at: datetime | None
    note: str | None


async def lock_identities(s: AsyncSession, identity: FileIdentity) -> None:
    """Two imports of one file serialise here (transaction-scoped advisory lock on the
    fingerprint), so the second sees the first's row instead of failing on the unique index."""
    await s.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:f, 7301))"),
                    {"f": identity.fingerprint})


async def matching(s: AsyncSession, identity: FileIdentity) -> Import | None:
    """An earlier import sharing any of the three identities (duplicates before conflicts)."""
    r = (await s.execute(text(
        f"SELECT {_IMPORT} FROM lockbox_imports WHERE content_hash = :c OR fingerprint = :f "
        f"OR bank_key = :b ORDER BY (content_hash = :c OR fingerprint = :f) DESC LIMIT 1"),
        {"c": identity.content_hash, "f": identity.fingerprint,
         "b": identity.bank_key})).first()
    return None if r is None else Import(*r)


async def insert_import(s: AsyncSession, identity: FileIdentity, layout: str, line_count: int,
                        total: Decimal, posted: tuple[int, Decimal],
                        held: tuple[int, Decimal], who: str) -> Import:
    r = (await s.execute(text(
        f"INSERT INTO lockbox_imports (id, content_hash, fingerprint, bank_key, layout, origin, "
        f"file_id, created, line_count, total, posted_count, posted_total, suspense_count, "
        f"suspense_total, imported_by) VALUES (gen_random_uuid(), :c, :f, :b, :layout, :o, "
        f":fid, :cr, :n, :t, :pn, :pt, :sn, :st, :w) RETURNING {_IMPORT}"),
        {"c": identity.content_hash, "f": identity.fingerprint, "b": identity.bank_key,
         "layout": layout, "o": identity.origin, "fid": identity.file_id,
         "cr": identity.created, "n": line_count, "t": total, "pn": posted[0], "pt": posted[1],
         "sn": held[0], "st": held[1], "w": who})).one()
    return Import(*r)


async def get_import(s: AsyncSession, import_id: uuid.UUID) -> Import | None:
    r = (await s.execute(text(f"SELECT {_IMPORT} FROM lockbox_imports WHERE id = :id"),
                         {"id": import_id})).first()
    return None if r is None else Import(*r)


async def file_suspense(s: AsyncSession, import_id: uuid.UUID,
                        held: list[LockboxPayment]) -> None:
    """All of a file's unmatched lines in one INSERT."""
    if not held:
        return
    await s.execute(text(
        "INSERT INTO lockbox_suspense (id, import_id, line_key, line_no, batch, item, "
        "deposit_date, reason, amount, account_as_read, check_number, routing, last4, "
        "remitter_key) SELECT gen_random_uuid(), :imp, l.* FROM unnest("
        "CAST(:keys AS text[]), CAST(:lines AS int[]), CAST(:batches AS int[]), "
        "CAST(:items AS int[]), CAST(:dates AS date[]), CAST(:reasons AS text[]), "
        "CAST(:amounts AS numeric[]), CAST(:read AS text[]), CAST(:checks AS text[]), "
        "CAST(:routing AS text[]), CAST(:last4 AS text[]), CAST(:rkeys AS text[])) AS l"),
        {"imp": import_id, "keys": [p.idempotency_key for p in held],
         "lines": [p.line_no for p in held], "batches": [p.batch for p in held],
         "items": [p.item for p in held], "dates": [p.deposit_date for p in held],
         "reasons": [str(p.reason) for p in held], "amounts": [p.amount for p in held],
         "read": [p.account_as_read for p in held],
         "checks": [p.check_number for p in held],
         "routing": [p.remitter.routing if p.remitter else None for p in held],
         "last4": [p.remitter.last4 if p.remitter else None for p in held],
         "rkeys": [p.remitter.key if p.remitter else None for p in held]})


async def suspense(s: AsyncSession, status: str | None, limit: int) -> list[Suspense]:
    return [Suspense(*r) for r in (await s.execute(text(
        f"SELECT {_SUSPENSE} FROM lockbox_suspense WHERE (CAST(:st AS text) IS NULL OR "
        f"status = :st) ORDER BY deposit_date, line_key LIMIT :n"),
        {"st": status, "n": limit})).all()]


async def suspense_line(s: AsyncSession, line_id: uuid.UUID, lock: bool = False
                        ) -> Suspense | None:
    r = (await s.execute(text(
        f"SELECT {_SUSPENSE} FROM lockbox_suspense WHERE id = :id"
        + (" FOR UPDATE" if lock else "")), {"id": line_id})).first()
    return None if r is None else Suspense(*r)


async def close_line(s: AsyncSession, line_id: uuid.UUID, status: str, who: str,
                     note: str | None, payment_id: uuid.UUID | None) -> Suspense:
    r = (await s.execute(text(
        f"UPDATE lockbox_suspense SET status = :st, resolved_by = :w, resolved_at = now(), "
        f"note = :n, payment_id = :p WHERE id = :id AND status = 'open' RETURNING {_SUSPENSE}"),
        {"id": line_id, "st": status, "w": who, "n": note, "p": payment_id})).one()
    return Suspense(*r)
