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


class ReceiptOut(PaymentOut):
    """The payment a receipt was given to; `returned` when the bank sent it back."""

    returned: ReturnedNote | None = None
