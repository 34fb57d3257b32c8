"""Rebuilding a service's copy of another service's data by replaying its events.

A copy is only ever written by event handlers that upsert by the event's own ids, so clearing
it and applying the same history again gives the same rows. This is the shared half of that:
forgetting what the inbox applied from some sources, keeping their rows to apply again (`local`)
or deleting them for the relay to copy again (`tapline events rewind SERVICE --source SOURCE`).
Payments uses it; billing's copy has its own equal `reset_inbox` (services/billing/copy),
which can call this one once billing's restructuring has landed.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession


async def reset_inbox(s: AsyncSession, sources: Sequence[str], keep_rows: bool) -> int:
    """Forget what was applied from `sources`: progress always; rows kept (to be applied
    again, in their per-key order) or deleted. Returns how many events that concerned."""
    src = list(sources)
    await s.execute(text("DELETE FROM inbox_progress WHERE source = ANY(:s)"), {"s": src})
    if keep_rows:
        res = await s.execute(text(
            "UPDATE inbox SET status = 'pending', attempts = 0, next_attempt_at = now(), "
            "applied_at = NULL, last_error = NULL WHERE source = ANY(:s)"), {"s": src})
    else:
        res = await s.execute(text("DELETE FROM inbox WHERE source = ANY(:s)"), {"s": src})
    return int(getattr(res, "rowcount", 0) or 0)
