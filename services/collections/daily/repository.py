"""All SQL of the daily job: its lock and its record of the days it has run."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

#: The advisory lock every daily job takes (transaction-scoped): a second job started while
#: one runs waits for it to commit, then finds the day done.
LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended('collections.daily', 0))")

#: Plan every statement for its own parameters until the day's transaction ends.
CUSTOM_PLANS = text("SET LOCAL plan_cache_mode = force_custom_plan")


async def lock(s: AsyncSession) -> None:
    await s.execute(LOCK)
    # Each of the day's statements runs once a day, with dates that decide the plan: a cached
    # generic plan (the driver prepares every statement) cannot see them and chose nested loops
    # that grew with the district (door tags due: 2 ms planned for the day, 1-3 s generic).
    await s.execute(CUSTOM_PLANS)


async def result_of(s: AsyncSession, day: date) -> dict[str, object] | None:
    r = (await s.execute(text("SELECT result FROM daily_runs WHERE run_on = :d"),
                         {"d": day})).scalar_one_or_none()
    return None if r is None else dict(r)


async def record(s: AsyncSession, day: date, who: str, result: dict[str, object]) -> None:
    await s.execute(text(
        "INSERT INTO daily_runs (run_on, run_by, result) VALUES (:d, :w, CAST(:r AS jsonb))"),
        {"d": day, "w": who, "r": json.dumps(result)})
