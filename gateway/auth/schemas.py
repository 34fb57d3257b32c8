"""API models for login, tokens and user administration."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, StrictBool

Role = Literal["csr1", "csr2", "billing_tech", "supervisor", "field_tech", "admin", "customer"]


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    #: Null when a browser app asked for its HttpOnly cookie (`X-Tapline-Session`).
    refresh_token: str | None = None
    role: str


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=10, max_length=200)


class Me(BaseModel):
    username: str
    role: str
    name: str
    authority: Decimal
    accounts: list[str] = []


class UserOut(BaseModel):
    id: uuid.UUID
    username: str
    display_name: str
    role: Role
    active: bool
    accounts: list[str]
    created_at: datetime


class UserCreate(BaseModel):
    # portal logins are e-mail addresses, so `+` and the length of one
    username: str = Field(min_length=2, max_length=254, pattern=r"^[A-Za-z0-9_.@+-]+$")
    display_name: str = Field(min_length=1, max_length=120)
    role: Role
    password: str = Field(min_length=12, max_length=256)
    accounts: list[str] = Field(default_factory=list, max_length=50)


class UserUpdate(BaseModel):
    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    role: Role | None = None
    active: StrictBool | None = None
    password: str | None = Field(default=None, min_length=12, max_length=256)


class RoleAuthority(BaseModel):
    role: str
    authority: Decimal
