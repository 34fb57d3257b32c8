"""The daily job: every collections feature's daily step, in order, for the whole district,
under one advisory lock, once per day.

Order (docs/collections.md): the ladder (cures first, then each bill's next step with its late
charge, letter and events), then arrangements' daily step, then the field's (door tags and
disconnect orders due; reconnects or cancellations for the accounts cured today), then closed
accounts' (cases, collection letters) and liens' (releases of paid liens). A second run
on a day already run (another process, a retry) waits for the lock, then answers with the
first run's result and does nothing.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.collections.arrangements import service as arrangements
from services.collections.closed import service as closed
from services.collections.daily import repository as repo
from services.collections.field import service as field
from services.collections.ladder import service as ladder
from services.collections.liens import service as liens


async def run(session: AsyncSession, today: date, actor: str = "system") -> dict[str, Any]:
    """Run the day (flush only: the caller commits). `ran` is false when the day had run."""
    await repo.lock(session)
    done = await repo.result_of(session, today)
    if done is not None:
        return {"run_on": today.isoformat(), "ran": False, **done}
    took: dict[str, float] = {}
    t0 = time.perf_counter()
    result: dict[str, Any] = {"ladder": await ladder.advance(session, today, actor)}
    cured = await ladder.cured(session, today)
    result["cured_accounts"] = len(cured)
    took["ladder"], t0 = time.perf_counter() - t0, time.perf_counter()
    result["arrangements"] = await arrangements.run_daily(session, today)
    took["arrangements"], t0 = time.perf_counter() - t0, time.perf_counter()
    result["field"] = await field.run_daily(session, today)
    for account_id in cured:  # the few accounts whose ladder stopped today
        await field.on_cured(session, account_id, today)
    took["field"], t0 = time.perf_counter() - t0, time.perf_counter()
    result["closed"] = await closed.run_daily(session, today)
    took["closed"], t0 = time.perf_counter() - t0, time.perf_counter()
    result["liens"] = await liens.run_daily(session, today)
    took["liens"] = time.perf_counter() - t0
    result["seconds"] = {k: round(v, 2) for k, v in took.items()}
    await repo.record(session, today, actor, result)
    return {"run_on": today.isoformat(), "ran": True, **result}
