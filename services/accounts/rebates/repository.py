"""All SQL for rebate applications and the check requests handed to accounts payable (reads
join the account, customer and premise for names; only this feature writes its table)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.csvexport import Export
from services.accounts.common import as_model_or_none, as_models
from services.accounts.rebates.schemas import ApplicationOut, CheckRequest


def _one_line(col: str) -> str:
    return (f"concat_ws(' ', {col}->>'line1', {col}->>'line2', {col}->>'city', "
            f"{col}->>'state', {col}->>'postal_code')")


_SELECT = f"""
SELECT r.id, r.account_id, a.number AS account_number, c.name AS customer_name, r.premise_id,
       {_one_line('p.address')} AS premise_address, r.programme, r.units, r.amount, r.payment,
       r.status, r.received_on, r.installed_on, r.note, r.requested_by, r.decided_by,
       r.decided_on, r.reason, r.letter_id, r.form_ids, r.check_batch, r.created_at
FROM rebate_applications r
JOIN accounts a ON a.id = r.account_id
JOIN customers c ON c.id = a.customer_id
JOIN premises p ON p.id = r.premise_id
"""

_CHECKS = f"""
SELECT r.id AS application_id, a.number AS account_number, c.name AS payee,
       {_one_line('a.mailing_address')} AS mailing_address, r.programme, r.amount,
       r.decided_on AS approved_on, r.decided_by AS approved_by, r.check_batch
FROM rebate_applications r
JOIN accounts a ON a.id = r.account_id
JOIN customers c ON c.id = a.customer_id
WHERE r.status = 'approved' AND r.payment = 'check'
"""


async def add(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert an application; False when a live one for its premise and programme exists
    (the partial unique index decides, so two clerks at once cannot both succeed)."""
    return (await session.execute(text(
        "INSERT INTO rebate_applications (id, account_id, premise_id, programme, units, amount, "
        "payment, status, received_on, installed_on, note, requested_by, decided_by, "
        "decided_on, reason, letter_id) VALUES (:id, :account_id, :premise_id, :programme, "
        ":units, :amount, :payment, :status, :received_on, :installed_on, :note, "
        ":requested_by, :decided_by, :decided_on, :reason, :letter_id) "
        "ON CONFLICT (premise_id, programme) WHERE status <> 'denied' DO NOTHING RETURNING id"),
        values)).first() is not None


async def live_status(session: AsyncSession, premise_id: uuid.UUID,
                      programme: str) -> str | None:
    """The status of the live (pending or approved) application for premise and programme."""
    found = (await session.execute(text(
        "SELECT status FROM rebate_applications WHERE premise_id = :p AND programme = :g "
        "AND status <> 'denied'"), {"p": premise_id, "g": programme})).scalar_one_or_none()
    return None if found is None else str(found)


async def get(session: AsyncSession, app_id: uuid.UUID,
              lock: bool = False) -> ApplicationOut | None:
    if lock:
        await session.execute(text(
            "SELECT 1 FROM rebate_applications WHERE id = :id FOR UPDATE"), {"id": app_id})
    return as_model_or_none(ApplicationOut, (await session.execute(
        text(f"{_SELECT} WHERE r.id = :id"), {"id": app_id})).first())


async def listing(session: AsyncSession, status: str | None, account_id: uuid.UUID | None,
                  programme: str | None, limit: int) -> list[ApplicationOut]:
    return as_models(ApplicationOut, (await session.execute(text(
        f"{_SELECT} WHERE (CAST(:s AS text) IS NULL OR r.status = :s) "
        "AND (CAST(:a AS uuid) IS NULL OR r.account_id = :a) "
        "AND (CAST(:g AS text) IS NULL OR r.programme = :g) "
        "ORDER BY r.created_at DESC, r.id LIMIT :n"),
        {"s": status, "a": account_id, "g": programme, "n": limit})).all())


async def decide(session: AsyncSession, app_id: uuid.UUID, status: str, who: str, on: date,
                 reason: str | None, letter_id: uuid.UUID) -> None:
    await session.execute(text(
        "UPDATE rebate_applications SET status = :st, decided_by = :w, decided_on = :d, "
        "reason = :r, letter_id = :l WHERE id = :id AND status = 'pending'"),
        {"id": app_id, "st": status, "w": who, "d": on, "r": reason, "l": letter_id})


async def add_form(session: AsyncSession, app_id: uuid.UUID, document_id: uuid.UUID) -> None:
    await session.execute(text(
        "UPDATE rebate_applications SET form_ids = array_append(form_ids, :d) "
        "WHERE id = :id AND NOT (:d = ANY (form_ids))"), {"id": app_id, "d": document_id})


async def check_requests(session: AsyncSession,
                         batch: uuid.UUID | None) -> list[CheckRequest]:
    """A batch's check requests, or (no batch) those not yet handed over."""
    export = check_requests_export(batch)
    return as_models(CheckRequest, (await session.execute(
        export.statement, dict(export.params))).all())


def check_requests_export(batch: uuid.UUID | None) -> Export:
    where = "r.check_batch = :b" if batch else "r.check_batch IS NULL"
    name = f"rebate-checks-{batch}.csv" if batch else "rebate-checks-open.csv"
    return Export(text(f"{_CHECKS} AND {where} ORDER BY r.decided_on, a.number"),
                  {"b": batch} if batch else {}, name)


async def batch_checks(session: AsyncSession, batch: uuid.UUID) -> int:
    """Hand every open check request to accounts payable under `batch` (each once)."""
    result = await session.execute(text(
        "UPDATE rebate_applications SET check_batch = :b, check_batched_at = now() "
        "WHERE status = 'approved' AND payment = 'check' AND check_batch IS NULL"),
        {"b": batch})
    return int(getattr(result, "rowcount", 0) or 0)
