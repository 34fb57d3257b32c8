"""API models for the CSR's search."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel


class SearchHit(BaseModel):
    entity: Literal["account", "premise"]
    id: uuid.UUID
    account_number: str | None
    title: str
    subtitle: str
    status: str
    score: float
