"""Billing's reports as the API shows them. Each money report carries `ledger`: the ledger's
own total for the same days, and the difference (zero when the report ties)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pydantic import BaseModel


class LedgerTie(BaseModel):
    kinds: list[str]
    ledger: Decimal
    report: Decimal
    difference: Decimal


class BilledLine(BaseModel):
    service: str
    rate_class: str
    meter_size: str
    bills: int
    consumption: Decimal
    revenue: Decimal


class BilledConsumption(BaseModel):
    """The month's bills (by the day each was posted, less bills cancelled in it): consumption
    (volume lines, HCF) and revenue by service, rate class and meter size."""

    month: str
    start: date
    end: date
    lines: list[BilledLine]
    consumption: Decimal
    revenue: Decimal
    tie: LedgerTie


class EntryLine(BaseModel):
    kind: str
    reason: str
    approved_by: str
    entries: int
    charges: Decimal
    credits: Decimal
    net: Decimal


class BillsAndCredits(BaseModel):
    """The month's bills, adjustments and credits (every ledger entry but payments) by kind,
    reason and who approved them."""

    month: str
    start: date
    end: date
    lines: list[EntryLine]
    charges: Decimal
    credits: Decimal
    net: Decimal
    tie: LedgerTie


class UnbilledLine(BaseModel):
    account_id: uuid.UUID
    number: str
    name: str
    status: str
    cycle: str
    reason: str
    last_billed: date | None


class Unbilled(BaseModel):
    """Accounts in service during the month with no bill posted in it (`unbilled`), and
    accounts billed in it for no metered water (`zero_consumption`)."""

    month: str
    start: date
    end: date
    unbilled: int
    zero_consumption: int
    lines: list[UnbilledLine]


class ReadsLine(BaseModel):
    source: str
    kind: str
    valid: int
    pending: int
    rejected: int
    total: int
    usage: Decimal


class ReadsBySource(BaseModel):
    month: str
    start: date
    end: date
    lines: list[ReadsLine]
    total: ReadsLine


class ConnectionLine(BaseModel):
    service: str
    rate_class: str
    meter_size: str
    customers: int
    accounts: int
    connections: int
    dwelling_units: int


class Connections(BaseModel):
    """Customers and service connections in force on the year's last day, by service, rate
    class and meter size, from billing's own copy of accounts' agreements."""

    year: str
    as_of: date
    lines: list[ConnectionLine]
    customers: int
    accounts: int
    connections: int


class DeliveredMonth(BaseModel):
    month: int
    by_class: dict[str, Decimal]
    total: Decimal


class WaterDelivered(BaseModel):
    """Potable water delivered by customer class by month, as the State Water Board's
    Electronic Annual Report asks for it (one unit for the table: CCF = HCF)."""

    year: str
    unit: str
    classes: dict[str, str]
    months: list[DeliveredMonth]
    totals: dict[str, Decimal]
    total: Decimal


class Conservation(BaseModel):
    """A month's residential water delivered and residential gallons per capita per day."""

    month: str
    start: date
    end: date
    days: int
    residential_hcf: Decimal
    residential_gallons: Decimal
    total_hcf: Decimal
    population: int
    r_gpcd: Decimal | None
