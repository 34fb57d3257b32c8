"""The nightly update's use cases: open a day's run, run its steps in order through the
gateway with the night's service token, retry failed steps with backoff, and the schedule.

Each step's state is committed before its call and after it, in sessions of their own, so the
run log shows a step `running` while it runs and a process that dies mid-step leaves it there
for the next leader to resume (`repository.resume_interrupted`). A failed step does not hold up
the steps after it (autopay failing is no reason to skip leak detection); it is tried again at
its next attempt time, and after the last it stays failed, and so does the run, until a
supervisor retries it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from kernel import servicetoken
from kernel.clock import utc_now
from kernel.db import Database
from kernel.settings import Settings, get_settings
from nightly import domain
from nightly import repository as repo

log = logging.getLogger("tapline.nightly")

Clock = Callable[[], datetime]


class StepFailed(Exception):
    pass


def service_token(settings: Settings) -> str:
    return servicetoken.mint(settings)


async def _call(client: httpx.AsyncClient, call: domain.Call, token: str) -> Any:
    try:
        r = await client.request(call.method, call.path, params=call.params or None,
                                 json=call.json,
                                 headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        raise StepFailed(f"{call.method} {call.path}: {type(exc).__name__}: {exc}") from exc
    if r.status_code >= 400:
        detail = r.text[:500]
        try:
            body = r.json()
            detail = str(body.get("detail") or body.get("title") or detail)
        except ValueError:
            pass
        raise StepFailed(f"{call.method} {call.path} answered {r.status_code}: {detail}")
    return r.json() if r.headers.get("content-type", "").startswith("application/json") else None


async def _keep_reports(db: Database, client: httpx.AsyncClient, token: str,
                        run_id: uuid.UUID, day: date) -> dict[str, Any]:
    """Every monthly report each service's catalogue lists, as a PDF of the month just ended,
    kept with the run (staff download them from the run log)."""
    month = domain.previous_month(day)
    kept: list[str] = []
    head = {"Authorization": f"Bearer {token}"}
    for service in domain.REPORT_SERVICES:
        try:
            cat = await client.get(f"/api/{service}/reports", headers=head)
        except httpx.HTTPError as exc:
            raise StepFailed(f"{service} reports: {exc}") from exc
        if cat.status_code == 404:
            continue  # a service with no reports
        if cat.status_code >= 400:
            raise StepFailed(f"{service} reports answered {cat.status_code}: {cat.text[:300]}")
        for entry in cat.json().get("reports", []):
            if entry.get("period") != "month" or "pdf" not in entry.get("formats", []):
                continue
            pdf = await client.get(f"{entry['path']}.pdf", params={"month": month}, headers=head)
            if pdf.status_code >= 400:
                raise StepFailed(f"{entry['path']}.pdf answered {pdf.status_code}: "
                                 f"{pdf.text[:300]}")
            async with db.session() as s:
                await repo.keep_report(s, run_id, service, entry["name"], month,
                                       entry.get("title", entry["name"]), "application/pdf",
                                       pdf.content)
                await s.commit()
            kept.append(f"{service}/{entry['name']}")
    return {"month": month, "kept": kept}


async def open_run(db: Database, day: date, who: str) -> uuid.UUID:
    async with db.session() as s:
        run_id = await repo.open_run(
            s, day, [(st.name, i, st.skip_reason) for i, st in enumerate(domain.plan(day))],
            who)
        await s.commit()
    return run_id


async def run_steps(db: Database, client: httpx.AsyncClient, run_id: uuid.UUID, day: date,
                    settings: Settings | None = None, clock: Clock = utc_now) -> None:
    """Each step of the run that may run now, in order; then the run's status."""
    settings = settings or get_settings()
    token = service_token(settings)
    for st in domain.plan(day):
        if st.call is None:
            continue
        async with db.session() as s:
            attempt = await repo.claim(s, run_id, st.name, clock())
            await s.commit()
        if attempt is None:
            continue  # done, skipped, waiting for its next attempt, or another runner has it
        result: Any = None
        error: str | None = None
        try:
            if st.name == "reports":
                result = await _keep_reports(db, client, token, run_id, day)
            else:
                result = await _call(client, st.call, token)
        except StepFailed as exc:
            error = str(exc)
        async with db.session() as s:
            now = clock()
            nxt = domain.next_attempt(attempt, now) if error is not None else None
            await repo.finish(s, run_id, st.name, now, result=result, error=error,
                              next_attempt_at=nxt)
            await s.commit()
        if error is not None:
            log.warning("nightly %s step %s failed (attempt %d, next %s): %s", day, st.name,
                        attempt, nxt or "none: a supervisor must retry it", error)
    await settle(db, run_id, clock)


def shown_status(status: str, next_attempt_at: datetime | None) -> str:
    return "retrying" if status == "failed" and next_attempt_at is not None else status


async def settle(db: Database, run_id: uuid.UUID, clock: Clock = utc_now) -> str:
    async with db.session() as s:
        rows = await repo.steps(s, [run_id])
        status = domain.run_status([shown_status(r.status, r.next_attempt_at) for r in rows])
        await repo.settle_run(s, run_id, status, clock())
        await s.commit()
    return status


async def run_day(db: Database, client: httpx.AsyncClient, day: date, who: str,
                  settings: Settings | None = None, clock: Clock = utc_now) -> uuid.UUID:
    run_id = await open_run(db, day, who)
    await run_steps(db, client, run_id, day, settings, clock)
    return run_id


def schedule_time(settings: Settings) -> time:
    return time.fromisoformat(settings.nightly_at)


async def tick(db: Database, client: httpx.AsyncClient, settings: Settings,
               clock: Clock = utc_now) -> None:
    """One look at the clock: the due day's run when it has none yet, then every unfinished
    run's steps that may run now (retries whose time has come)."""
    day = domain.due_day(clock(), schedule_time(settings), ZoneInfo(settings.timezone))
    if day is not None:
        async with db.session() as s:
            exists = await repo.run_of_day(s, day)
        if exists is None:
            await run_day(db, client, day, "schedule", settings, clock)
    async with db.session() as s:
        unfinished = await repo.unfinished_runs(s)
    for r in unfinished:
        await run_steps(db, client, r.id, r.day, settings, clock)


async def schedule(db: Database, client: httpx.AsyncClient, settings: Settings,
                   stop: asyncio.Event) -> None:
    """The leader's loop: resume what a dead leader left running, then tick until stopped."""
    async with db.session() as s:
        resumed = await repo.resume_interrupted(s)
        await s.commit()
    if resumed:
        log.warning("nightly: %d step(s) left running by a previous process resumed", resumed)
    while not stop.is_set():
        try:
            await tick(db, client, settings)
        except Exception:  # noqa: BLE001 - the schedule must outlive a database restart
            log.exception("nightly tick failed; trying again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=settings.nightly_poll_seconds)
