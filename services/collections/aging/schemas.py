"""API shapes of aging: one account's, and the monthly report's."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pydantic import BaseModel


class Buckets(BaseModel):
    """Open amounts by days past due (credits applied to the oldest debits first)."""

    current: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    days_91_120: Decimal
    days_over_120: Decimal


class AccountAging(BaseModel):
    """`balance` = the buckets less `unapplied_credit` = the sum of the account's entries
    posted by `as_of`. `billing_balance` is the balance billing last announced (null when it
    has announced none), shown so a copy that is behind is visible, never used."""

    account_id: uuid.UUID
    as_of: date
    buckets: Buckets
    unapplied_credit: Decimal
    balance: Decimal
    past_due: Decimal
    days_past_due: int
    oldest_due_date: date | None
    billing_balance: Decimal | None


class ReportRow(BaseModel):
    account_id: uuid.UUID
    number: str | None
    name: str | None
    status: str | None
    buckets: Buckets
    unapplied_credit: Decimal
    balance: Decimal
    days_past_due: int


class ReportTotals(BaseModel):
    accounts: int
    buckets: Buckets
    unapplied_credit: Decimal
    balance: Decimal


class AgingReport(BaseModel):
    """Every account with entries posted by `as_of`; `rows` lists those with a non-zero
    balance or credit. `totals.balance` is the sum of every entry posted by `as_of`: it ties to
    billing's ledger (the sum of its balances) to the cent. `billing_announced_total` and
    `accounts_behind` compare the copy with billing's last announcements (meaningful for a
    report as of today: a non-zero `accounts_behind` means events are still on their way)."""

    as_of: date
    totals: ReportTotals
    billing_announced_total: Decimal
    accounts_behind: int
    rows: list[ReportRow]
