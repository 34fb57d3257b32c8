"""Usage in the portal: a customer's daily and hourly water use from AMI data, this period
against last year's, the bill projected for the current period, alert preferences; every route
answers 404 for another customer's account or meter, and writes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import text

from services.billing.rates import domain as rate_rules
from services.billing.usage import domain
from tests.billing.helpers import billed_run, make_site, read
from tests.billing.usage_helpers import import_ami, steady


def customer(auth, *sites):
    return auth("customer", "cust-" + sites[0].account_id[:8],
                tuple(s.account_id for s in sites))


async def test_a_customer_sees_daily_and_hourly_gallons_of_their_meter(client, feed, tech, auth):
    site = await make_site(feed)
    day = date(2026, 3, 2)
    hours = [str(Decimal("0.010") * (h % 3)) for h in range(24)]  # HCF
    await import_ami(client, tech, site.serial, {day: hours, day + timedelta(days=1): hours})
    me = customer(auth, site)

    r = await client.get(f"/api/billing/usage/accounts/{site.account_id}/hourly",
                         params={"start": "2026-03-01", "end": "2026-03-31"}, headers=me)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["meter_id"] == site.meter_id and body["unit"] == "gallons"
    assert [d["day"] for d in body["days"]] == ["2026-03-02", "2026-03-03"]
    # 0.010 HCF = 7.48 gallons, 0.020 HCF = 14.96 gallons
    assert [Decimal(x) for x in body["days"][0]["gallons"][:3]] == [
        Decimal(0), Decimal("7.480"), Decimal("14.960")]

    r = await client.get(f"/api/billing/usage/accounts/{site.account_id}/daily",
                         params={"start": "2026-03-01", "end": "2026-03-31"}, headers=me)
    assert r.status_code == 200, r.text
    days = r.json()["days"]
    assert days[0] == {"day": "2026-03-02", "gallons": "179.520", "hours_measured": 24}
    assert Decimal(r.json()["total_gallons"]) == Decimal("359.040")

    meters = (await client.get(f"/api/billing/usage/accounts/{site.account_id}/meters",
                               headers=me)).json()
    assert [(m["meter_id"], m["has_interval_data"], m["held_to"]) for m in meters] == [
        (site.meter_id, True, None)]


async def test_another_customers_account_or_meter_answers_404_and_writes_nothing(
        client, feed, tech, auth, bound):
    mine, theirs = await make_site(feed), await make_site(feed)
    await import_ami(client, tech, theirs.serial, {date(2026, 3, 2): steady("0.010")})
    me = customer(auth, mine)
    q = {"start": "2026-03-01", "end": "2026-03-31"}
    base = f"/api/billing/usage/accounts/{theirs.account_id}"
    for path, params in [("/meters", {}), ("/daily", q), ("/hourly", q), ("/comparison", {}),
                         ("/projection", {}), ("/leaks", {}), ("/alert-preferences", {}),
                         ("/green-button.xml", q), ("/green-button.csv", q)]:
        r = await client.get(base + path, params=params, headers=me)
        assert r.status_code == 404, (path, r.text)
    r = await client.put(base + "/alert-preferences", json={"email": False}, headers=me)
    assert r.status_code == 404
    # my account, their meter
    r = await client.get(f"/api/billing/usage/accounts/{mine.account_id}/hourly",
                         params={**q, "meter_id": theirs.meter_id}, headers=me)
    assert r.status_code == 404, r.text
    assert (await bound["billing"].execute(text(
        "SELECT count(*) FROM usage_alert_prefs"))).scalar_one() == 0


async def test_a_customer_sees_no_use_from_before_their_account_held_the_meter(
        client, feed, tech, auth):
    site = await make_site(feed, start=date(2026, 3, 10))
    await import_ami(client, tech, site.serial, {date(2026, 3, 9): steady("0.010"),
                                                  date(2026, 3, 10): steady("0.020")})
    r = await client.get(f"/api/billing/usage/accounts/{site.account_id}/daily",
                         params={"start": "2026-03-01", "end": "2026-03-31"},
                         headers=customer(auth, site))
    assert [d["day"] for d in r.json()["days"]] == ["2026-03-10"]


async def test_a_range_longer_than_400_days_or_backwards_is_refused(client, feed, auth):
    site = await make_site(feed)
    me = customer(auth, site)
    for q in ({"start": "2025-01-01", "end": "2026-03-01"},
              {"start": "2026-03-02", "end": "2026-03-01"}):
        r = await client.get(f"/api/billing/usage/accounts/{site.account_id}/daily", params=q,
                             headers=me)
        assert r.status_code == 422, r.text


async def test_this_period_is_compared_with_the_same_days_last_year_per_measured_day(
        client, feed, tech, auth):
    site = await make_site(feed, start=date(2025, 1, 1))
    await import_ami(client, tech, site.serial, {
        date(2025, 3, 2): steady("0.010"), date(2025, 3, 3): steady("0.010"),
        date(2026, 3, 2): steady("0.015")})  # one day measured this year, half as much again
    r = await client.get(f"/api/billing/usage/accounts/{site.account_id}/comparison",
                         params={"start": "2026-03-02", "end": "2026-03-03"},
                         headers=customer(auth, site))
    assert r.status_code == 200, r.text
    c = r.json()
    assert c["current"]["gallons"] == "269.280" and c["current"]["days_measured"] == 1
    assert c["last_year"]["gallons"] == "359.040" and c["last_year"]["days_measured"] == 2
    assert c["change_percent"] == "50.0"
    assert c["days"][1] == {"day": "2026-03-03", "gallons": None,
                            "last_year_day": "2025-03-03", "last_year_gallons": "179.520"}


async def test_the_projection_prices_the_periods_expected_use_with_the_bill_runs_rule(
        client, feed, tech, sup, auth, rates: object):
    site = await make_site(feed, sewer=False)
    await read(client, tech, site, "0", on="2026-01-01")
    await read(client, tech, site, "20", on="2026-01-31")
    other = auth("supervisor", "sara")
    await billed_run(client, tech, sup, other)  # January billed: the period starts 1 February
    # 10 days measured of 0.5 HCF a day
    await import_ami(client, tech, site.serial, {
        date(2026, 2, 1) + timedelta(days=i): steady("0.0208", last="0.0216")
        for i in range(10)})
    r = await client.get(f"/api/billing/usage/accounts/{site.account_id}/projection",
                         headers=customer(auth, site))
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["period_start"] == "2026-02-01"
    assert p["days_measured"] == 10 and Decimal(p["use_to_date"]) == Decimal("5.000")
    period_days = p["days_in_period"]
    expected_use = rate_rules.q4(Decimal(5) * period_days / 10)
    assert Decimal(p["projected_use"]) == expected_use
    # the same lines `rates.domain` gives the bill run for that use (RES tiers, 5/8 meter)
    v = (await client.get("/api/billing/rates/versions", headers=tech)).json()
    from services.billing.rates.schemas import RateVersionOut
    schedules = [domain.schedule_of(RateVersionOut.model_validate(x)) for x in v]
    start = date(2026, 2, 1)
    end = start + timedelta(days=period_days - 1)
    sa = rate_rules.Agreement("water", "RES", date(2026, 1, 1), None, "5/8", 1, expected_use)
    want = rate_rules.agreement_lines(sa, start, end, schedules)
    assert Decimal(p["projected_total"]) == sum(ln.amount for ln in want)
    assert [ln["description"] for ln in p["lines"]] == [ln.description for ln in want]


async def test_alert_preferences_start_at_the_defaults_and_are_saved_for_the_account(
        client, feed, auth):
    site = await make_site(feed)
    me = customer(auth, site)
    url = f"/api/billing/usage/accounts/{site.account_id}/alert-preferences"
    r = await client.get(url, headers=me)
    assert r.json() == {"email": True, "text": False, "continuous": True, "burst": True,
                        "account_id": site.account_id, "saved": False}
    r = await client.put(url, json={"email": True, "text": True, "continuous": True,
                                    "burst": False}, headers={**me, "Idempotency-Key": "p1"})
    assert r.status_code == 200, r.text
    assert (await client.get(url, headers=me)).json()["text"] is True
    r = await client.put(url, json={"email": "yes"}, headers=me)
    assert r.status_code == 422


def test_same_day_last_year_keeps_the_calendar_day_and_folds_29_february():
    assert domain.same_day_last_year(date(2028, 2, 29)) == date(2027, 2, 28)
    assert domain.same_day_last_year(date(2026, 3, 1)) == date(2025, 3, 1)


def test_the_current_period_runs_from_the_last_bill_as_long_as_it_was():
    p = domain.current_period(date(2026, 1, 31), 31, date(2025, 1, 1), date(2026, 2, 10))
    assert (p.start, p.end, p.days) == (date(2026, 2, 1), date(2026, 3, 3), 31)
    late = domain.current_period(date(2026, 1, 31), 31, date(2025, 1, 1), date(2026, 3, 9))
    assert late.end == date(2026, 3, 9)
    first = domain.current_period(None, None, date(2026, 2, 5), date(2026, 2, 10))
    assert (first.start, first.days) == (date(2026, 2, 5), 30)
    unbilled = domain.current_period(None, None, date(2019, 5, 1), date(2026, 2, 10))
    assert (unbilled.start, unbilled.end) == (date(2026, 1, 12), date(2026, 2, 10))
    forgotten = domain.current_period(date(2020, 1, 31), 31, date(2019, 1, 1), date(2026, 2, 10))
    assert forgotten.days == 400 and forgotten.end == date(2026, 2, 10)


async def test_the_default_comparison_is_the_current_period_so_far(client, feed, tech, auth):
    site = await make_site(feed, start=date(2019, 5, 1))
    r = await client.get(f"/api/billing/usage/accounts/{site.account_id}/comparison",
                         headers=customer(auth, site))
    assert r.status_code == 200, r.text
    c = r.json()
    assert (date.fromisoformat(c["current"]["end"])
            - date.fromisoformat(c["current"]["start"])).days == 29
    assert len(c["days"]) == 30 and c["change_percent"] is None


async def test_after_moving_out_a_customer_sees_none_of_the_next_occupants_use(
        client, feed, tech, auth):
    site = await make_site(feed, sewer=False)
    await feed.send("accounts.ServiceStopped", f"account:{site.account_id}", {
        "service_agreement": {"id": site.water_sa, "account_id": site.account_id,
                              "premise_id": site.premise_id, "service": "water",
                              "rate_class": "RES", "meter_id": site.meter_id,
                              "start_date": "2026-01-01", "stop_date": "2026-03-05",
                              "status": "stopped"}})
    await feed.drain()
    await import_ami(client, tech, site.serial, {date(2026, 3, 5): steady("0.010"),
                                                  date(2026, 3, 6): steady("0.020")})
    me = customer(auth, site)
    r = await client.get(f"/api/billing/usage/accounts/{site.account_id}/hourly",
                         params={"start": "2026-03-01", "end": "2026-03-31"}, headers=me)
    assert r.status_code == 200, r.text
    assert [d["day"] for d in r.json()["days"]] == ["2026-03-05"]
    meters = (await client.get(f"/api/billing/usage/accounts/{site.account_id}/meters",
                               headers=me)).json()
    assert meters[0]["held_to"] == "2026-03-05"
    csv_text = (await client.get(
        f"/api/billing/usage/accounts/{site.account_id}/green-button.csv",
        params={"start": "2026-03-01", "end": "2026-03-31"}, headers=me)).text
    starts = [line.split(",")[1] for line in csv_text.splitlines()[1:]]
    assert len(starts) == 24 and all(s.startswith("2026-03-05T") for s in starts)


async def test_another_customers_account_is_404_even_with_a_range_that_is_refused(
        client, feed, auth):
    mine, theirs = await make_site(feed), await make_site(feed)
    r = await client.get(f"/api/billing/usage/accounts/{theirs.account_id}/hourly",
                         params={"start": "2026-03-02", "end": "2026-03-01"},
                         headers=customer(auth, mine))
    assert r.status_code == 404
