"""API models for the development inbox."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class DevMailOut(BaseModel):
    """A message Tapline would have sent, kept in the development inbox (demo mode)."""

    id: str
    sent_at: datetime
    sender: str
    to: str
    subject: str
    text: str
    html: str | None = None
