"""API shapes of text-to-pay."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from kernel.clock import Day

Token = Field(min_length=3, max_length=200, pattern=r"^[A-Za-z][A-Za-z0-9_]*$",
              description="The processor's payment-method token (pm_...), never a card number")


class PhoneAndMethod(BaseModel):
    phone: str = Field(min_length=7, max_length=32,
                       description="The mobile number: E.164 (+15415550123) or a ten-digit "
                                   "North American number")
    payment_method: str = Token


class PortalTextIn(BaseModel):
    """The customer's own phone, paying with one of the account's saved methods (`method_id`)
    or a processor's token (`payment_method`): exactly one of them."""

    phone: str = Field(min_length=7, max_length=32,
                       description="The mobile number: E.164 or a ten-digit North American number")
    method_id: uuid.UUID | None = None
    payment_method: str | None = Field(default=None, min_length=3, max_length=200,
                                       pattern=r"^[A-Za-z][A-Za-z0-9_]*$")


class EnrolmentIn(PhoneAndMethod):
    """Staff enrol a customer's phone on their behalf; the customer still confirms it."""

    account_id: uuid.UUID


class ConfirmIn(BaseModel):
    code: str = Field(pattern=r"^[0-9]{6}$", description="The six digits texted to the phone")


class CancelIn(BaseModel):
    reason: str = Field(default="requested", min_length=1, max_length=200)


class BalanceMessageOut(BaseModel):
    id: uuid.UUID
    bill_id: uuid.UUID
    sent_on: date
    valid_through: date
    amount: Decimal
    due_date: date
    status: str
    charge_status: str | None
    charged_at: datetime | None


class EnrolmentOut(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    phone: str
    method_kind: str
    method_display: str
    status: Literal["pending", "active", "cancelled"]
    requested_by: str
    created_at: datetime
    code_expires_at: datetime
    confirmed_at: datetime | None
    confirmed_by: str | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    messages: list[BalanceMessageOut] = []


class BalanceRunIn(BaseModel):
    today: Day


class BalanceRunOut(BaseModel):
    today: date
    sent: int = Field(description="Balance messages texted now")
    already_sent: int = Field(description="Bills that had their message today already")
    failed: int = Field(description="Texts the provider refused (number invalid or opted out)")
    unavailable: int = Field(description="Texts the provider did not answer for; a later run "
                                         "today tries again")


class SmsAck(BaseModel):
    provider: str
    message_id: str
    outcome: str


class SandboxTextIn(BaseModel):
    """A text as a customer's phone would send it to the district's number (sandbox only)."""

    from_phone: str = Field(min_length=7, max_length=32)
    body: str = Field(min_length=1, max_length=1600)


class SandboxTextOut(BaseModel):
    message_id: str
    to: str
    body: str
    sent_at: datetime
