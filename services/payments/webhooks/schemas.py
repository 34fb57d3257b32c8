"""What the webhook endpoint answers a processor (it reads only the status)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class WebhookAck(BaseModel):
    event_id: str
    outcome: Literal["posted", "posted-and-reversed", "reversed", "pending", "recorded",
                     "duplicate", "ignored"]
