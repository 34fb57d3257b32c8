"""API models for portal identity: registration, verification, reset, second factor, linking.

Every fact a customer gives (e-mail, account number, bill amount, ZIP, password, code) travels
in a JSON body, never in a URL, so none of it reaches an access log.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Literal, Self

from pydantic import BaseModel, Field, model_validator

Language = Literal["en", "es"]
_EMAIL = r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$"


class AccountProof(BaseModel):
    """An account number and exactly one fact printed on its bill."""

    account_number: str = Field(min_length=4, max_length=32, pattern=r"^[0-9][0-9 -]*$")
    last_bill_amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    service_zip: str | None = Field(default=None, pattern=r"^\d{5}(-\d{4})?$")

    @model_validator(mode="after")
    def one_fact(self) -> Self:
        if (self.last_bill_amount is None) == (self.service_zip is None):
            raise ValueError("give either last_bill_amount or service_zip")
        return self


class RegisterIn(AccountProof):
    email: str = Field(max_length=254, pattern=_EMAIL)
    password: str = Field(min_length=12, max_length=256)
    #: The language of the verification e-mail (the portal's current language).
    language: Language = "en"


class EmailIn(BaseModel):
    email: str = Field(max_length=254, pattern=_EMAIL)
    language: Language = "en"


class Accepted(BaseModel):
    """The request was taken. What happens next is told by e-mail only, so the answer is the
    same whether or not the address (or account) is known."""

    status: Literal["accepted"] = "accepted"
    detail: str


class TokenIn(BaseModel):
    """A token from a mailed link (its `#token=` part, which never reaches a server log)."""

    token: str = Field(min_length=20, max_length=200)


class ResetIn(TokenIn):
    password: str = Field(min_length=12, max_length=256)


class PortalLoginIn(BaseModel):
    email: str = Field(max_length=254, pattern=_EMAIL)
    password: str = Field(min_length=1, max_length=256)
    #: The 6-digit code of the authenticator app, when the login has a second factor.
    totp_code: str | None = Field(default=None, pattern=r"^\d{6}$")


class Verified(BaseModel):
    verified: bool


class Profile(BaseModel):
    """The signed-in customer's login: never the password or the TOTP secret."""

    email: str
    email_verified: bool
    totp_enabled: bool
    accounts: list[str]


class TotpSetup(BaseModel):
    """A new second factor, shown once: scan `qr_code` (the `otpauth_uri` as an SVG image, a
    data URI ready for an `<img>`) or type `secret`, then confirm with a code
    (`POST /api/portal/totp/enable`)."""

    secret: str
    otpauth_uri: str
    qr_code: str


class TotpCode(BaseModel):
    code: str = Field(pattern=r"^\d{6}$")


class TotpDisable(TotpCode):
    password: str = Field(min_length=1, max_length=256)


class SecondFactorOff(BaseModel):
    """Why staff turn a customer's second factor off (a lost phone, after checking who calls)."""

    reason: str = Field(min_length=3, max_length=500)


class PortalLoginOut(BaseModel):
    """A portal login as staff see it (to help a customer on the phone)."""

    id: uuid.UUID
    email: str
    email_verified: bool
    totp_enabled: bool
    locked: bool
    active: bool
    accounts: list[str]
    created_at: datetime
