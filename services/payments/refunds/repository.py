"""All SQL of refunds, check requests and released deposits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as
from services.payments.refunds.domain import Refund

_COLUMNS = ("id, account_id, account_number, amount, source, reason, status, requested_by, "
            "requested_role, idempotency_key, deposit_event_id, approved_by, approved_at, "
            "rejected_by, rejection_reason, check_request_id, issued_on, ledger_posted, "
            "voided_by, void_reason, voided_at, created_at")


@dataclass(frozen=True, slots=True)
class NewRefund:
    id: uuid.UUID
    account_id: uuid.UUID
    account_number: str
    amount: Decimal
    source: str
    reason: str
    requested_by: str
    requested_role: str
    idempotency_key: str | None
    deposit_event_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class CheckRequest:
    id: uuid.UUID
    requested_by: str
    idempotency_key: str
    refund_count: int
    total: Decimal
    filename: str
    content: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DepositRelease:
    deposit_event_id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal | None
    method: str | None
    reason: str | None
    ledger_entry_id: uuid.UUID | None
    status: str
    refund_id: uuid.UUID | None
    created_at: datetime
    decided_at: datetime | None


async def lock_account(s: AsyncSession, account_id: uuid.UUID) -> None:
    """Serialise the decisions on one account's credit until the transaction ends."""
    await s.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 7))"),
                    {"k": f"refund-credit:{account_id}"})


async def lock_export(s: AsyncSession) -> None:
    """One check-request export at a time: a refund goes into exactly one."""
    await s.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('refund-export', 7))"))


async def insert(s: AsyncSession, r: NewRefund) -> None:
    await s.execute(text(
        "INSERT INTO refunds (id, account_id, account_number, amount, source, reason, status, "
        "requested_by, requested_role, idempotency_key, deposit_event_id) VALUES (:id, "
        ":account_id, :account_number, :amount, :source, :reason, 'pending', :requested_by, "
        ":requested_role, :idempotency_key, :deposit_event_id)"),
        {f: getattr(r, f) for f in NewRefund.__dataclass_fields__})


async def get(s: AsyncSession, refund_id: uuid.UUID, lock: bool = False) -> Refund | None:
    return first_as(Refund, await s.execute(text(
        f"SELECT {_COLUMNS} FROM refunds WHERE id = :id" + (" FOR UPDATE" if lock else "")),
        {"id": refund_id}))


async def by_key(s: AsyncSession, requested_by: str, key: str) -> Refund | None:
    return first_as(Refund, await s.execute(text(
        f"SELECT {_COLUMNS} FROM refunds WHERE requested_by = :w AND idempotency_key = :k"),
        {"w": requested_by, "k": key}))


async def claimed(s: AsyncSession, account_ids: list[uuid.UUID],
                  besides: uuid.UUID | None = None) -> dict[str, Decimal]:
    """Per account: refunds that claim its credit and are not yet in billing's balance
    (waiting, approved, or issued but billing's `refund` entry not seen yet)."""
    return {r.a: Decimal(r.total) for r in (await s.execute(text(
        "SELECT account_id::text AS a, sum(amount) AS total FROM refunds "
        "WHERE account_id = ANY(CAST(:a AS uuid[])) "
        "AND (status IN ('pending', 'approved') OR (status = 'issued' AND NOT ledger_posted)) "
        "AND (CAST(:x AS uuid) IS NULL OR id <> :x) GROUP BY account_id"),
        {"a": account_ids, "x": besides})).all()}


async def issued_unposted(s: AsyncSession, account_ids: list[uuid.UUID]) -> dict[str, Decimal]:
    """Per account: refunds issued whose `refund` entry billing has not announced yet."""
    return {r.a: Decimal(r.total) for r in (await s.execute(text(
        "SELECT account_id::text AS a, sum(amount) AS total FROM refunds "
        "WHERE account_id = ANY(CAST(:a AS uuid[])) AND status = 'issued' "
        "AND NOT ledger_posted GROUP BY account_id"), {"a": account_ids})).all()}


async def approve(s: AsyncSession, refund_id: uuid.UUID, approver: str) -> None:
    await s.execute(text(
        "UPDATE refunds SET status = 'approved', approved_by = :w, approved_at = clock_timestamp() "
        "WHERE id = :id AND status = 'pending'"), {"id": refund_id, "w": approver})


async def reject(s: AsyncSession, refund_id: uuid.UUID, who: str, reason: str) -> None:
    await s.execute(text(
        "UPDATE refunds SET status = 'rejected', rejected_by = :w, rejection_reason = :r "
        "WHERE id = :id AND status IN ('pending', 'approved')"),
        {"id": refund_id, "w": who, "r": reason})


async def void(s: AsyncSession, refund_id: uuid.UUID, who: str, reason: str) -> None:
    await s.execute(text(
        "UPDATE refunds SET status = 'voided', voided_by = :w, void_reason = :r, "
        "voided_at = now() WHERE id = :id AND status = 'issued'"),
        {"id": refund_id, "w": who, "r": reason})


async def approved_unexported(s: AsyncSession) -> list[Refund]:
    return all_as(Refund, await s.execute(text(
        f"SELECT {_COLUMNS} FROM refunds WHERE status = 'approved' "
        f"ORDER BY approved_at, id FOR UPDATE")))


async def mark_issued(s: AsyncSession, ids: list[uuid.UUID], check_request_id: uuid.UUID,
                      on: date) -> None:
    await s.execute(text(
        "UPDATE refunds SET status = 'issued', check_request_id = :c, issued_on = :on "
        "WHERE id = ANY(CAST(:ids AS uuid[])) AND status = 'approved'"),
        {"ids": ids, "c": check_request_id, "on": on})


