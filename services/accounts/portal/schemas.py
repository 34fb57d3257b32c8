"""API models for registration proofs (asked by the gateway's portal identity only)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Self

from pydantic import BaseModel, Field, model_validator


class ProofIn(BaseModel):
    """An account number and exactly one fact from a bill."""

    account_number: str = Field(min_length=4, max_length=32, pattern=r"^[0-9][0-9 -]*$")
    last_bill_amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    service_zip: str | None = Field(default=None, pattern=r"^\d{5}(-\d{4})?$")

    @model_validator(mode="after")
    def one_fact(self) -> Self:
        if (self.last_bill_amount is None) == (self.service_zip is None):
            raise ValueError("give either last_bill_amount or service_zip")
        return self


class ProofOut(BaseModel):
    """The account the proof names (only when it holds)."""

    account_id: uuid.UUID
    account_number: str
