"""Rebuilding a service's copy of other services' data by replay: one use case for every copy
(billing's and collections' use it; payments' `copy/service.py: rebuild` is the same code and
can switch to it).

A copy is fed only by events and every handler is an upsert keyed by the event's own ids, so
clearing the copy's tables and applying the sources' events again gives the same copy. The
service names its copy tables (cleared by its own repository: one owner per table) and its
sources; the kernel forgets the inbox progress (`events_admin.reset_source`) and audits it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Literal

from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.events_admin import reset_source


class RebuildRequest(BaseModel):
    """`local`: the service's stored events are applied again (no relay needed); `relay`:
    they are deleted too, and the operator rewinds the relay
    (`tapline events rewind <service> --source <source>` for each source), which also brings
    the past events of types the service began to handle after they were published (the relay
    copies a service only the types it handles: docs/events.md, "Delivery")."""

    mode: Literal["local", "relay"] = "local"


class RebuildResult(BaseModel):
    mode: str
    events_requeued: int
    events_deleted: int


async def rebuild(s: AsyncSession, who: Principal, sources: Sequence[str],
                  clear: Callable[[AsyncSession], Awaitable[None]],
                  mode: str) -> RebuildResult:
    """Clear the copy (`clear`, the copy's own repository) and the inbox progress for each
    source, in the request's transaction; the inbox processor then applies the events again
    in per-key order."""
    await clear(s)
    n = 0
    for source in sources:
        n += await reset_source(s, source, keep_rows=(mode == "local"))
    await audit.record(s, who, "rebuild-copy", "copy", ",".join(sources),
                       after={"mode": mode, "events": n})
    return RebuildResult(mode=mode, events_requeued=n if mode == "local" else 0,
                         events_deleted=0 if mode == "local" else n)
