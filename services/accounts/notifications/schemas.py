"""API models of notifications."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class MessageOut(BaseModel):
    """A message as staff see it: what, to whom (masked), how it went."""

    id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    label: str
    channel: str
    language: str
    recipient: str
    status: str
    attempts: int
    subject: str | None
    body_text: str | None
    last_error: str | None
    queued_at: datetime
    not_before: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    failed_at: datetime | None


class PreviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(max_length=40)
    language: str = Field("en", min_length=2, max_length=10)
    #: Facts to fill the template with (default: sample facts of the kind).
    facts: dict[str, Any] | None = None


class PreviewOut(BaseModel):
    kind: str
    language: str
    subject: str
    text: str
    html: str | None
    sms: str


class PreferenceOut(BaseModel):
    kind: str
    label: str
    channels: str
    default: str
    may_opt_out: bool


class PreferenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channels: Literal["email", "text", "both", "none"]


class UndeliverableOut(BaseModel):
    channel: str
    address: str
    reason: str
    detail: str | None
    since: datetime
    account_ids: list[uuid.UUID]


class KindOut(BaseModel):
    kind: str
    label: str
    default: str
    may_opt_out: bool
    languages: list[str]
