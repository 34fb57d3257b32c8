"""API shapes of the copy: an account as collections knows it (the rebuild's shapes are the
kernel's, shared by every copy)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from kernel.copy import RebuildRequest, RebuildResult

__all__ = ["AccountOut", "PremiseOut", "RebuildRequest", "RebuildResult"]


class PremiseOut(BaseModel):
    """A premise the account has service at. `mailing_differs`: a shut-off notice also goes
    here, to "Occupant". `landlord_is_customer`: the account owns a multi-unit premise or a
    detached house it serves tenants at (SB 998's tenant notices)."""

    id: uuid.UUID
    kind: str | None
    dwelling_units: int | None
    service_address: dict[str, str | None] | None
    apn: str | None
    owner_account_id: uuid.UUID | None
    active: bool
    mailing_differs: bool
    landlord_is_customer: bool


class AccountOut(BaseModel):
    """Who the account holder is and how to reach them, as collections' copy has it. `language`
    is the account's, else the customer's, else `en`; `open_appeals` hold disconnection."""

    id: uuid.UUID
    number: str
    status: str
    customer_name: str | None
    customer_kind: str | None
    language: str
    mailing_address: dict[str, str | None]
    phones: list[str]
    emails: list[str]
    premises: list[PremiseOut]
    open_appeals: int
