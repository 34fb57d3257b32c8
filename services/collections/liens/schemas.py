"""API shapes of tax-roll liens."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from kernel.clock import Day

TaxYear = Annotated[int, Field(ge=2000, le=2999)]
BodyYear = Annotated[StrictInt, Field(ge=2000, le=2999)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CandidateOut(BaseModel):
    """An owner's account delinquent enough to be listed, with its parcel."""

    account_id: uuid.UUID
    account_number: str
    owner_name: str
    apn: str
    premise_id: uuid.UUID
    amount: Decimal


class Candidates(BaseModel):
    as_of: date
    tax_year: int
    parcels: int
    total: Decimal
    candidates: list[CandidateOut]


class DayIn(_In):
    today: Day | None = None


class StepIn(DayIn):
    #: The roll year (default: today's year, the fiscal year starting July 1).
    tax_year: BodyYear | None = None


class NoticesOut(BaseModel):
    tax_year: int
    noticed: int
    total: Decimal
    list_on_or_after: date


class ListOut(BaseModel):
    list_id: uuid.UUID
    tax_year: int
    certified_on: date
    certified_by: str
    parcels: int
    total: Decimal


class RecordIn(_In):
    recorded_on: Day
    document_number: Annotated[str | None, Field(max_length=60)] = None


class RecordOut(BaseModel):
    list_id: uuid.UUID
    recorded: int


class ReleasesOut(BaseModel):
    today: date
    released: int
    total: Decimal


class LienOut(BaseModel):
    lien_id: uuid.UUID
    tax_year: int
    apn: str
    account_id: uuid.UUID
    account_number: str | None
    owner_name: str
    amount: Decimal
    as_of: date
    status: str
    noticed_on: date
    list_id: uuid.UUID | None
    listed_amount: Decimal | None
    recorded_on: date | None
    document_number: str | None
    released_on: date | None
    #: What is still owed of it today.
    owed: Decimal
