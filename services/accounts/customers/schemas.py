"""API models for customers and accounts (also the payloads of their events)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, StrictBool, field_validator

from services.accounts.common import Address

CustomerKind = Literal["person", "organisation"]
AccountStatus = Literal["active", "closed", "pending"]
Language = Field(default="en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")


def check_phones(v: list[str] | None) -> list[str] | None:
    for p in v or []:
        if sum(ch.isdigit() for ch in p) < 10:
            raise ValueError("a phone number needs at least 10 digits")
    return v


def check_emails(v: list[str] | None) -> list[str] | None:
    for e in v or []:
        if "@" not in e or "." not in e.rsplit("@", 1)[-1]:
            raise ValueError("not an email address")
    return None if v is None else [e.lower() for e in v]


class CustomerIn(BaseModel):
    kind: CustomerKind = "person"
    name: str = Field(min_length=1, max_length=200)
    mailing_address: Address
    phones: list[str] = Field(default_factory=list, max_length=5)
    emails: list[str] = Field(default_factory=list, max_length=5)
    language: str = Language
    paperless: StrictBool = False
    text_messages: StrictBool = False
    id_kind: Literal["drivers_license", "state_id", "passport", "ssn", "ein", "other"] | None = (
        None)
    #: The full number is accepted only to take its last four; it is never stored or logged.
    id_number: str | None = Field(default=None, min_length=4, max_length=40, repr=False)

    _phones = field_validator("phones")(check_phones)
    _emails = field_validator("emails")(check_emails)


class CustomerPatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    mailing_address: Address | None = None
    phones: list[str] | None = Field(default=None, max_length=5)
    emails: list[str] | None = Field(default=None, max_length=5)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    paperless: StrictBool | None = None
    text_messages: StrictBool | None = None

    _phones = field_validator("phones")(check_phones)
    _emails = field_validator("emails")(check_emails)


class CustomerOut(BaseModel):
    id: uuid.UUID
    kind: CustomerKind
    name: str
    mailing_address: Address
    phones: list[str]
    emails: list[str]
    language: str
    paperless: bool
    text_messages: bool
    id_kind: str | None = None
    id_last4: str | None = None


class IdentityCheck(BaseModel):
    id_number_last4: str = Field(min_length=4, max_length=4)


class IdentityResult(BaseModel):
    matches: bool


class AccountOut(BaseModel):
    id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    status: AccountStatus
    mailing_address: Address
    language: str
    paperless: bool
    deposit_held: Decimal
    deposit_held_since: date | None = None
    opened_on: date
    closed_on: date | None = None


class PaperlessIn(BaseModel):
    paperless: StrictBool


class AccountPatch(BaseModel):
    mailing_address: Address | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    paperless: StrictBool | None = None
