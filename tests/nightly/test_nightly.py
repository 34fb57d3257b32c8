"""The nightly update (issue 15): one business day's steps in order through the gateway with
the night's service token, each once per day; failed steps retried with backoff and reported;
a supervisor's run-now and retry; the token refused outside the night's routes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from kernel import servicetoken
from kernel.settings import get_settings
from nightly import repository as repo
from nightly import service

DAY = date(2026, 6, 10)
T0 = datetime(2026, 6, 10, 8, 30, tzinfo=UTC)


class Flaky(httpx.AsyncBaseTransport):
    """The gateway, except that one path answers 503 the next `times` times."""

    def __init__(self, inner: httpx.AsyncBaseTransport, path: str, times: int) -> None:
        self.inner, self.path, self.times, self.calls = inner, path, times, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == self.path:
            self.calls += 1
            if self.times > 0:
                self.times -= 1
                return httpx.Response(503, json={"title": "Service unavailable",
                                                 "detail": "autopay is down"})
        return await self.inner.handle_async_request(request)


@pytest.fixture
def night(service_apps: dict[str, Any]) -> Any:
    return service_apps["nightly"]


@pytest.fixture
async def gateway(gateway_app: Any, bound: Any) -> Any:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway_app),
                                 base_url="http://testserver") as c:
        yield c


def _clock(t: list[datetime]) -> Any:
    return lambda: t[0]


async def _steps(client: Any, sup: dict[str, str], day: date) -> dict[str, tuple[str, int]]:
    runs = (await client.get("/api/nightly/runs", headers=sup)).json()
    run = next(r for r in runs if r["day"] == day.isoformat())
    return {s["step"]: (s["status"], s["attempts"]) for s in run["steps"]} | {
        "run": (run["status"], 0)}


async def test_a_night_runs_every_step_once_and_a_second_run_of_the_day_does_nothing(
        night, client, gateway, auth):
    sup = auth("supervisor", "sue")
    first = await service.run_day(night.state.db, gateway, DAY, "schedule")
    assert await _steps(client, sup, DAY) == {
        "collections": ("succeeded", 1), "autopay": ("succeeded", 1),
        "deposits": ("succeeded", 1), "leaks": ("succeeded", 1), "reports": ("skipped", 0),
        "run": ("succeeded", 0)}
    runs = (await client.get("/api/nightly/runs", headers=sup)).json()
    collections = next(s for s in runs[0]["steps"] if s["step"] == "collections")
    assert collections["result"]["run_on"] == DAY.isoformat()  # the daily job's own answer
    assert collections["seconds"] is not None and collections["error"] is None

    again = await service.run_day(night.state.db, gateway, DAY, "someone")
    assert again == first
    assert await _steps(client, sup, DAY) == {
        "collections": ("succeeded", 1), "autopay": ("succeeded", 1),
        "deposits": ("succeeded", 1), "leaks": ("succeeded", 1), "reports": ("skipped", 0),
        "run": ("succeeded", 0)}


async def test_on_the_first_of_the_month_the_months_reports_are_kept_with_the_run(
        night, client, gateway, auth):
    sup = auth("supervisor", "sue")
    run_id = await service.run_day(night.state.db, gateway, date(2026, 7, 1), "schedule")
    run = (await client.get(f"/api/nightly/runs/{run_id}", headers=sup)).json()
    reports = next(s for s in run["steps"] if s["step"] == "reports")
    assert reports["status"] == "succeeded", reports
    assert reports["result"]["month"] == "2026-06"
    assert {f["service"] for f in run["reports"]} >= {"payments", "collections"}
    first = run["reports"][0]
    pdf = await client.get(first["path"], headers=sup)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert first["period"] == "2026-06"


async def test_a_failed_step_is_retried_with_backoff_and_the_others_still_run(
        night, client, gateway_app, auth):
    sup = auth("supervisor", "sue")
    flaky = Flaky(httpx.ASGITransport(app=gateway_app), "/api/payments/autopay/run", times=2)
    t = [T0]
    async with httpx.AsyncClient(transport=flaky, base_url="http://testserver") as gw:
        run_id = await service.run_day(night.state.db, gw, DAY, "schedule", clock=_clock(t))
        steps = await _steps(client, sup, DAY)
        assert steps["autopay"] == ("retrying", 1)
        assert steps["leaks"] == ("succeeded", 1)  # the steps after it did not wait
        assert steps["run"] == ("running", 0)
        run = (await client.get(f"/api/nightly/runs/{run_id}", headers=sup)).json()
        autopay = next(s for s in run["steps"] if s["step"] == "autopay")
        assert "503" in autopay["error"] and "autopay is down" in autopay["error"]
        assert autopay["next_attempt_at"].startswith("2026-06-10T08:31")

        t[0] = T0 + timedelta(seconds=30)  # not yet due: nothing is called
        await service.run_steps(night.state.db, gw, run_id, DAY, clock=_clock(t))
        assert flaky.calls == 1
        t[0] = T0 + timedelta(minutes=2)  # second attempt fails too; the third waits 5 min
        await service.run_steps(night.state.db, gw, run_id, DAY, clock=_clock(t))
        assert (await _steps(client, sup, DAY))["autopay"] == ("retrying", 2)
        t[0] = T0 + timedelta(minutes=8)
        await service.run_steps(night.state.db, gw, run_id, DAY, clock=_clock(t))
    steps = await _steps(client, sup, DAY)
    assert steps["autopay"] == ("succeeded", 3) and steps["run"] == ("succeeded", 0)
    assert steps["collections"] == ("succeeded", 1)  # done steps were never called again
    assert flaky.calls == 3


async def test_a_step_that_keeps_failing_fails_the_run_until_a_supervisor_retries_it(
        night, client, gateway_app, auth):
    sup, tech = auth("supervisor", "sue"), auth("billing_tech", "bea")
    flaky = Flaky(httpx.ASGITransport(app=gateway_app), "/api/payments/autopay/run", times=99)
    t = [T0]
    async with httpx.AsyncClient(transport=flaky, base_url="http://testserver") as gw:
        run_id = await service.run_day(night.state.db, gw, DAY, "schedule", clock=_clock(t))
        for minutes in (2, 8, 40, 500):
            t[0] = T0 + timedelta(minutes=minutes)
            await service.run_steps(night.state.db, gw, run_id, DAY, clock=_clock(t))
        assert flaky.calls == 4
        steps = await _steps(client, sup, DAY)
        assert steps["autopay"] == ("failed", 4) and steps["run"] == ("failed", 0)

        url = f"/api/nightly/runs/{run_id}/steps/autopay/retry"
        assert (await client.post(url, headers=tech)).status_code == 403
        done = await client.post(f"/api/nightly/runs/{run_id}/steps/collections/retry",
                                 headers=sup)
        assert done.status_code == 409 and done.json()["code"] == "nightly-step-not-failed"
        flaky.times = 0
        service_apps_gateway = night.state.gateway
        night.state.gateway = gw  # the run the retry starts goes through the same gateway
        try:
            r = await client.post(url, headers=sup)
        finally:
            night.state.gateway = service_apps_gateway
    assert r.status_code == 202, r.text
    steps = await _steps(client, sup, DAY)
    assert steps["autopay"] == ("succeeded", 5) and steps["run"] == ("succeeded", 0)
    runs = (await client.get("/api/nightly/runs", headers=sup)).json()
    assert next(s for s in runs[0]["steps"] if s["step"] == "autopay")["retried_by"] == "sue"


async def test_a_step_left_running_by_a_dead_process_is_resumed_and_one_runner_takes_a_step(
        night, gateway):
    db = night.state.db
    run_id = await service.open_run(db, DAY, "schedule")
    async with db.session() as s:
        assert await repo.claim(s, run_id, "collections", T0) == 1
        assert await repo.claim(s, run_id, "collections", T0) is None  # taken: nobody else
        await s.commit()
    # the process dies here, mid-step; the next leader starts
    async with db.session() as s:
        assert await repo.resume_interrupted(s) == 1
        await s.commit()
    await service.run_steps(db, gateway, run_id, DAY)
    async with db.session() as s:
        steps = {r.step: (r.status, r.attempts) for r in await repo.steps(s, [run_id])}
    assert steps["collections"] == ("succeeded", 2)


async def test_a_supervisor_runs_a_missed_night_now_and_a_technician_may_not(
        night, client, gateway, auth):
    sup, tech = auth("supervisor", "sue"), auth("billing_tech", "bea")
    assert (await client.post("/api/nightly/runs", params={"day": "2026-06-09"},
                              headers=tech)).status_code == 403
    saved = night.state.gateway
    night.state.gateway = gateway
    try:
        r = await client.post("/api/nightly/runs", params={"day": "2026-06-09"}, headers=sup)
    finally:
        night.state.gateway = saved
    assert r.status_code == 202, r.text
    assert r.json()["requested_by"] == "sue"
    assert (await _steps(client, sup, date(2026, 6, 9)))["run"] == ("succeeded", 0)
    assert (await client.get("/api/nightly/runs", headers=tech)).status_code == 200


async def test_the_gateway_lets_the_nights_token_through_only_on_the_nights_routes(client):
    night = {"Authorization": f"Bearer {servicetoken.mint(get_settings())}"}
    ok = await client.post("/api/collections/daily", params={"today": "2026-06-10"},
                           headers=night)
    assert ok.status_code == 200, ok.text
    for method, path in (("GET", "/api/accounts/search?q=smith"),
                         ("GET", "/api/nightly/runs"),
                         ("POST", "/api/payments/autopay/files"),
                         ("GET", "/api/collections/daily/progress")):
        r = await client.request(method, path, headers=night)
        assert r.status_code == 403, (path, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")


async def test_a_night_is_run_only_for_a_day_of_this_millennium_or_the_last(client, auth):
    sup = auth("supervisor", "sue")
    for day in ("0001-01-01", "3000-01-01"):
        r = await client.post("/api/nightly/runs", params={"day": day}, headers=sup)
        assert r.status_code == 422, r.text


async def test_running_a_night_now_twice_with_one_key_answers_the_first_run(
        night, client, gateway, auth):
    sup = {**auth("supervisor", "sue"), "Idempotency-Key": "night-of-june-8"}
    saved = night.state.gateway
    night.state.gateway = gateway
    try:
        first = await client.post("/api/nightly/runs", params={"day": "2026-06-08"}, headers=sup)
        again = await client.post("/api/nightly/runs", params={"day": "2026-06-08"}, headers=sup)
    finally:
        night.state.gateway = saved
    assert first.status_code == again.status_code == 202, (first.text, again.text)
    assert again.json()["id"] == first.json()["id"]
