"""API shapes of the ledger."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field


class EntryOut(BaseModel):
    id: uuid.UUID
    seq: int
    kind: str
    amount: Decimal
    posted_on: date
    due_date: date | None
    reference: str | None
    corrects: uuid.UUID | None
    created_by: str


class AccountLedger(BaseModel):
    account_id: uuid.UUID
    balance: Decimal
    aging: dict[str, Decimal]
    unapplied_credit: Decimal
    entries: list[EntryOut]


class TransferIn(BaseModel):
    from_account_id: uuid.UUID
    to_account_id: uuid.UUID
    reason: str = Field(min_length=1, max_length=500)


class TransferOut(BaseModel):
    amount: Decimal
    out_entry_id: uuid.UUID
    in_entry_id: uuid.UUID


class Reconciliation(BaseModel):
    ok: bool
    ledger_total: Decimal
    balances_total: Decimal
    bills_not_matching_lines: int
    final_bills_not_posted: int
    cancelled_bills_not_reversed: int


class BudgetIn(BaseModel):
    account_id: uuid.UUID


class BudgetOut(BaseModel):
    account_id: uuid.UUID
    monthly_amount: Decimal
    enrolled_on: date
    status: str
    deferred: Decimal


class BudgetOffer(BaseModel):
    """Budget billing for the account today: `eligible` with the `monthly_amount`, or the
    `reason` it cannot enrol; `enrolled` when it is on budget billing already."""

    account_id: uuid.UUID
    eligible: bool
    enrolled: bool
    monthly_amount: Decimal | None
    reason: str | None


class SettlementOut(BaseModel):
    account_id: uuid.UUID
    settled: Decimal
    balance: Decimal
