"""Input is taken as the API document types it, not as lax pydantic would guess it.

Pydantic alone reads `today=0` as 1970-01-01 and a timestamp without an offset as server-local
time: a deposit review "as of 1970" or a read stamped in the wrong hour, silently. Every date
and instant input is `kernel.clock.Day` / `Instant`; JSON body flags and counts are strict
(`"text_messages": 0` is not consent withheld, it is a client bug). An app with a lax input is
not built.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from fastapi import FastAPI
from pydantic import BaseModel, StrictInt

from kernel.app import install_routing_rules
from kernel.clock import Day, Instant
from kernel.routing import lax_inputs
from tests.accounts.factories import audits, customer_body, metered_premise


def _fields(r):
    return {e["field"] for e in r.json()["errors"]}


async def test_a_deposit_review_as_of_a_number_is_refused_and_releases_nothing(
        client, auth, bound):
    for bad in ("0", "1735689600", "2026-1-5", "20260105", "2026-01-05T00:00:00Z"):
        r = await client.post("/api/accounts/deposits/review", headers=auth("supervisor"),
                              params={"today": bad})
        assert r.status_code == 422, (bad, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert _fields(r) == {"today"}
    assert await audits(bound, "deposit.credited") == []
    ok = await client.get("/api/accounts/deposits/due", headers=auth("csr1"),
                          params={"today": "2026-01-05"})
    assert ok.status_code == 200


async def test_the_order_worklist_through_a_number_is_refused(client, auth):
    r = await client.get("/api/accounts/orders/worklist", headers=auth("csr1"),
                         params={"through": 0})
    assert r.status_code == 422 and _fields(r) == {"through"}


async def test_a_year_one_date_is_refused_not_a_server_error(client, auth):
    r = await client.post("/api/accounts/deposits/review", headers=auth("supervisor"),
                          params={"today": "0001-01-01"})
    assert r.status_code == 422 and _fields(r) == {"today"}


async def test_a_backflow_test_date_given_as_a_number_in_the_body_is_refused(client, auth):
    r = await client.post("/api/accounts/backflow/overdue/orders", headers=auth("csr1"),
                          json={"today": 20260105})
    assert r.status_code == 422 and _fields(r) == {"today"}
    premise, _ = await metered_premise(client, auth)
    device = await client.post("/api/accounts/backflow", headers=auth("supervisor"), json={
        "premise_id": premise["id"], "kind": "RP", "serial": f"BF{uuid.uuid4().hex[:8]}",
        "next_test_due": 1767225600})
    assert device.status_code == 422 and _fields(device) == {"next_test_due"}


async def test_a_bill_run_period_given_as_numbers_is_refused(client, auth):
    r = await client.post("/api/billing/runs", headers=auth("billing_tech"), json={
        "cycle": "C1", "period_start": 0, "period_end": 86400 * 30, "bill_date": "2026-02-01"})
    assert r.status_code == 422
    assert {"period_start", "period_end"} <= _fields(r)


async def test_a_completion_read_time_without_an_offset_is_refused(client, auth):
    premise, _ = await metered_premise(client, auth)
    order = await client.post("/api/accounts/orders", headers=auth("csr1"), json={
        "kind": "re_read", "premise_id": premise["id"], "scheduled_date": "2026-03-02"})
    url = f"/api/accounts/orders/{order.json()['id']}/complete"
    naive = await client.post(url, headers=auth("field_tech"), json={
        "read": "150.5", "read_at": "2026-03-02T10:15:00"})
    assert naive.status_code == 422 and _fields(naive) == {"read_at"}
    done = await client.post(url, headers=auth("field_tech"), json={
        "read": "150.5", "read_at": "2026-03-02T10:15:00-08:00"})
    assert done.status_code == 200, done.text
    assert done.json()["read"]["read_at"].startswith("2026-03-02T18:15:00")


async def test_a_flag_or_a_count_given_as_the_wrong_json_type_is_refused(client, auth):


    r = await client.post("/api/accounts/customers", headers=auth("csr1"),
                          json=customer_body(text_messages=0))
    assert r.status_code == 422 and _fields(r) == {"text_messages"}
    r = await client.post("/api/accounts/backflow/overdue/orders", headers=auth("csr1"),
                          json={"today": "2026-01-05", "due_within_days": False})
    assert r.status_code == 422 and _fields(r) == {"due_within_days"}
    r = await client.post("/api/accounts/customers", headers=auth("csr1"),
                          json=customer_body(text_messages=True))
    assert r.status_code == 201 and r.json()["text_messages"] is True


async def test_the_api_document_still_says_date_and_date_time(client):
    doc = (await client.get("/api/openapi.json")).json()
    [today] = [p for p in doc["paths"]["/api/accounts/deposits/due"]["get"]["parameters"]
               if p["name"] == "today"]
    assert today["schema"] == {"type": "string", "format": "date", "title": "Today"}
    complete = doc["components"]["schemas"]["CompleteIn"]["properties"]["read_at"]
    assert {"type": "string", "format": "date-time"} in complete["anyOf"]


def test_day_and_instant_take_iso_text_and_values_built_in_python():
    from pydantic import TypeAdapter

    day, instant = TypeAdapter(Day), TypeAdapter(Instant)
    assert day.validate_python("2026-01-05") == date(2026, 1, 5)
    assert day.validate_python(date(2026, 1, 5)) == date(2026, 1, 5)
    assert instant.validate_python("2026-01-05T08:30:00+02:00") == datetime(
        2026, 1, 5, 6, 30, tzinfo=UTC)
    for bad in (0, 1.5, "2026-02-30", datetime(2026, 1, 5, tzinfo=UTC)):
        with pytest.raises(ValueError):
            day.validate_python(bad)
    for bad in (0, "2026-01-05", "2026-01-05T08:30:00", datetime(2026, 1, 5)):  # noqa: DTZ001
        with pytest.raises(ValueError):
            instant.validate_python(bad)


class _Window(BaseModel):
    start: date
    end: Day


class _Visit(BaseModel):
    window: _Window
    at: datetime | None = None
    urgent: bool = False
    crew: StrictInt = 1


def test_an_app_that_takes_a_plain_date_datetime_or_lax_body_scalar_is_not_built():
    app = FastAPI()

    @app.get("/due")
    async def due(today: date, ok: Day) -> None: ...

    @app.post("/visits/{day}")
    async def visit(day: date, body: _Visit, since: Instant | None = None) -> None: ...

    assert lax_inputs(app.routes) == [
        "GET /due: query today",
        "POST /visits/{day}: body at",
        "POST /visits/{day}: body urgent",
        "POST /visits/{day}: body window.start",
        "POST /visits/{day}: path day",
    ]
    with pytest.raises(TypeError, match="query today"):
        install_routing_rules(app)
