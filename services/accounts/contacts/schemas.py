"""API models for the contact log, letters and documents."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Channel = Literal["call", "visit", "email", "letter", "text", "portal"]
Template = Literal["welcome", "closing", "service_order"]


class ContactIn(BaseModel):
    channel: Channel
    category: str = Field(min_length=1, max_length=60,
                          description="e.g. billing, start_stop, leak, payment, complaint")
    note: str = Field(min_length=1, max_length=4000)


class ContactOut(BaseModel):
    id: int
    account_id: uuid.UUID
    channel: Channel
    category: str
    note: str
    actor: str
    at: datetime


class LetterIn(BaseModel):
    template: Template
    service_order_id: uuid.UUID | None = None


class DocumentOut(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    kind: Literal["letter", "scan"]
    template: str | None
    title: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    actor: str
    created_at: datetime
