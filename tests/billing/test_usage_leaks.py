"""Leak alerts from AMI data (DOMAIN.md: continuous flow over 3 gal/h for 48 h at a residence;
a burst over 30 gal/h for 8 h anywhere): found for a day by one set-based pass, stored once per
account and episode with the hours that triggered them, announced as `billing.LeakSuspected`."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from services.billing.copy import repository as copy_repo
from services.billing.reads import repository as reads_repo
from services.billing.usage import domain
from services.billing.usage.service import detect_leaks
from tests.billing.helpers import make_site
from tests.billing.usage_helpers import import_ami, steady

D = date(2026, 4, 10)
DRIP = "0.005"   # HCF an hour = 3.74 gallons: over 3 gal/h
TRICKLE = "0.004"  # 2.992 gallons: not over


async def detect(client, tech, day: date) -> int:
    r = await client.post("/api/billing/usage/leaks/detect", params={"day": day.isoformat()},
                          headers=tech)
    assert r.status_code == 200, r.text
    return int(r.json()["alerts_opened"])


async def events(bound) -> list[dict[str, Any]]:
    rows = (await bound["billing"].execute(text(
        "SELECT key, payload FROM outbox WHERE type = 'billing.LeakSuspected' ORDER BY id"))).all()
    return [{"key": r.key, **r.payload} for r in rows]


async def test_two_days_of_continuous_flow_at_a_home_open_one_alert_with_its_48_hours(
        client, feed, tech, auth, bound):
    site = await make_site(feed)
    await import_ami(client, tech, site.serial, {D - timedelta(days=1): steady(DRIP),
                                                  D: steady(DRIP)})
    assert await detect(client, tech, D) == 1
    assert await detect(client, tech, D) == 0  # the same episode is stored once

    me = auth("customer", "c1", (site.account_id,))
    alerts = (await client.get(f"/api/billing/usage/accounts/{site.account_id}/leaks",
                               headers=me)).json()
    assert len(alerts) == 1
    a = alerts[0]
    assert (a["kind"], a["status"], a["min_hours"], a["threshold_gph"]) == (
        "continuous", "open", 48, "3.000")
    assert len(a["hours"]) == 48 and a["hours"][0] == {"at": "2026-04-09T07:00:00Z",
                                                         "gallons": "3.740"}
    assert a["last_hour"] == "2026-04-11T06:00:00Z"

    [ev] = await events(bound)
    assert ev["key"] == f"account:{site.account_id}"
    assert ev["alert"]["id"] == a["id"] and len(ev["alert"]["hours"]) == 48
    assert ev["notify"] == {"email": True, "text": False}


async def test_a_leak_that_goes_on_extends_its_alert_and_ends_when_the_flow_stops(
        client, feed, tech, bound):
    site = await make_site(feed)
    await import_ami(client, tech, site.serial, {D - timedelta(days=1): steady(DRIP),
                                                  D: steady(DRIP),
                                                  D + timedelta(days=1): steady(DRIP)})
    assert await detect(client, tech, D) == 1
    assert await detect(client, tech, D + timedelta(days=1)) == 0  # the same episode
    [(hours, status)] = (await bound["billing"].execute(text(
        "SELECT jsonb_array_length(hours), status FROM leak_alerts"))).all()
    assert (hours, status) == (72, "open")
    await import_ami(client, tech, site.serial, {D + timedelta(days=2): steady("0")})
    assert await detect(client, tech, D + timedelta(days=2)) == 0
    assert (await bound["billing"].execute(text(
        "SELECT status FROM leak_alerts"))).scalar_one() == "ended"
    assert len(await events(bound)) == 1


async def test_flow_at_3_gallons_or_broken_by_one_quiet_hour_is_no_leak(client, feed, tech):
    steady_low, broken = await make_site(feed), await make_site(feed)
    await import_ami(client, tech, steady_low.serial, {D - timedelta(days=1): steady(TRICKLE),
                                                        D: steady(TRICKLE)})
    gap = steady(DRIP)
    gap[12] = "0"
    await import_ami(client, tech, broken.serial, {D - timedelta(days=1): steady(DRIP),
                                                    D: gap})
    assert await detect(client, tech, D) == 0


async def test_a_burst_is_found_at_a_business_where_steady_flow_is_normal(
        client, feed, tech, bound, auth):
    shop = await make_site(feed, kind="commercial", rate_class="COM", sewer=False)
    day = [DRIP] * 24
    for h in range(9, 17):
        day[h] = "0.050"  # 37.4 gallons an hour for 8 hours
    await import_ami(client, tech, shop.serial, {D - timedelta(days=1): steady(DRIP), D: day})
    await client.put(f"/api/billing/usage/accounts/{shop.account_id}/alert-preferences",
                     json={"email": True, "text": True, "continuous": True, "burst": False},
                     headers=auth("csr1"))
    assert await detect(client, tech, D) == 1
    [ev] = await events(bound)
    assert ev["alert"]["kind"] == "burst" and len(ev["alert"]["hours"]) == 8
    assert ev["alert"]["peak_gph"] == "37.400"
    assert ev["notify"] == {"email": False, "text": False}  # bursts: not wanted


async def test_detection_of_a_day_not_ended_is_refused_and_customers_may_not_run_it(
        client, auth, tech):
    r = await client.post("/api/billing/usage/leaks/detect", params={"day": "2999-01-01"},
                          headers=tech)
    assert r.status_code == 422
    r = await client.post("/api/billing/usage/leaks/detect", params={"day": "2026-01-01"},
                          headers=auth("customer", "c9", ()))
    assert r.status_code == 403


# ---- the SQL's runs are the rule's runs -------------------------------------------------------

HOURS = st.lists(st.sampled_from([None, "0", "0.004", "0.005", "0.050", "0.041"]),
                 min_size=72, max_size=72)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(hours=HOURS)
async def test_the_set_based_detection_finds_exactly_the_runs_the_rule_defines(
        service_apps, hours):
    """Three days of drawn hours at a home: the alerts `detect_leaks` stores for the last day
    hold exactly the runs `domain.runs_over` finds that reach into that day."""
    day = date(2026, 5, 3)
    async with service_apps["billing"].state.db.session() as s:
        try:
            prem, meter, acct = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            await copy_repo.upsert_premise(s, {"id": prem, "kind": "single_family",
                                               "dwelling_units": 1, "cycle": "L1", "route": "R",
                                               "address": {}})
            await copy_repo.upsert_meter(s, {
                "id": meter, "serial": f"L{meter.hex[:12]}", "size": "5/8", "dials": 6,
                "multiplier": 1, "unit": "HCF", "endpoint_id": None, "status": "installed",
                "premise_id": prem, "installed_at": None, "install_read": None})
            await copy_repo.upsert_sa(s, {
                "id": uuid.uuid4(), "account_id": acct, "premise_id": prem, "service": "water",
                "rate_class": "RES", "meter_id": meter, "start_date": date(2026, 1, 1),
                "stop_date": None, "status": "active"})
            values = [None if v is None else Decimal(v) for v in hours]
            for i in range(3):
                await reads_repo.upsert_ami_day(s, meter, day - timedelta(days=2 - i),
                                                values[i * 24:(i + 1) * 24])
            await detect_leaks(s, day)
            got = sorted((r.kind, r.n) for r in (await s.execute(text(
                "SELECT kind, jsonb_array_length(hours) AS n FROM leak_alerts "
                "WHERE account_id = :a"), {"a": acct})).all())
        finally:
            await s.rollback()
    gallons = [None if v is None else v * 748 for v in values]
    want = sorted((rule.kind, last - first + 1)
                  for rule in (domain.LeakRule("continuous", Decimal(3), 48, True),
                               domain.LeakRule("burst", Decimal(30), 8, False))
                  for first, last in domain.runs_over(gallons, rule) if last >= 48)
    assert got == want
