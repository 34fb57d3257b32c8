"""API shape of a receipt: the payment, and whether the bank returned it."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pydantic import BaseModel

from services.payments.posting.schemas import PaymentOut


class ReturnedNote(BaseModel):
    """The payment came back (a returned check, an ACH return): see `GET /returns/{id}`."""

    return_id: uuid.UUID
    returned_on: date
    reason: str
    return_code: str
    fee: Decimal | None


class TransferredNote(BaseModel):
    """Part or all of the payment moved to another account (see `GET /transfers/{id}`)."""

    transfer_id: uuid.UUID
    to_account_number: str
    amount: Decimal
    transferred_on: date | None
    reason: str


class ReceiptOut(PaymentOut):
    """The payment a receipt was given to; `returned` when the bank sent it back,
    `transferred` for each transfer of it to another account."""

    returned: ReturnedNote | None = None
    transferred: list[TransferredNote] = []
