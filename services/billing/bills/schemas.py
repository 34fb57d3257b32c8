"""API shapes of bills and run reports."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pydantic import BaseModel


class LineOut(BaseModel):
    sa_id: uuid.UUID
    service: str
    rate_class: str
    kind: str
    description: str
    seg_start: date
    seg_end: date
    quantity: Decimal
    unit_price: Decimal
    tier: int | None
    rate_version_id: uuid.UUID | None
    amount: Decimal


class BillOut(BaseModel):
    id: uuid.UUID
    run_id: uuid.UUID
    account_id: uuid.UUID
    account_number: str | None
    period_start: date
    period_end: date
    bill_date: date | None
    due_date: date | None
    status: str
    total: Decimal
    flags: list[str]
    replaces: uuid.UUID | None
    replaced_by: uuid.UUID | None
    messages: list[str]
    lines: list[LineOut]


class Explanation(BaseModel):
    bill_id: uuid.UUID
    text: list[str]


class RegisterRow(BaseModel):
    bill_id: uuid.UUID
    account_number: str | None
    name: str | None
    status: str
    water: Decimal
    wastewater: Decimal
    other: Decimal
    total: Decimal


class ConsumptionRow(BaseModel):
    service: str
    rate_class: str
    accounts: int
    quantity: Decimal
    amount: Decimal


class AccountBill(BaseModel):
    """One bill in an account's history: what Account 360 lists and charts."""

    id: uuid.UUID
    period_start: date
    period_end: date
    bill_date: date | None
    due_date: date | None
    status: str
    total: Decimal
    replaces: uuid.UUID | None
    replaced_by: uuid.UUID | None
    water_use: Decimal
