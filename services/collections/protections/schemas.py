"""API shapes of a household's SB 998 protections."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from kernel.clock import Day

Basis = Literal["calworks", "calfresh", "general_assistance", "medi_cal", "ssi_ssp", "wic",
                "income_below_200_fpl"]
Section = Literal["medical", "financial", "willing", "low_income", "reached"]


class MedicalIn(BaseModel):
    """A primary care provider's certification that disconnection would be life-threatening."""

    certified_on: Day
    expires_on: Day | None = None
    certifier: str = Field(min_length=1, max_length=200)


class FinancialIn(BaseModel):
    basis: Basis
    on: Day


class WillingIn(BaseModel):
    on: Day


class LowIncomeIn(BaseModel):
    basis: str = Field(min_length=1, max_length=100)
    on: Day
    until: Day | None = None


class ReachedIn(BaseModel):
    """The customer (or an adult at the residence) was reached about the shut-off."""

    on: Day
    how: Literal["phone", "in_person", "email"]


class ProtectionsIn(BaseModel):
    """Record (or replace) the sections given; `clear` withdraws sections."""

    medical: MedicalIn | None = None
    financial: FinancialIn | None = None
    willing: WillingIn | None = None
    low_income: LowIncomeIn | None = None
    reached: ReachedIn | None = None
    clear: list[Section] = Field(default_factory=list)
    today: Day | None = None


class Medical(BaseModel):
    certified_on: date
    expires_on: date | None
    certifier: str | None
    recorded_by: str | None
    in_force: bool


class Financial(BaseModel):
    basis: str | None
    on: date
    recorded_by: str | None


class Willing(BaseModel):
    on: date
    recorded_by: str | None


class LowIncome(BaseModel):
    basis: str | None
    on: date
    until: date | None
    recorded_by: str | None
    in_force: bool


class Reached(BaseModel):
    on: date
    how: str | None
    recorded_by: str | None


class ProtectionsOut(BaseModel):
    """`protected`: all three of SB 998's conditions hold on `as_of` (no disconnection; an
    arrangement is offered)."""

    account_id: uuid.UUID
    as_of: date
    medical: Medical | None
    financial: Financial | None
    willing: Willing | None
    low_income: LowIncome | None
    reached: Reached | None
    interest_waived_on: date | None
    protected: bool
