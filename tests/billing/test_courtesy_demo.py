"""The demo district (issue 12): `make run` opens on a month of hourly AMI data with a
continuous-flow leak alert, and the courtesy call worklist holds the two homes whose month-end
reads came in high, the leak among them."""

from __future__ import annotations

from datetime import date

import asyncpg

from kernel.db import Database
from kernel.settings import Settings, get_settings, service_role
from services.billing.courtesy import service as courtesy
from tapline.demo import load_demo

TODAY = date(2026, 11, 20)


async def test_the_demo_district_shows_a_leak_alert_and_the_courtesy_worklist(fresh_database):
    settings = Settings(database_url=fresh_database, data_dir=get_settings().data_dir)
    assert await load_demo(settings, TODAY) is True
    conn = await asyncpg.connect(fresh_database)
    try:
        days = await conn.fetch(
            "SELECT meter_id, count(*) AS n, min(day) AS first, max(day) AS last "
            "FROM billing.ami_days GROUP BY meter_id")
        alerts = await conn.fetch(
            "SELECT meter_id, kind, status, detected_on FROM billing.leak_alerts")
        high = await conn.fetch(
            "SELECT e.meter_id, r.read_on, r.usage, r.days, r.source "
            "FROM billing.read_exceptions e JOIN billing.reads r ON r.id = e.read_id "
            "WHERE e.code = 'high'")
        others = await conn.fetchval(
            "SELECT count(*) FROM billing.read_exceptions WHERE code <> 'high'")
    finally:
        await conn.close()
    assert len(days) == 4
    assert {(d["n"], d["first"], d["last"]) for d in days} == {
        (30, date(2026, 10, 21), date(2026, 11, 19))}
    [alert] = alerts
    assert (alert["kind"], alert["status"]) == ("continuous", "open")
    assert {(h["read_on"], h["days"], h["source"]) for h in high} == {
        (date(2026, 11, 19), 30, "ami")}
    assert len(high) == 2 and alert["meter_id"] in {h["meter_id"] for h in high}
    assert others == 0  # the ordinary months raise nothing
    db = Database(settings.role_dsn(service_role("billing")), "billing", settings, "t-demo")
    try:
        async with db.session() as s:
            items = await courtesy.worklist(s, TODAY, None, None, None, "todo", None, 50)
    finally:
        await db.dispose()
    assert len(items) == 2 and all(i.status == "open" for i in items)
    leak = next(i for i in items if i.open_leak_alert)
    assert leak.meter_id == alert["meter_id"]
    assert leak.comparison.flagged_against == "prior_period"
    assert leak.comparison.times_prior_period is not None
    assert leak.comparison.times_prior_period > 3