async def mark_ledger_posted(s: AsyncSession, refund_id: uuid.UUID) -> None:
    await s.execute(text("UPDATE refunds SET ledger_posted = true WHERE id = :id"),
                    {"id": refund_id})


async def listing(s: AsyncSession, account_id: uuid.UUID | None, status: str | None,
                  check_request_id: uuid.UUID | None, limit: int) -> list[Refund]:
    return all_as(Refund, await s.execute(text(
        f"SELECT {_COLUMNS} FROM refunds WHERE (CAST(:a AS uuid) IS NULL OR account_id = :a) "
        f"AND (CAST(:st AS text) IS NULL OR status = :st) "
        f"AND (CAST(:c AS uuid) IS NULL OR check_request_id = :c) "
        f"ORDER BY created_at, id LIMIT :n"),
        {"a": account_id, "st": status, "c": check_request_id, "n": limit}))


# ---- check requests -------------------------------------------------------------------------

async def insert_check_request(s: AsyncSession, c: CheckRequest) -> None:
    await s.execute(text(
        "INSERT INTO check_requests (id, requested_by, idempotency_key, refund_count, total, "
        "filename, content) VALUES (:id, :requested_by, :idempotency_key, :refund_count, "
        ":total, :filename, :content)"),
        {"id": c.id, "requested_by": c.requested_by, "idempotency_key": c.idempotency_key,
         "refund_count": c.refund_count, "total": c.total, "filename": c.filename,
         "content": c.content})


async def check_request(s: AsyncSession, check_request_id: uuid.UUID) -> CheckRequest | None:
    return first_as(CheckRequest, await s.execute(text(
        "SELECT * FROM check_requests WHERE id = :id"), {"id": check_request_id}))


async def check_request_by_key(s: AsyncSession, requested_by: str,
                               key: str) -> CheckRequest | None:
    return first_as(CheckRequest, await s.execute(text(
        "SELECT * FROM check_requests WHERE requested_by = :w AND idempotency_key = :k"),
        {"w": requested_by, "k": key}))


async def check_requests(s: AsyncSession, limit: int) -> list[CheckRequest]:
    return all_as(CheckRequest, await s.execute(text(
        "SELECT * FROM check_requests ORDER BY created_at DESC, id LIMIT :n"), {"n": limit}))


async def refund_ids_of(s: AsyncSession, check_request_ids: list[uuid.UUID]
                        ) -> dict[uuid.UUID, list[uuid.UUID]]:
    out: dict[uuid.UUID, list[uuid.UUID]] = {c: [] for c in check_request_ids}
    for r in (await s.execute(text(
            "SELECT check_request_id, id FROM refunds "
            "WHERE check_request_id = ANY(CAST(:c AS uuid[])) ORDER BY approved_at, id"),
            {"c": check_request_ids})).all():
        out[r[0]].append(r[1])
    return out


# ---- released deposits ----------------------------------------------------------------------

_RELEASE = ("deposit_event_id, account_id, amount, method, reason, ledger_entry_id, status, "
            "refund_id, created_at, decided_at")


async def deposit_released(s: AsyncSession, event_id: uuid.UUID, account_id: uuid.UUID,
                           amount: Decimal, method: str, reason: str | None) -> DepositRelease:
    """Accounts' half (`DepositDueForRefund`); the row is locked until the transaction ends, so
    billing's half arriving at once waits and then sees it."""
    r = first_as(DepositRelease, await s.execute(text(
        f"INSERT INTO deposit_releases (deposit_event_id, account_id, amount, method, reason, "
        f"status) VALUES (:e, :a, :m, :meth, :r, 'awaiting_ledger') "
        f"ON CONFLICT (deposit_event_id) DO UPDATE SET amount = excluded.amount, "
        f"method = excluded.method, reason = excluded.reason RETURNING {_RELEASE}"),
        {"e": event_id, "a": account_id, "m": amount, "meth": method, "r": reason}))
    assert r is not None  # inserted or updated
    return r


async def deposit_applied(s: AsyncSession, event_id: uuid.UUID, account_id: uuid.UUID,
                          entry_id: uuid.UUID) -> DepositRelease:
    """Billing's half (its `deposit_applied` entry)."""
    r = first_as(DepositRelease, await s.execute(text(
        f"INSERT INTO deposit_releases (deposit_event_id, account_id, ledger_entry_id, status) "
        f"VALUES (:e, :a, :le, 'awaiting_deposit') ON CONFLICT (deposit_event_id) DO UPDATE "
        f"SET ledger_entry_id = excluded.ledger_entry_id RETURNING {_RELEASE}"),
        {"e": event_id, "a": account_id, "le": entry_id}))
    assert r is not None  # inserted or updated
    return r


async def decide_release(s: AsyncSession, event_id: uuid.UUID, status: str,
                         refund_id: uuid.UUID | None) -> None:
    await s.execute(text(
        "UPDATE deposit_releases SET status = :st, refund_id = :r, decided_at = now() "
        "WHERE deposit_event_id = :e"), {"e": event_id, "st": status, "r": refund_id})


async def releases(s: AsyncSession, account_id: uuid.UUID | None, status: str | None,
                   limit: int) -> list[DepositRelease]:
    return all_as(DepositRelease, await s.execute(text(
        f"SELECT {_RELEASE} FROM deposit_releases WHERE "
        f"(CAST(:a AS uuid) IS NULL OR account_id = :a) "
        f"AND (CAST(:st AS text) IS NULL OR status = :st) ORDER BY created_at, deposit_event_id "
        f"LIMIT :n"), {"a": account_id, "st": status, "n": limit}))
