"""The daily job's progress, for the staff app's progress bar: the step a run is on while it
runs, what each finished step took, and how the latest run ended."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from services.collections.arrangements import service as arrangements
from services.collections.daily import service as daily
from tests.collections.ladder_helpers import billed, run_day

DUE = date(2026, 3, 2)


async def test_a_run_reports_the_step_it_is_on_and_each_step_it_finished(
        client, feed, auth, monkeypatch):
    admin = auth("admin", "ada")
    await billed(feed, "100.00", str(DUE))
    seen: list[Any] = []
    real = arrangements.run_daily

    async def watched(session, today):  # type: ignore[no-untyped-def]
        seen.append(daily.progress())
        return await real(session, today)

    monkeypatch.setattr(arrangements, "run_daily", watched)
    day = DUE + timedelta(days=5)
    result = await run_day(client, admin, day)
    assert result["ran"] is True

    during = seen[0]
    assert (during.run_on, during.step) == (day, "arrangements")
    assert set(during.done) == {"ladder"}  # the ladder had finished, nothing else had

    r = await client.get("/api/collections/daily/progress", headers=admin)
    assert r.status_code == 200, r.text
    after = r.json()
    assert after["steps"] == ["ladder", "arrangements", "field", "closed", "liens"]
    assert (after["running"], after["step"], after["failed"]) == (False, None, False)
    assert after["run_on"] == day.isoformat() and after["finished_at"] is not None
    assert set(after["done"]) == set(after["steps"])


async def test_a_day_already_run_leaves_the_progress_of_the_run_that_did_it(client, feed, auth):
    admin = auth("admin", "ada")
    await billed(feed, "100.00", str(DUE))
    day = DUE + timedelta(days=6)
    await run_day(client, admin, day)
    first = (await client.get("/api/collections/daily/progress", headers=admin)).json()
    assert (await run_day(client, admin, day))["ran"] is False
    again = (await client.get("/api/collections/daily/progress", headers=admin)).json()
    assert again == first


async def test_only_those_who_run_or_watch_the_job_see_its_progress(client, auth):
    for role, status in (("csr2", 403), ("field_tech", 403), ("supervisor", 200),
                         ("admin", 200)):
        r = await client.get("/api/collections/daily/progress", headers=auth(role))
        assert r.status_code == status, (role, r.text)
