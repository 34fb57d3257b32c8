"""Meter reads: imports, validation and the exceptions worklist, through the gateway."""

from __future__ import annotations

from sqlalchemy import text

from tests.billing.helpers import make_site


async def _import(client, headers, content, kind="handheld", name="route.csv"):
    return await client.post(f"/api/billing/reads/imports/{kind}", headers=headers,
                             files={"file": (name, content.encode(), "text/csv")})


async def test_route_file_keeps_good_rows_and_reports_bad_ones_by_line(client, feed, tech):
    a = await make_site(feed)
    b = await make_site(feed)
    content = (f"meter_serial,read_date,reading\n{a.serial},2026-01-31,12\n"
               f"NOPE,2026-01-31,5\n{b.serial},2026-01-31,x\n{b.serial},2026-01-31,14\n"
               f"{a.serial},2026-01-31,13\n")
    r = await _import(client, tech, content)
    assert r.status_code == 200, r.text
    body = r.json()
    # NOPE is a serial billing has not heard of: kept until it does (test_copy_lag).
    assert (body["accepted"], body["rejected"], body["duplicate"]) == (3, 2, False)
    assert body["awaiting_copy"] == 1
    assert [(e["line"], e["message"][:12]) for e in body["errors"]] == [
        (4, "reading 'x' "), (6, f"meter {a.serial}"[:12])]
    again = await _import(client, tech, content)
    assert again.json()["duplicate"] is True and again.json()["accepted"] == 3
    n = (await feed.bound["billing"].execute(text(
        "SELECT count(*) FROM reads WHERE source = 'handheld'"))).scalar_one()
    assert n == 2


async def test_file_without_the_needed_columns_is_refused_whole_naming_line_one(
        client, feed, tech):
    r = await _import(client, tech, "serial,date\nA,2026-01-01\n")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "file"
    assert "line 1: the header is missing meter_serial" in r.json()["detail"]
    garbage = await _import(client, tech, "null")
    assert garbage.status_code == 422


async def test_zero_use_on_an_active_agreement_waits_for_review_then_accept(
        client, feed, tech):
    s = await make_site(feed, install_read="50")
    r = await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": s.meter_id, "read_on": "2026-01-31", "value": "50"})
    assert r.status_code == 201 and r.json()["status"] == "pending"
    exc = r.json()["exceptions"][0]
    assert exc["code"] == "zero_use"
    wl = await client.get("/api/billing/reads/exceptions/worklist", headers=tech,
                          params={"cycle": "C1"})
    assert [w["id"] for w in wl.json()] == [exc["id"]]
    ok = await client.post(f"/api/billing/reads/exceptions/{exc['id']}/accept", headers=tech,
                           json={"reason": "vacant, confirmed by phone"})
    assert ok.status_code == 200 and ok.json()["status"] == "valid"
    again = await client.post(f"/api/billing/reads/exceptions/{exc['id']}/accept",
                              headers=tech, json={"reason": "x"})
    assert again.status_code == 409


async def test_register_rollover_is_use_across_zero_by_dial_count(client, feed, tech):
    s = await make_site(feed, dials=4, install_read="9990")
    r = await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": s.meter_id, "read_on": "2026-01-31", "value": "12"})
    body = r.json()
    assert body["usage"] == "22.0000" and [e["code"] for e in body["exceptions"]] == ["rollover"]


async def test_reading_lower_than_last_is_estimated_from_average_daily_use(client, feed, tech):
    s = await make_site(feed, install_read="100", dials=5)
    await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": s.meter_id, "read_on": "2026-01-31", "value": "130"})  # 30 in 30 days
    low = await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": s.meter_id, "read_on": "2026-02-28", "value": "120"})
    exc = low.json()["exceptions"][0]
    assert exc["code"] == "lower_than_last"
    est = await client.post(f"/api/billing/reads/exceptions/{exc['id']}/estimate",
                            headers=tech, json={"reason": "misread"})
    assert est.status_code == 200, est.text
    # 1.0 a day x 28 days
    assert (est.json()["kind"], est.json()["value"], est.json()["usage"]) == (
        "estimated", "158.0000", "28.0000")


async def test_high_read_corrected_with_reason_replaces_the_original(client, feed, tech):
    s = await make_site(feed, install_read="0")
    await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": s.meter_id, "read_on": "2026-01-31", "value": "10"})
    high = await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": s.meter_id, "read_on": "2026-02-28", "value": "900"})
    exc = high.json()["exceptions"][0]
    assert exc["code"] == "high"
    bad = await client.post(f"/api/billing/reads/exceptions/{exc['id']}/correct", headers=tech,
                            json={"value": "5", "reason": "typo"})
    assert bad.status_code == 422
    fixed = await client.post(f"/api/billing/reads/exceptions/{exc['id']}/correct",
                              headers=tech, json={"value": "19", "reason": "typo: 900 for 19"})
    assert fixed.json()["usage"] == "9.0000" and fixed.json()["status"] == "valid"
    orig = await client.get(f"/api/billing/reads/{high.json()['id']}", headers=tech)
    assert orig.json()["status"] == "rejected"


