"""Payments' reports as the API shows them."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pydantic import BaseModel


class TenderLine(BaseModel):
    tender: str
    receipts: int
    amount: Decimal
    returns: int
    returned: Decimal
    net: Decimal


class LedgerTieOut(BaseModel):
    """The month in payments' copy of billing's ledger, beside the receipts."""

    payments: Decimal
    reversals: Decimal
    receipts_less_ledger: Decimal
    returns_less_ledger: Decimal


class ReceiptsByTender(BaseModel):
    """The month's posted receipts (by the day received) and returns (by the day returned),
    by tender, with the ledger's figures for the same days."""

    month: str
    start: date
    end: date
    lines: list[TenderLine]
    total: TenderLine
    ledger: LedgerTieOut


class ReceivedOut(BaseModel):
    id: uuid.UUID
    receipt_number: int
    account_number: str
    amount: Decimal
    tender: str
    channel: str
    received_on: date
    taken_by: str
