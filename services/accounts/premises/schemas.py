"""API models for premises (also the payload of `accounts.PremiseChanged`)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, StrictInt

from services.accounts.common import Address

PremiseKind = Literal["single_family", "multi_family", "commercial", "irrigation", "fire"]


class PremiseIn(BaseModel):
    address: Address
    apn: str = Field(min_length=1, max_length=20)
    kind: PremiseKind = "single_family"
    dwelling_units: StrictInt = Field(default=1, ge=1, le=2000)
    cycle: str = Field(min_length=1, max_length=10)
    route: str = Field(min_length=1, max_length=20)
    latitude: Decimal | None = Field(default=None, ge=-90, le=90)
    longitude: Decimal | None = Field(default=None, ge=-180, le=180)
    location_note: str | None = Field(default=None, max_length=500)


class PremisePatch(BaseModel):
    kind: PremiseKind | None = None
    dwelling_units: StrictInt | None = Field(default=None, ge=1, le=2000)
    cycle: str | None = Field(default=None, min_length=1, max_length=10)
    route: str | None = Field(default=None, min_length=1, max_length=20)
    latitude: Decimal | None = Field(default=None, ge=-90, le=90)
    longitude: Decimal | None = Field(default=None, ge=-180, le=180)
    location_note: str | None = Field(default=None, max_length=500)


class PremiseOut(BaseModel):
    id: uuid.UUID
    address: Address
    apn: str
    kind: PremiseKind
    dwelling_units: int
    cycle: str
    route: str
    latitude: Decimal | None
    longitude: Decimal | None
    location_note: str | None = None
    owner_account_id: uuid.UUID | None = None


class OwnerIn(BaseModel):
    """Continuous service: when a tenant stops, service reverts to this (owner's) account."""

    owner_account_id: uuid.UUID | None


class ParcelConnection(BaseModel):
    premise_id: uuid.UUID
    address: Address
    kind: PremiseKind
    dwelling_units: int
    meter_id: uuid.UUID | None
    meter_serial: str | None
    meter_size: str | None


class ParcelReport(BaseModel):
    apn: str
    premises: int
    meter_connections: int
    connections: list[ParcelConnection]
