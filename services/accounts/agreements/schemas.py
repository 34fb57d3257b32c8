"""API models for service agreements and the start / stop / transfer workflows."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, StrictBool

from kernel.clock import Day
from services.accounts.customers.schemas import AccountOut, CustomerIn, CustomerOut
from services.accounts.orders.schemas import OrderOut

Service = Literal["water", "wastewater", "irrigation", "fire_line", "recycled"]


class SAOut(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    premise_id: uuid.UUID
    service: Service
    rate_class: str
    meter_id: uuid.UUID | None
    start_date: date
    stop_date: date | None
    status: Literal["active", "stopped", "pending"]
    owner_reversion: bool = False


class ServiceLine(BaseModel):
    service: Service
    rate_class: str = Field(min_length=1, max_length=20)


class DepositChoice(BaseModel):
    is_owner: StrictBool = False
    letter_of_credit: StrictBool = False
    waive_reason: str | None = Field(default=None, max_length=300,
                                     description="A CSR's reason to waive the policy deposit")


class StartServiceIn(BaseModel):
    """Move-in: an existing customer (or a new one), an existing account or a new one."""

    start_date: Day
    premise_id: uuid.UUID
    customer_id: uuid.UUID | None = None
    customer: CustomerIn | None = None
    account_id: uuid.UUID | None = None
    services: list[ServiceLine] | None = Field(default=None, min_length=1, max_length=5)
    deposit: DepositChoice = Field(default_factory=DepositChoice)


class DepositDecisionOut(BaseModel):
    required: bool
    amount: Decimal
    reason: str


class StartServiceOut(BaseModel):
    customer: CustomerOut
    account: AccountOut
    service_agreements: list[SAOut]
    deposit: DepositDecisionOut
    service_order: OrderOut
    welcome_letter_id: uuid.UUID


class TenantTakeoverIn(BaseModel):
    """SB 998 (Health and Safety Code 116916): the tenants of a landlord's delinquent account
    become customers of the premise without paying the landlord's arrears. The tenant (an
    existing customer, or a new one) agrees to the district's terms of service; on a
    multi-unit premise one tenant may take the service for all, as the district allows."""

    start_date: Day
    premise_id: uuid.UUID
    customer_id: uuid.UUID | None = None
    customer: CustomerIn | None = None
    terms_accepted: StrictBool = Field(
        description="The tenant agreed to the district's terms and conditions of service")
    deposit: DepositChoice = Field(default_factory=DepositChoice)


class TenantTakeoverOut(BaseModel):
    customer: CustomerOut
    account: AccountOut
    service_agreements: list[SAOut]
    landlord_account_id: uuid.UUID
    landlord_stopped: list[SAOut]
    deposit: DepositDecisionOut
    re_read_orders: list[OrderOut]
    welcome_letter_id: uuid.UUID


class StopServiceIn(BaseModel):
    """Move-out: stop the account's active agreements (at one premise, or everywhere)."""

    account_id: uuid.UUID
    stop_date: Day
    premise_id: uuid.UUID | None = None
    continuous_service: StrictBool = Field(
        default=True, description="Revert to the premise owner's account when one is set")


class StopServiceOut(BaseModel):
    stopped: list[SAOut]
    reverted_to_owner: list[SAOut]
    final_read_orders: list[OrderOut]
    closing_letter_id: uuid.UUID


class TransferIn(BaseModel):
    """Moving within the district: stop at one premise and start at another, one operation."""

    account_id: uuid.UUID
    from_premise_id: uuid.UUID
    to_premise_id: uuid.UUID
    stop_date: Day
    start_date: Day
    services: list[ServiceLine] | None = Field(default=None, min_length=1, max_length=5)


class TransferOut(BaseModel):
    stopped: list[SAOut]
    started: list[SAOut]
    final_read_orders: list[OrderOut]
    turn_on_order: OrderOut


class RateClassIn(BaseModel):
    rate_class: str = Field(min_length=1, max_length=20)
