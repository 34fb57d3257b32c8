"""Bill runs end to end: preview, review, approval by someone else, finalise, statements."""

from __future__ import annotations

import copy

from sqlalchemy import text

from tests.billing.helpers import RATES, make_site

PERIOD = {"cycle": "C1", "period_start": "2026-01-01", "period_end": "2026-01-31",
          "bill_date": "2026-02-02"}


async def _read(client, tech, site, value, on="2026-01-31"):
    r = await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": site.meter_id, "read_on": on, "value": value})
    assert r.status_code == 201, r.text
    return r.json()


async def _bill_of(client, headers, run_id, account_id):
    bills = (await client.get(f"/api/billing/runs/{run_id}/bills", headers=headers)).json()
    bid = next(b["id"] for b in bills if b["account_id"] == account_id)
    return (await client.get(f"/api/billing/bills/{bid}", headers=headers)).json()


async def test_meter_to_bill_preview_approve_finalise_posts_ledger_and_events(
        client, feed, rates, tech, sup, auth):
    site = await make_site(feed, paperless=True)
    await feed.bound["billing"].execute(text(
        "INSERT INTO winter_averages VALUES (:p, 0.3, '2025-12-01', '2026-02-28')"),
        {"p": site.premise_id})
    await _read(client, tech, site, "25")
    run = (await client.post("/api/billing/runs", headers=tech,
                             json={**PERIOD, "messages": ["Office closed Feb 16."]})).json()
    # water 20 + 30 + 40 + 27.50 = 117.50; wastewater 15 + 9.3 HCF (0.3 x 31) x 6 = 70.80
    assert (run["bills"], run["total"], run["status"]) == (1, "188.30", "preview")
    bill = await _bill_of(client, tech, run["id"], site.account_id)
    vols = [(ln["service"], ln["tier"], ln["quantity"], ln["amount"]) for ln in bill["lines"]
            if ln["kind"] == "volume"]
    assert vols == [("water", 1, "10.0000", "30.00"), ("water", 2, "10.0000", "40.00"),
                    ("water", 3, "5.0000", "27.50"), ("wastewater", 1, "9.3000", "55.80")]
    assert all(ln["rate_version_id"] == rates["id"] for ln in bill["lines"])
    assert bill["messages"] == ["Office closed Feb 16."]

    early = await client.post(f"/api/billing/runs/{run['id']}/approve", headers=sup)
    assert early.status_code == 409
    prep = await client.post(f"/api/billing/runs/{run['id']}/prepare", headers=sup)
    assert prep.json()["prepared_by"] == "sam"
    own = await client.post(f"/api/billing/runs/{run['id']}/approve", headers=sup)
    assert own.status_code == 403
    other = auth("supervisor", "pat")
    ok = await client.post(f"/api/billing/runs/{run['id']}/approve", headers=other)
    assert ok.status_code == 200 and ok.json()["approved_by"] == "pat"
    tech_fin = await client.post(f"/api/billing/runs/{run['id']}/finalise", headers=tech)
    assert tech_fin.status_code == 403
    fin = await client.post(f"/api/billing/runs/{run['id']}/finalise", headers=other)
    assert fin.status_code == 200 and fin.json()["status"] == "finalised"

    ledger = (await client.get(f"/api/billing/ledger/accounts/{site.account_id}",
                               headers=tech)).json()
    assert ledger["balance"] == "188.30"
    assert [(e["kind"], e["amount"]) for e in ledger["entries"]] == [("bill", "188.30")]
    events = (await feed.bound["billing"].execute(text(
        "SELECT type, key, key_seq, payload FROM outbox WHERE type LIKE 'billing.%Bill%' "
        "ORDER BY key_seq"))).all()
    assert [(e.type, e.key_seq) for e in events] == [("billing.BillIssued", 1),
                                                      ("billing.EBillReady", 2)]
    issued = events[0].payload
    assert issued["bill"]["total"] == "188.30" and issued["balance"] == "188.30"
    assert {s["service"]: s["amount"] for s in issued["bill"]["segments"]} == {
        "water": "117.50", "wastewater": "70.80"}
    again = await client.post(f"/api/billing/runs/{run['id']}/finalise", headers=other)
    assert again.status_code == 409
    rec = (await client.get("/api/billing/ledger/reconciliation", headers=tech)).json()
    assert rec["ok"] is True

    pdf = await client.get(f"/api/billing/bills/{bill['id']}/statement.pdf", headers=tech)
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    exp = (await client.get(f"/api/billing/bills/{bill['id']}/explain", headers=tech)).json()
    assert any("tier 3" in t and "$27.50" in t for t in exp["text"])
    reg = (await client.get(f"/api/billing/bills/runs/{run['id']}/register",
                            headers=tech)).json()
    assert [(r["water"], r["wastewater"], r["total"]) for r in reg] == [
        ("117.50", "70.80", "188.30")]
    cons = (await client.get(f"/api/billing/bills/runs/{run['id']}/consumption",
                             headers=tech)).json()
    assert [(c["service"], c["quantity"]) for c in cons] == [
        ("wastewater", "9.3000"), ("water", "25.0000")]
    pf = await client.get(f"/api/billing/bills/runs/{run['id']}/print-file", headers=tech)
    rows = pf.text.strip().splitlines()
    assert len(rows) == 2 and rows[1].endswith(",N") and ",188.30," in rows[1]


