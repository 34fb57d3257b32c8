"""Billing-wide configuration: review thresholds, read validation thresholds, the appeals
policy … each feature keeps its settings under its own key (`runs.thresholds`,
`reads.thresholds`, `appeals.policy`) and validates them with its own model."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from services.billing.config import repository as repo

M = TypeVar("M", bound=BaseModel)


async def load(s: AsyncSession, key: str, model: type[M]) -> M:
    """The settings under `key`, or the model's defaults when none were saved."""
    return model.model_validate(await repo.get_config(s, key) or {})


async def save(s: AsyncSession, key: str, value: BaseModel | repo.Document) -> None:
    await repo.put_config(s, key, value.model_dump(mode="json")
                          if isinstance(value, BaseModel) else value)
