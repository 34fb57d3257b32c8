"""API shapes of closed accounts: the worklist, transfers, referrals, the agency's payments and
write-offs."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from kernel.clock import Day

Amount = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
Fee = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Reason = Annotated[str, Field(min_length=3, max_length=500)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseOut(BaseModel):
    """A closed account still owing after its closing bill, where it stands and what is next
    (`next_on` null: waits for staff)."""

    account_id: uuid.UUID
    account_number: str | None
    name: str | None
    status: str
    closed_on: date | None
    opened_on: date
    opening_balance: Decimal
    balance: Decimal
    transfer_to_account_id: uuid.UUID | None
    transfer_to_account_number: str | None
    offer_declined_by: str | None
    letter_1_on: date | None
    letter_2_on: date | None
    referral_id: uuid.UUID | None
    referred_on: date | None
    referred_amount: Decimal | None
    recalled_on: date | None
    ended_on: date | None
    next_step: str
    next_on: date | None


class TransferIn(_In):
    #: The customer's active account (default: the one the case offers).
    to_account_id: uuid.UUID | None = None
    reason: Reason = "Closed account's balance moved to the customer's active account"
    today: Day | None = None


class TransferOut(BaseModel):
    transfer_id: uuid.UUID
    from_account_id: uuid.UUID
    to_account_id: uuid.UUID
    amount: Decimal
    transferred_on: date
    confirmed_by: str


class DeclineIn(_In):
    reason: Reason


class AgencyPaymentOut(BaseModel):
    payment_id: uuid.UUID
    account_id: uuid.UUID
    agency_reference: str
    amount: Decimal
    fee: Decimal
    fee_added_to_debt: bool
    received_on: date
    recorded_by: str
    source: str


class CaseDetail(CaseOut):
    transfer: TransferOut | None
    agency_payments: list[AgencyPaymentOut]
    write_offs: list[WriteOffOut]


class RunIn(_In):
    today: Day | None = None


class RunOut(BaseModel):
    today: date
    opened: int
    paid: int
    recalled: int
    letter_1: int
    letter_2: int


class ReferralOut(BaseModel):
    referral_id: uuid.UUID | None
    agency: str
    referred_on: date
    accounts: int
    total: Decimal


class AgencyPaymentIn(_In):
    account_number: Annotated[str, Field(min_length=1, max_length=20)]
    amount: Amount
    #: The agency's commission (default: the policy's percentage of the amount).
    fee: Fee | None = None
    received_on: Day
    agency_reference: Annotated[str, Field(min_length=1, max_length=100)]


class PaymentsFileOut(BaseModel):
    file: str
    lines: int
    recorded: int
    already_recorded: int
    amount: Decimal
    fee: Decimal


class WriteOffIn(_In):
    reason: Reason
    today: Day | None = None


class ApproveIn(_In):
    today: Day | None = None


class RejectIn(_In):
    reason: Reason


class WriteOffOut(BaseModel):
    write_off_id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal
    reason: str
    status: str
    requested_by: str
    requested_on: date
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    written_off_on: date | None


CaseDetail.model_rebuild()