async def test_missing_read_and_zero_use_are_flagged_for_review(client, feed, rates, tech):
    unread = await make_site(feed, sewer=False)
    zero = await make_site(feed, sewer=False, install_read="5")
    z = await _read(client, tech, zero, "5")
    await client.post(f"/api/billing/reads/exceptions/{z['exceptions'][0]['id']}/accept",
                      headers=tech, json={"reason": "vacant"})
    run = (await client.post("/api/billing/runs", headers=tech, json=PERIOD)).json()
    assert run["flags"] == {"missing_read": 1, "zero_use": 1}
    flagged = (await client.get(f"/api/billing/runs/{run['id']}/bills", headers=tech,
                                params={"flagged": True})).json()
    by = {b["account_id"]: b["flags"] for b in flagged}
    assert by == {unread.account_id: ["missing_read"], zero.account_id: ["zero_use"]}
    bid = next(b["id"] for b in flagged if b["account_id"] == unread.account_id)
    held = await client.post(f"/api/billing/runs/{run['id']}/bills/{bid}/hold", headers=tech,
                             json={"reason": "awaiting read"})
    assert held.json()["held"] == 1 and held.json()["total"] == "20.00"
    # the held account is billed on its own once its read is in
    await _read(client, tech, unread, "5")
    one = await client.post(f"/api/billing/runs/accounts/{unread.account_id}", headers=tech,
                            json={"period_start": "2026-01-01", "period_end": "2026-01-31"})
    assert one.status_code == 201, one.text
    assert (one.json()["kind"], one.json()["total"], one.json()["flags"]) == (
        "account", "35.00", {})
    again = await client.post(f"/api/billing/runs/accounts/{unread.account_id}", headers=tech,
                              json={"period_start": "2026-01-01", "period_end": "2026-01-31"})
    assert again.status_code == 409


async def test_period_spanning_a_rate_change_is_split_by_days(client, feed, rates, tech):
    new = copy.deepcopy(RATES)
    new.update(name="FY2026b", effective_date="2026-01-22")
    new["fixed"][0]["amount"] = "31.00"
    new["classes"][0]["blocks"][0]["price"] = "6.00"
    r = await client.post("/api/billing/rates/versions", headers=tech, json=new)
    assert r.status_code == 201, r.text
    site = await make_site(feed, sewer=False)
    await _read(client, tech, site, "31")
    run = (await client.post("/api/billing/runs", headers=tech, json=PERIOD)).json()
    bill = await _bill_of(client, tech, run["id"], site.account_id)
    got = [(ln["kind"], ln["seg_start"], ln["tier"], ln["quantity"], ln["amount"])
           for ln in bill["lines"]]
    # 21 days old, 10 days new; use 21 + 10; tier widths 10 x 21/31 = 6.7742, 10 x 10/31 = 3.2258
    assert ("fixed", "2026-01-01", None, "0.6774", "13.55") in got   # 20 x 21/31
    assert ("fixed", "2026-01-22", None, "0.3226", "10.00") in got   # 31 x 10/31
    assert ("volume", "2026-01-01", 1, "6.7742", "20.32") in got
    assert ("volume", "2026-01-22", 1, "3.2258", "19.35") in got
    assert sum(float(q) for k, _, _, q, _ in got if k == "volume") == 31.0
    assert bill["total"] == f"{sum(float(a) for *_, a in got):.2f}"
    exp = (await client.get(f"/api/billing/bills/{bill['id']}/explain", headers=tech)).json()
    assert any("Rates changed during the period" in t for t in exp["text"])


async def test_multi_family_tiers_scale_with_units_and_commercial_gets_its_minimum(
        client, feed, rates, tech):
    mf = await make_site(feed, rate_class="MFR", kind="multi_family", units=4, sewer=False)
    com = await make_site(feed, rate_class="COM", kind="commercial", size="1", sewer=False)
    await _read(client, tech, mf, "30")
    await _read(client, tech, com, "2")
    run = (await client.post("/api/billing/runs", headers=tech, json=PERIOD)).json()
    mfb = await _bill_of(client, tech, run["id"], mf.account_id)
    assert [(ln["tier"], ln["quantity"], ln["amount"]) for ln in mfb["lines"]
            if ln["kind"] == "volume"] == [(1, "20.0000", "60.00"), (2, "10.0000", "40.00")]
    cb = await _bill_of(client, tech, run["id"], com.account_id)
    # 35.00 fixed + 2 x 3.75 = 42.50 < 50.00 minimum: top-up 7.50
    assert cb["total"] == "50.00"
    assert [ln["amount"] for ln in cb["lines"] if ln["kind"] == "minimum"] == ["7.50"]


