"""The daily job: every collections feature's daily step, in order, for the whole district,
under one advisory lock, once per day.

Order (docs/collections.md): the ladder (cures first, then each bill's next step with its late
charge, letter and events), then arrangements' daily step, then the field's (door tags and
disconnect orders due; reconnects or cancellations for the accounts cured today), then closed
accounts' (cases, collection letters) and liens' (releases of paid liens). A second run
on a day already run (another process, a retry) waits for the lock, then answers with the
first run's result and does nothing.

**Progress.** While a run goes, `progress()` says which step it is on and how long each step
before it took, for the staff app's progress bar. It is this process's memory (a run started by
the CLI or another process is not seen), and it is only a view: the run's result and
`daily_runs` stay the record.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.clock import utc_now
from services.collections.arrangements import service as arrangements
from services.collections.closed import service as closed
from services.collections.daily import repository as repo
from services.collections.daily.schemas import DailyProgress
from services.collections.field import service as field_orders
from services.collections.ladder import service as ladder
from services.collections.liens import service as liens

#: The run's steps, in order.
STEPS = ("ladder", "arrangements", "field", "closed", "liens")


@dataclass(frozen=True)
class Progress:
    run_on: date | None = None
    started_at: datetime | None = None
    #: The step running now; None before the first run and once a run has ended.
    step: str | None = None
    #: Seconds each finished step took.
    done: dict[str, float] = field(default_factory=dict)
    finished_at: datetime | None = None
    failed: bool = False


_progress = Progress()


def progress() -> Progress:
    """The latest run of this process: the step it is on, or how it ended."""
    return _progress


def _at(step: str | None, took: dict[str, float]) -> None:
    global _progress
    _progress = replace(_progress, step=step, done={k: round(v, 2) for k, v in took.items()})


async def run(session: AsyncSession, today: date, actor: str = "system") -> dict[str, Any]:
    """Run the day (flush only: the caller commits). `ran` is false when the day had run."""
    global _progress
    await repo.lock(session)
    done = await repo.result_of(session, today)
    if done is not None:
        return {"run_on": today.isoformat(), "ran": False, **done}
    _progress = Progress(run_on=today, started_at=utc_now(), step=STEPS[0])
    try:
        result = await _steps(session, today, actor)
    except BaseException:
        _progress = replace(_progress, failed=True, finished_at=utc_now())
        raise
    await repo.record(session, today, actor, result)
    _progress = replace(_progress, step=None, finished_at=utc_now())
    return {"run_on": today.isoformat(), "ran": True, **result}


async def _steps(session: AsyncSession, today: date, actor: str) -> dict[str, Any]:
    took: dict[str, float] = {}
    t0 = time.perf_counter()
    result: dict[str, Any] = {"ladder": await ladder.advance(session, today, actor)}
    cured = await ladder.cured(session, today)
    result["cured_accounts"] = len(cured)
    took["ladder"], t0 = time.perf_counter() - t0, time.perf_counter()
    _at("arrangements", took)
    result["arrangements"] = await arrangements.run_daily(session, today)
    took["arrangements"], t0 = time.perf_counter() - t0, time.perf_counter()
    _at("field", took)
    result["field"] = await field_orders.run_daily(session, today)
    for account_id in cured:  # the few accounts whose ladder stopped today
        await field_orders.on_cured(session, account_id, today)
    took["field"], t0 = time.perf_counter() - t0, time.perf_counter()
    _at("closed", took)
    result["closed"] = await closed.run_daily(session, today)
    took["closed"], t0 = time.perf_counter() - t0, time.perf_counter()
    _at("liens", took)
    result["liens"] = await liens.run_daily(session, today)
    took["liens"] = time.perf_counter() - t0
    _at("liens", took)
    result["seconds"] = {k: round(v, 2) for k, v in took.items()}
    return result


def progress_out() -> DailyProgress:
    p = _progress
    return DailyProgress(steps=list(STEPS), running=p.step is not None and not p.failed,
                         run_on=p.run_on, step=p.step, done=dict(p.done),
                         started_at=p.started_at, finished_at=p.finished_at, failed=p.failed)
