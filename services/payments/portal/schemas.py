"""API shapes of the customer portal's payments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class OpenBillOut(BaseModel):
    id: str
    bill_date: date
    due_date: date
    total: Decimal


class HistoryOut(BaseModel):
    """A posted payment; `status` `returned` (or `partly_returned`) once a refund, chargeback
    or bank return reversed it."""

    payment_id: uuid.UUID
    receipt_number: int
    received_on: date
    amount: Decimal
    tender: str
    channel: str
    status: str
    returned_amount: Decimal
    #: Moved to another account by staff (a payment applied to the wrong account).
    transferred_amount: Decimal


class PortalPaymentOut(BaseModel):
    """A payment the customer started. `status`: `open` (the hosted page not completed yet),
    `processing` (a bank debit, or waiting for the processor's webhook), `declined`, `posted`
    (on the account; `payment_id` is the posted payment)."""

    id: uuid.UUID
    kind: str
    amount: Decimal
    status: str
    url: str | None
    method_id: uuid.UUID | None
    failure_code: str | None
    payment_id: uuid.UUID | None
    created_at: datetime


class AccountSummary(BaseModel):
    """The account as payments knows it. `balance` is billing's last announced balance (null
    until billing has announced one; negative is a credit); `amount_due` is what is owed now."""

    account_id: str
    number: str
    name: str
    status: str
    balance: Decimal | None
    amount_due: Decimal
    due_date: date | None
    open_bills: list[OpenBillOut]
    payments: list[HistoryOut]
    started: list[PortalPaymentOut]


class HostedPaymentIn(BaseModel):
    #: Nothing but these: a card number or CVV sent along is refused, never quietly dropped.
    model_config = ConfigDict(extra="forbid")

    amount: Decimal = Field(max_digits=14, decimal_places=2,
                            description="What the customer pays (above zero)")
    return_url: str = Field(default="/portal", max_length=500,
                            description="Path on this site the processor's page returns to")
    cancel_url: str | None = Field(default=None, max_length=500,
                                   description="Path for a cancelled page (default return_url)")