async def test_wastewater_without_winter_average_uses_metered_water_capped(
        client, feed, rates, tech):
    site = await make_site(feed)
    await _read(client, tech, site, "40")
    run = (await client.post("/api/billing/runs", headers=tech, json=PERIOD)).json()
    bill = await _bill_of(client, tech, run["id"], site.account_id)
    ww = [(ln["quantity"], ln["amount"]) for ln in bill["lines"]
          if ln["service"] == "wastewater" and ln["kind"] == "volume"]
    assert ww == [("15.0000", "90.00")]  # 40 used, capped at 15


async def test_partial_period_prorates_fixed_charges_and_tiers(client, feed, rates, tech):
    from datetime import date
    site = await make_site(feed, sewer=False, start=date(2026, 1, 17))  # 15 of 31 days
    await _read(client, tech, site, "10")
    run = (await client.post("/api/billing/runs", headers=tech, json=PERIOD)).json()
    bill = await _bill_of(client, tech, run["id"], site.account_id)
    got = [(ln["kind"], ln["tier"], ln["quantity"], ln["amount"]) for ln in bill["lines"]]
    # fixed 20 x 15/31 = 9.68; tier 1 width 10 x 15/31 = 4.8387
    assert got == [("fixed", None, "0.4839", "9.68"), ("volume", 1, "4.8387", "14.52"),
                   ("volume", 2, "4.8387", "19.35"), ("volume", 3, "0.3226", "1.77")]
    assert bill["total"] == "45.32"


async def test_runs_refuse_bad_input(client, feed, rates, tech, auth):
    bad = dict(PERIOD, period_start="2026-02-01")
    assert (await client.post("/api/billing/runs", headers=tech, json=bad)).status_code == 422
    ok = await client.post("/api/billing/runs", headers=tech, json=PERIOD)
    assert ok.status_code == 201
    dup = await client.post("/api/billing/runs", headers=tech, json=PERIOD)
    assert dup.status_code == 409
    csr = await client.post("/api/billing/runs", headers=auth("csr1"), json=PERIOD)
    assert csr.status_code == 403
    nf = await client.get("/api/billing/runs/00000000-0000-0000-0000-000000000000",
                          headers=tech)
    assert nf.status_code == 404


async def test_bill_over_threshold_and_far_above_the_last_bill_is_flagged(
        client, feed, rates, tech, sup, auth):
    from tests.billing.helpers import billed_run, read

    put = await client.put("/api/billing/runs/config/thresholds", headers=sup, json={
        "max_total": "100.00", "change": "0.5", "due_days": 20})
    assert put.status_code == 200
    site = await make_site(feed, sewer=False)
    await read(client, tech, site, "10")                      # 50.00
    first = await billed_run(client, tech, sup, auth("supervisor", "pat"))
    assert first["due_date"] == "2026-02-22"
    high = await read(client, tech, site, "40", on="2026-02-28")  # 30 used: 145.00
    assert [e["code"] for e in high["exceptions"]] == ["high"]
    await client.post(f"/api/billing/reads/exceptions/{high['exceptions'][0]['id']}/accept",
                      headers=tech, json={"reason": "pool filled"})
    run = (await client.post("/api/billing/runs", headers=tech, json={
        "cycle": "C1", "period_start": "2026-02-01", "period_end": "2026-02-28"})).json()
    assert run["total"] == "145.00"
    assert run["flags"] == {"over_threshold": 1, "large_change": 1}


async def test_missing_read_estimated_at_cycle_time_is_billed_as_estimated(
        client, feed, rates, tech):
    from datetime import date as d

    site = await make_site(feed, sewer=False, start=d(2025, 12, 1))
    await _read(client, tech, site, "30", on="2025-12-31")        # 30 in 30 days: 1 a day
    opened = (await client.post("/api/billing/reads/reports/unread/exceptions", headers=tech,
                                params={"cycle": "C1", "period_start": "2026-01-01",
                                        "period_end": "2026-01-31"})).json()
    assert opened["exceptions_opened"] == 1
    wl = (await client.get("/api/billing/reads/exceptions/worklist", headers=tech)).json()
    missing = next(w for w in wl if w["code"] == "missing")
    no_date = await client.post(f"/api/billing/reads/exceptions/{missing['id']}/estimate",
                                headers=tech, json={"reason": "no access"})
    assert no_date.status_code == 422
    est = await client.post(f"/api/billing/reads/exceptions/{missing['id']}/estimate",
                            headers=tech, json={"read_on": "2026-01-31", "reason": "no access"})
    assert (est.json()["kind"], est.json()["usage"]) == ("estimated", "31.0000")
    run = (await client.post("/api/billing/runs", headers=tech, json=PERIOD)).json()
    # 20 + 30 + 40 + 11 x 5.50 = 150.50
    assert (run["total"], run["flags"]) == ("150.50", {})
