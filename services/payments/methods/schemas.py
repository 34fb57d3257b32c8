"""API shapes of saved payment methods."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, StrictBool


class MethodIn(BaseModel):
    """Exactly one of `token` (from the processor's client-side fields, e.g. Stripe's `pm_…`)
    or `setup_id` (a completed setup page, `POST .../methods/setup`)."""

    model_config = ConfigDict(extra="forbid")
    token: str | None = Field(default=None, max_length=200)
    setup_id: str | None = Field(default=None, max_length=100)
    default: StrictBool = False


class MethodOut(BaseModel):
    """Masked: the kind and what the processor shows ("visa •••• 4242"), never the number."""

    id: uuid.UUID
    kind: str
    display: str
    is_default: bool
    status: str
    created_at: datetime
    removed_at: datetime | None


class SetupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    return_url: str = Field(default="/portal", max_length=500)
    cancel_url: str | None = Field(default=None, max_length=500)


class SetupOut(BaseModel):
    setup_id: str
    url: str


class ChargeNowIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method_id: uuid.UUID
    amount: Decimal = Field(max_digits=14, decimal_places=2)
