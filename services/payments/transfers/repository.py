"""All SQL of transfers."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as
from services.payments.transfers.domain import Transfer

_COLUMNS = ("id, payment_id, receipt_number, from_account_id, from_number, to_account_id, "
            "to_number, amount, reason, status, requested_by, requested_role, idempotency_key, "
            "approved_by, rejected_by, rejection_reason, transferred_on, created_at, decided_at")


async def lock_payment(s: AsyncSession, payment_id: uuid.UUID) -> None:
    """Serialise the transfers of one payment until the transaction ends, so two requests at
    once never both claim its last dollars."""
    await s.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 7))"),
                    {"k": f"payment-transfer:{payment_id}"})


async def by_key(s: AsyncSession, requested_by: str, key: str) -> Transfer | None:
    return first_as(Transfer, await s.execute(text(
        f"SELECT {_COLUMNS} FROM transfers WHERE requested_by = :w AND idempotency_key = :k"),
        {"w": requested_by, "k": key}))


async def claimed(s: AsyncSession, payment_id: uuid.UUID,
                  besides: uuid.UUID | None = None) -> Decimal:
    """What transfers applied or waiting for approval claim of the payment."""
    return Decimal((await s.execute(text(
        "SELECT coalesce(sum(amount), 0) FROM transfers WHERE payment_id = :p "
        "AND status IN ('pending', 'transferred') AND (CAST(:x AS uuid) IS NULL OR id <> :x)"),
        {"p": payment_id, "x": besides})).scalar_one())


async def insert(s: AsyncSession, t: Transfer) -> None:
    await s.execute(text(
        "INSERT INTO transfers (id, payment_id, receipt_number, from_account_id, from_number, "
        "to_account_id, to_number, amount, reason, status, requested_by, requested_role, "
        "idempotency_key) VALUES (:id, :payment_id, :receipt_number, :from_account_id, "
        ":from_number, :to_account_id, :to_number, :amount, :reason, 'pending', "
        ":requested_by, :requested_role, :idempotency_key)"),
        {"id": t.id, "payment_id": t.payment_id, "receipt_number": t.receipt_number,
         "from_account_id": t.from_account_id, "from_number": t.from_number,
         "to_account_id": t.to_account_id, "to_number": t.to_number, "amount": t.amount,
         "reason": t.reason, "requested_by": t.requested_by,
         "requested_role": t.requested_role, "idempotency_key": t.idempotency_key})


async def get(s: AsyncSession, transfer_id: uuid.UUID, lock: bool = False) -> Transfer | None:
    return first_as(Transfer, await s.execute(text(
        f"SELECT {_COLUMNS} FROM transfers WHERE id = :id" + (" FOR UPDATE" if lock else "")),
        {"id": transfer_id}))


async def mark_transferred(s: AsyncSession, transfer_id: uuid.UUID, approver: str,
                           on: date) -> Transfer:
    t = first_as(Transfer, await s.execute(text(
        f"UPDATE transfers SET status = 'transferred', approved_by = :ap, transferred_on = :on, "
        f"decided_at = now() WHERE id = :id AND status = 'pending' RETURNING {_COLUMNS}"),
        {"id": transfer_id, "ap": approver, "on": on}))
    assert t is not None  # the caller holds the row, pending
    return t


async def mark_rejected(s: AsyncSession, transfer_id: uuid.UUID, who: str, reason: str) -> None:
    await s.execute(text(
        "UPDATE transfers SET status = 'rejected', rejected_by = :w, rejection_reason = :r, "
        "decided_at = now() WHERE id = :id AND status = 'pending'"),
        {"id": transfer_id, "w": who, "r": reason})


async def listing(s: AsyncSession, account_id: uuid.UUID | None, payment_id: uuid.UUID | None,
                  status: str | None, limit: int) -> list[Transfer]:
    return all_as(Transfer, await s.execute(text(
        f"SELECT {_COLUMNS} FROM transfers WHERE "
        f"(CAST(:a AS uuid) IS NULL OR from_account_id = :a OR to_account_id = :a) "
        f"AND (CAST(:p AS uuid) IS NULL OR payment_id = :p) "
        f"AND (CAST(:st AS text) IS NULL OR status = :st) "
        f"ORDER BY created_at, id LIMIT :n"),
        {"a": account_id, "p": payment_id, "st": status, "n": limit}))


async def mark_out_posted(s: AsyncSession, transfer_id: uuid.UUID) -> None:
    await s.execute(text("UPDATE transfers SET out_posted = true WHERE id = :id"),
                    {"id": transfer_id})


async def unposted_out(s: AsyncSession, account_ids: list[uuid.UUID]) -> dict[str, Decimal]:
    """Per account: transfers out of it (waiting, or applied but billing's `transfer_out` not
    yet in the announced balance)."""
    return {r.a: Decimal(r.total) for r in (await s.execute(text(
        "SELECT from_account_id::text AS a, sum(amount) AS total FROM transfers "
        "WHERE from_account_id = ANY(CAST(:a AS uuid[])) AND NOT out_posted "
        "AND status IN ('pending', 'transferred') GROUP BY from_account_id"),
        {"a": account_ids})).all()}
