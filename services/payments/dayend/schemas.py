"""API shape of the end-of-day report."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel


class SumOut(BaseModel):
    count: int
    total: Decimal


class ChannelOut(SumOut):
    channel: str


class TenderOut(SumOut):
    tender: str


class ChannelTenderOut(SumOut):
    channel: str
    tender: str
    settled_by: str


class SettlementOut(SumOut):
    """`deposit`: our bank deposit; `lockbox`: the bank deposited the checks itself;
    `processor`: the payment processor settles; `bank`: the bank settles directly (ACH)."""

    settled_by: str


class DrawerLine(BaseModel):
    id: uuid.UUID
    cashier: str
    status: str
    opened_on: date
    float_amount: Decimal
    counted_cash: Decimal | None
    expected_cash: Decimal | None
    over_short: Decimal | None
    signed_off_by: str | None
    taken: list[TenderOut]
    total: Decimal
    deposit_number: int | None
    deposited: Decimal | None


class BatchLine(BaseModel):
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


class LockboxLine(BaseModel):
    id: uuid.UUID
    file_id: str
    imported_at: datetime
    imported_by: str
    posted_count: int
    posted_total: Decimal
    suspense_count: int
    suspense_total: Decimal


class ReturnLine(BaseModel):
    reference: str
    payment_id: str
    amount: Decimal
    reason: str
    in_ledger: bool


class DepositLine(BaseModel):
    id: uuid.UUID
    number: int
    status: str
    cash_total: Decimal
    checks_count: int
    checks_total: Decimal
    total: Decimal
    bank_reference: str | None
    deposited_on: date | None


class BankDepositCheck(BaseModel):
    """The day's cash, checks and money orders at the counter and in the mail, plus the
    drawers' over/short, against what the day's drawers and batches put in deposits."""

    to_deposit: Decimal
    over_short: Decimal
    expected: Decimal
    deposited: Decimal
    not_deposited: list[str]
    balanced: bool


class MissingLine(BaseModel):
    reference: str
    amount: Decimal
    what: str
    since: datetime | None
    waiting_seconds: int | None


class DifferenceLine(BaseModel):
    reference: str
    kind: str
    payments_amount: Decimal | None
    ledger_amount: Decimal | None
    payments_date: date | None
    ledger_date: date | None


class TieOutOut(BaseModel):
    payments: SumOut
    ledger: SumOut
    matched: SumOut
    missing: SumOut
    missing_items: list[MissingLine]
    differences: list[DifferenceLine]
    differences_count: int
    balanced: bool


class TieOutReport(BaseModel):
    """Payments of the day against billing's `payment` entries, and returns against its
    `payment_reversal` entries, as payments' copy has heard them (`ledger_heard_through`: the
    last entry heard; `billing_events_waiting`: billing events received, not yet applied)."""

    payments: TieOutOut
    returns: TieOutOut
    ledger_heard_through: datetime | None
    billing_events_waiting: int
    balanced: bool


class DayEndReport(BaseModel):
    date: date
    timezone: str
    generated_at: datetime
    utility: str
    totals: SumOut
    by_channel: list[ChannelOut]
    by_tender: list[TenderOut]
    by_channel_tender: list[ChannelTenderOut]
    by_settlement: list[SettlementOut]
    drawers: list[DrawerLine]
    batches: list[BatchLine]
    lockbox_imports: list[LockboxLine]
    returns: list[ReturnLine]
    deposits: list[DepositLine]
    bank_deposit: BankDepositCheck
    tie_out: TieOutReport
