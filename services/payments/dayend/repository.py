"""All SQL of the end-of-day report. It only reads: the day's payments, drawers, batches,
lockbox imports and deposits (written by their own features), the returns payments announced
(its outbox: every feature that returns a payment announces it there, so the report needs none
of their tables), and payments' copy of billing's payment entries. One set-based query each."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.payments.dayend.domain import LedgerEntry, Paid, Returned


@dataclass(frozen=True, slots=True)
class DrawerRow:
    id: uuid.UUID
    cashier: str
    status: str
    opened_on: date
    float_amount: Decimal
    counted_cash: Decimal | None
    expected_cash: Decimal | None
    over_short: Decimal | None
    signed_off_by: str | None
    deposit_number: int | None
    deposited: Decimal | None


@dataclass(frozen=True, slots=True)
class TenderRow:
    owner: uuid.UUID
    tender: str
    count: int
    total: Decimal


@dataclass(frozen=True, slots=True)
class BatchRow:
    id: uuid.UUID
    keyed_by: str
    received_on: date
    status: str
    control_count: int
    control_total: Decimal
    count: int
    total: Decimal
    deposit_number: int | None
    deposited: Decimal | None


@dataclass(frozen=True, slots=True)
class ImportRow:
    id: uuid.UUID
    file_id: str
    imported_at: datetime
    imported_by: str
    posted_count: int
    posted_total: Decimal
    suspense_count: int
    suspense_total: Decimal


async def paid(s: AsyncSession, day: date) -> list[Paid]:
    return [Paid(str(r.id), int(r.receipt_number), r.account_number, r.amount, r.channel,
                 r.tender, r.posted_at) for r in (await s.execute(text(
                     "SELECT id, receipt_number, account_number, amount, channel, tender, "
                     "posted_at FROM payments WHERE received_on = :d AND status = 'posted' "
                     "ORDER BY receipt_number"), {"d": day})).all()]


async def ledger(s: AsyncSession, day: date) -> list[LedgerEntry]:
    """Billing's payment entries and reversals posted for the day, and those naming a payment
    taken that day whatever day they were posted for."""
    return [LedgerEntry(str(r.entry_id), r.kind, r.amount, r.posted_on, r.reference,
                        r.posted_at) for r in (await s.execute(text(
                            "SELECT entry_id, kind, amount, posted_on, reference, posted_at "
                            "FROM ledger_payment_entries WHERE posted_on = :d "
                            "UNION SELECT l.entry_id, l.kind, l.amount, l.posted_on, "
                            "l.reference, l.posted_at FROM ledger_payment_entries l "
                            "JOIN payments p ON l.reference = p.id::text "
                            "WHERE p.received_on = :d AND l.kind = 'payment'"),
                            {"d": day})).all()]


async def received_on(s: AsyncSession, ids: list[uuid.UUID]) -> dict[str, date]:
    if not ids:
        return {}
    return {str(r.id): r.received_on for r in (await s.execute(text(
        "SELECT id, received_on FROM payments WHERE id = ANY(CAST(:ids AS uuid[]))"),
        {"ids": ids})).all()}


async def returned(s: AsyncSession, day: date) -> list[Returned]:
    return [Returned(r.ref, r.payment_id, Decimal(r.amount), r.reason or "", r.occurred_at)
            for r in (await s.execute(text(
                "SELECT coalesce(payload->>'return_id', payload->>'payment_id') AS ref, "
                "payload->>'payment_id' AS payment_id, payload->>'amount' AS amount, "
                "payload->>'reason' AS reason, occurred_at FROM outbox "
                "WHERE type = 'payments.PaymentReturned' AND payload->>'date' = :d "
                "ORDER BY id"), {"d": day.isoformat()})).all()]


async def drawers(s: AsyncSession, day: date) -> list[DrawerRow]:
    """Drawers opened that day, or that took a payment dated that day."""
    return [DrawerRow(*r) for r in (await s.execute(text(
        "SELECT d.id, d.cashier, d.status, d.opened_on, d.float_amount, d.counted_cash, "
        "d.expected_cash, d.over_short, d.signed_off_by, b.number, x.cash + x.checks_total "
        "FROM drawers d LEFT JOIN bank_deposit_sources x ON x.source = 'drawer' "
        "AND x.source_id = d.id LEFT JOIN bank_deposits b ON b.id = x.deposit_id "
        "WHERE d.opened_on = :d OR d.id IN (SELECT drawer_id FROM payments "
        "WHERE received_on = :d AND drawer_id IS NOT NULL) ORDER BY d.opened_at, d.id"),
        {"d": day})).all()]


async def drawer_tenders(s: AsyncSession, ids: list[uuid.UUID]) -> list[TenderRow]:
    if not ids:
        return []
    return [TenderRow(r.drawer_id, r.tender, int(r.n), r.total) for r in (await s.execute(text(
        "SELECT drawer_id, tender, count(*) AS n, sum(amount) AS total FROM payments "
        "WHERE drawer_id = ANY(CAST(:ids AS uuid[])) GROUP BY drawer_id, tender "
        "ORDER BY drawer_id, tender"), {"ids": ids})).all()]


async def batches(s: AsyncSession, day: date) -> list[BatchRow]:
    """Mail batches dated that day (posted or still open: an open one has posted nothing)."""
    return [BatchRow(*r) for r in (await s.execute(text(
        "SELECT bt.id, bt.keyed_by, bt.received_on, bt.status, bt.control_count, "
        "bt.control_total, count(p.id), coalesce(sum(p.amount), 0), b.number, "
        "x.cash + x.checks_total FROM batches bt LEFT JOIN payments p ON p.batch_id = bt.id "
        "LEFT JOIN bank_deposit_sources x ON x.source = 'batch' AND x.source_id = bt.id "
        "LEFT JOIN bank_deposits b ON b.id = x.deposit_id WHERE bt.received_on = :d "
        "GROUP BY bt.id, b.number, x.cash, x.checks_total ORDER BY bt.created_at, bt.id"),
        {"d": day})).all()]


async def lockbox_imports(s: AsyncSession, day: date, tz: str) -> list[ImportRow]:
    """Lockbox files imported that day in the utility's zone."""
    return [ImportRow(*r) for r in (await s.execute(text(
        "SELECT id, file_id, imported_at, imported_by, posted_count, posted_total, "
        "suspense_count, suspense_total FROM lockbox_imports "
        "WHERE (imported_at AT TIME ZONE :tz)::date = :d ORDER BY imported_at, id"),
        {"d": day, "tz": tz})).all()]


async def billing_waiting(s: AsyncSession) -> int:
    """Billing events received but not applied yet (the copy is that far behind)."""
    return int((await s.execute(text(
        "SELECT count(*) FROM inbox WHERE source = 'billing' AND status = 'pending'"))
    ).scalar_one())


async def ledger_heard_through(s: AsyncSession) -> datetime | None:
    r = (await s.execute(text("SELECT max(posted_at) FROM ledger_payment_entries"))).scalar()
    return r if isinstance(r, datetime) else None