async def test_reread_order_is_announced_and_the_field_read_closes_it(client, feed, tech):
    s = await make_site(feed, install_read="0")
    await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": s.meter_id, "read_on": "2026-01-31", "value": "10"})
    high = await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": s.meter_id, "read_on": "2026-02-27", "value": "900"})
    exc = high.json()["exceptions"][0]
    r = await client.post(f"/api/billing/reads/exceptions/{exc['id']}/reread", headers=tech,
                          json={"reason": "looks misread"})
    assert r.status_code == 200, r.text
    ev = (await feed.bound["billing"].execute(text(
        "SELECT key, payload FROM outbox WHERE type = 'billing.ServiceOrderRequested'"))).one()
    assert ev.key == f"account:{s.account_id}" and ev.payload["kind"] == "re_read"
    await feed.send("accounts.ServiceOrderCompleted", f"account:{s.account_id}", {
        "service_order": {"id": "so-1", "kind": "re_read", "status": "completed",
                          "account_id": s.account_id, "premise_id": s.premise_id,
                          "meter_id": s.meter_id, "completed_at": "2026-02-28T18:00:00Z",
                          "read": {"meter_id": s.meter_id, "value": "20",
                                   "read_at": "2026-02-28T18:00:00Z"},
                          "reference": ev.payload["reference"]}})
    await feed.drain()
    done = await client.get("/api/billing/reads/exceptions/worklist", headers=tech,
                            params={"status": "resolved"})
    assert [w["resolution"] for w in done.json()] == ["reread"]
    rows = (await feed.bound["billing"].execute(text(
        "SELECT value, status FROM reads WHERE meter_id = :m ORDER BY read_on"),
        {"m": s.meter_id})).all()
    assert [(str(r.value), r.status) for r in rows][-2:] == [
        ("900.0000", "rejected"), ("20.0000", "valid")]


async def test_unread_meters_are_listed_by_route_and_can_open_exceptions(client, feed, tech):
    a = await make_site(feed, cycle="C7", route="R1")
    await make_site(feed, cycle="C7", route="R2")
    await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": a.meter_id, "read_on": "2026-01-31", "value": "5"})
    q = {"cycle": "C7", "period_start": "2026-01-01", "period_end": "2026-01-31"}
    rep = await client.get("/api/billing/reads/reports/unread", headers=tech, params=q)
    assert rep.json()["by_route"] == {"R2": 1}
    opened = await client.post("/api/billing/reads/reports/unread/exceptions", headers=tech,
                               params=q)
    assert opened.json()["exceptions_opened"] == 1


async def test_ami_hours_are_stored_per_day_and_summed(client, feed, tech):
    s = await make_site(feed)
    rows = "".join(f"{s.serial},2026-01-10T{h:02d}:00:00,0.5\n" for h in range(24))
    r = await _import(client, tech, "meter_serial,interval_start,usage\n" + rows, kind="ami")
    assert r.json()["accepted"] == 24
    daily = await client.get(f"/api/billing/reads/ami/{s.meter_id}/daily", headers=tech,
                             params={"start": "2026-01-01", "end": "2026-01-31"})
    assert [(d["day"], d["total"]) for d in daily.json()] == [("2026-01-10", "12.000")]


async def test_reads_refuse_bad_input(client, feed, tech, auth):
    s = await make_site(feed)
    cases = [
        ({"meter_id": s.meter_id, "read_on": "2099-01-01", "value": "1"}, 422),
        ({"meter_id": s.meter_id, "read_on": "2026-01-31", "value": "-1"}, 422),
        ({"meter_id": s.meter_id, "read_on": "2026-01-31", "value": "99999"}, 422),
    ]  # a meter billing has not heard of is held, not refused (test_copy_lag)
    for body, status in cases:
        r = await client.post("/api/billing/reads", headers=tech, json=body)
        assert r.status_code == status, (body, r.text)
    r = await client.post("/api/billing/reads", headers=auth("customer"), json=cases[0][0])
    assert r.status_code == 403


async def test_thresholds_are_configurable_by_a_supervisor(client, tech, sup):
    got = await client.get("/api/billing/reads/thresholds", headers=tech)
    assert got.status_code == 200 and got.json()["high_factor"] == "2.5"
    put = await client.put("/api/billing/reads/thresholds", headers=sup, json={
        "high_factor": "3", "low_factor": "0.2", "min_high_usage": "4"})
    assert put.status_code == 200
    assert (await client.get("/api/billing/reads/thresholds",
                             headers=tech)).json()["high_factor"] == "3"
    assert (await client.put("/api/billing/reads/thresholds", headers=tech,
                             json={"high_factor": "3"})).status_code == 403
    assert (await client.put("/api/billing/reads/thresholds", headers=sup,
                             json={"high_factor": "0.5"})).status_code == 422


async def test_garbage_files_and_dates_out_of_range_are_refused_not_crashed(
        client, feed, tech):
    s = await make_site(feed)
    r = await _import(client, tech, "meter_serial,read_date,reading\nA\x00B,2026-01-01,1\n")
    assert r.status_code == 200 and r.json()["awaiting_copy"] == 1  # kept under A\ufffdB
    r = await client.post("/api/billing/reads/imports/handheld", headers=tech,
                          files={"file": ("x.csv", b"\xff\xfe\x00bad", "text/csv")})
    assert r.status_code == 422
    r = await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": s.meter_id, "read_on": "0001-01-01", "value": "1"})
    assert r.status_code == 422
    r = await client.post("/api/billing/runs", headers=tech, json={
        "cycle": "C1", "period_start": "9999-12-01", "period_end": "9999-12-31"})
    assert r.status_code == 422


async def test_an_empty_read_file_is_refused_naming_the_file(client, tech):
    r = await client.post("/api/billing/reads/imports/handheld", headers=tech,
                          files={"file": ("empty.csv", b"  \n", "text/csv")})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "file"

