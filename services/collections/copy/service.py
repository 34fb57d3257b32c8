"""Use cases of the copy: rebuild it by replay (kernel.copy)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import copy
from kernel.auth import Principal
from services.collections.copy import repository as repo

#: The services whose events fill the copy.
SOURCES: tuple[str, ...] = ("accounts", "billing")


async def rebuild(s: AsyncSession, who: Principal, mode: str) -> copy.RebuildResult:
    """Clear the copy and the inbox progress for accounts and billing; their events apply
    again in per-key order and give the same copy."""
    return await copy.rebuild(s, who, SOURCES, repo.clear_copy, mode)
