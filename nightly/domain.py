"""The night's work (pure): which steps run for a business day, in which order, what each asks
of its service, when a failed step is tried again, and which day the schedule says is due.

Each step is one call through the gateway to the service that owns the work; the service's own
route is safe to repeat for the same day (the collections daily job answers a second run with
the first one's result, autopay adds only what is new, a deposit released once is not released
again, leak detection keeps one alert per meter and episode). The run log makes the night
exactly-once on top of that: a step that succeeded for a day is never called again for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

#: Waits before the 2nd, 3rd and 4th attempt of a failed step; after the last, the step stays
#: failed (and the run with it) until a supervisor retries it.
RETRY_DELAYS: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=5),
                                       timedelta(minutes=30))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


@dataclass(frozen=True)
class Call:
    """One HTTP request through the gateway."""

    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    json: dict[str, Any] | None = None


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    #: The calls, or None when the step has nothing to do that day (`skip_reason` says why).
    call: Call | None
    skip_reason: str | None = None


REPORT_SERVICES: tuple[str, ...] = ("accounts", "billing", "payments", "collections")


def previous_month(day: date) -> str:
    first = day.replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def plan(day: date) -> list[Step]:
    """The steps of the night that closes `day`'s eve, in order. Leak detection reads the day
    before (the AMI head-end delivers a day's intervals after midnight); the reports of the
    month just ended are kept on the first of a month."""
    iso = day.isoformat()
    reports = (Step("reports", "Month's reports kept", Call("GET", "/api/{service}/reports"))
               if day.day == 1 else
               Step("reports", "Month's reports kept", None,
                    "Reports are kept on the first of a month"))
    return [
        Step("collections", "Aging and the collections ladder",
             Call("POST", "/api/collections/daily", params={"today": iso})),
        Step("autopay", "Autopay debits due",
             Call("POST", "/api/payments/autopay/run", json={"today": iso})),
        Step("deposits", "Deposit review",
             Call("POST", "/api/accounts/deposits/review", params={"today": iso})),
        Step("leaks", "Leak detection on the day's AMI data",
             Call("POST", "/api/billing/usage/leaks/detect",
                  params={"day": (day - timedelta(days=1)).isoformat()})),
        reports,
    ]


STEP_NAMES: tuple[str, ...] = tuple(s.name for s in plan(date(2026, 1, 2)))


def next_attempt(attempts: int, now: datetime) -> datetime | None:
    """When a step that has failed `attempts` times is tried again (None: no more)."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + RETRY_DELAYS[attempts - 1]


def due_day(now: datetime, at: time, zone: ZoneInfo) -> date | None:
    """The business day whose night is due at `now`: today's (local) once the clock has passed
    the scheduled time, else None (yesterday's was due last night)."""
    local = now.astimezone(zone)
    return local.date() if local.time() >= at else None


def run_status(statuses: list[str]) -> str:
    """A run is running while any step may still run, failed when a step has failed for good
    (`failed` with no next attempt is passed in as 'failed'), else succeeded."""
    if any(s in ("pending", "running", "retrying") for s in statuses):
        return "running"
    return "failed" if "failed" in statuses else "succeeded"
