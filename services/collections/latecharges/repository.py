"""All SQL of late charges: the charges (written once per bill and step, with their
`collections.LateChargeAssessed`, in one statement for the district) and their reversals."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.outbox import publish_batch
from kernel.outbox_after import publishing_after
from kernel.rows import all_as, first_as
from services.collections.latecharges.domain import Charge

# Charges already assessed (same notice id: same bill and step) are skipped, and only what was
# inserted now is announced: exactly once under retries and two daily jobs at once.
_ASSESS = publishing_after(
    "ins AS (INSERT INTO late_charges (notice_id, account_id, bill_id, step, amount, "
    "assessed_on, waived_interest) SELECT * FROM unnest(CAST(:ids AS uuid[]), "
    "CAST(:accounts AS uuid[]), CAST(:bills AS uuid[]), CAST(:steps AS text[]), "
    "CAST(:amounts AS text[])::numeric[], CAST(:ons AS date[]), "
    "CAST(:waived AS text[])::numeric[]) ON CONFLICT DO NOTHING "
    "RETURNING notice_id, account_id, amount, assessed_on, waived_interest)",
    "SELECT gen_random_uuid() AS event_id, 'collections.LateChargeAssessed' AS type, "
    "1 AS version, 'account:' || x.account_id AS key, jsonb_build_object("
    "'account_id', x.account_id, 'amount', x.amount::text, 'assessed_on', x.assessed_on, "
    "'notice_id', x.notice_id, 'waived_interest', x.waived_interest::text) AS payload, "
    "x.notice_id::text AS ord FROM ins x")


async def assess(s: AsyncSession, charges: list[Charge], actor: str) -> int:
    if not charges:
        return 0
    return await publish_batch(s, _ASSESS, {
        "ids": [c.notice_id for c in charges], "accounts": [c.account_id for c in charges],
        "bills": [c.bill_id for c in charges], "steps": [c.step for c in charges],
        "amounts": [str(c.amount) for c in charges], "ons": [c.assessed_on for c in charges],
        "waived": [str(c.waived_interest) for c in charges],
    }, actor)


@dataclass(frozen=True, slots=True)
class ChargeRow:
    notice_id: uuid.UUID
    account_id: uuid.UUID
    bill_id: uuid.UUID
    step: str
    amount: Decimal
    assessed_on: date
    reversal_id: uuid.UUID | None
    reversal_status: str | None
    reversed_amount: Decimal | None


_CHARGES = ("SELECT c.notice_id, c.account_id, c.bill_id, c.step, c.amount, c.assessed_on, "
            "r.id AS reversal_id, r.status AS reversal_status, r.amount AS reversed_amount "
            "FROM late_charges c LEFT JOIN late_charge_reversals r "
            "ON r.notice_id = c.notice_id AND r.status <> 'rejected' ")


async def charges_of(s: AsyncSession, account_id: uuid.UUID) -> list[ChargeRow]:
    return all_as(ChargeRow, await s.execute(text(
        _CHARGES + "WHERE c.account_id = :a ORDER BY c.assessed_on, c.notice_id"),
        {"a": account_id}))


async def charge(s: AsyncSession, notice_id: uuid.UUID, lock: bool = False) -> ChargeRow | None:
    if lock:  # a second request for the same charge waits here, then sees the first
        await s.execute(text("SELECT 1 FROM late_charges WHERE notice_id = :n FOR UPDATE"),
                        {"n": notice_id})
    return first_as(ChargeRow, await s.execute(text(_CHARGES + "WHERE c.notice_id = :n"),
                                               {"n": notice_id}))


@dataclass(frozen=True, slots=True)
class Reversal:
    id: uuid.UUID
    notice_id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal
    reason: str
    status: str
    requested_by: str
    requested_role: str
    requested_on: date
    decided_by: str | None
    decided_on: date | None
    decision_note: str | None


async def insert_reversal(s: AsyncSession, r: dict[str, object]) -> None:
    await s.execute(text(
        "INSERT INTO late_charge_reversals (id, notice_id, account_id, amount, reason, status, "
        "requested_by, requested_role, requested_on) VALUES (:id, :notice_id, :account_id, "
        ":amount, :reason, 'pending', :requested_by, :requested_role, :requested_on)"), r)


async def reversal(s: AsyncSession, reversal_id: uuid.UUID, lock: bool = False
                   ) -> Reversal | None:
    return first_as(Reversal, await s.execute(text(
        "SELECT * FROM late_charge_reversals WHERE id = :i" + (" FOR UPDATE" if lock else "")),
        {"i": reversal_id}))


async def reversals(s: AsyncSession, status: str | None, account_id: uuid.UUID | None
                    ) -> list[Reversal]:
    return all_as(Reversal, await s.execute(text(
        "SELECT * FROM late_charge_reversals WHERE (CAST(:st AS text) IS NULL OR status = :st) "
        "AND (CAST(:a AS uuid) IS NULL OR account_id = :a) ORDER BY requested_on, id"),
        {"st": status, "a": account_id}))


async def decide(s: AsyncSession, reversal_id: uuid.UUID, status: str, who: str, on: date,
                 note: str | None) -> None:
    await s.execute(text(
        "UPDATE late_charge_reversals SET status = :st, decided_by = :w, decided_on = :on, "
        "decision_note = :n WHERE id = :i"),
        {"st": status, "w": who, "on": on, "n": note, "i": reversal_id})
