"""Meters: stock, install, remove, exchange with reads, full history."""

from __future__ import annotations

from tests.accounts.factories import (
    audits,
    create_meter,
    create_premise,
    events,
    install_meter,
    metered_premise,
    start_service,
)


async def test_unknown_meter_size_is_refused_naming_size(client, auth):
    r = await client.post("/api/accounts/meters", headers=auth("billing_tech"),
                          json={"serial": "X-1", "size": "7/8"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "size"


async def test_duplicate_serial_is_refused_naming_serial(client, auth):
    m = await create_meter(client, auth("billing_tech"))
    r = await client.post("/api/accounts/meters", headers=auth("billing_tech"),
                          json={"serial": m["serial"], "size": "1"})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "serial"


async def test_removing_a_meter_that_is_not_installed_is_refused(client, auth):
    m = await create_meter(client, auth("billing_tech"))
    r = await client.post(f"/api/accounts/meters/{m['id']}/remove", headers=auth("billing_tech"),
                          json={"on_date": "2026-03-01", "read": "0"})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "meter_id"


async def test_installed_meter_is_removed_with_its_read_and_history_kept(client, auth, bound):
    premise = await create_premise(client, auth("csr1"))
    m = await create_meter(client, auth("billing_tech"))
    await install_meter(client, auth("billing_tech"), m["id"], premise["id"], "2026-01-05", "7")
    r = await client.post(f"/api/accounts/meters/{m['id']}/remove", headers=auth("billing_tech"),
                          json={"on_date": "2026-04-01", "read": "88"})
    assert r.status_code == 200 and r.json()["status"] == "removed"
    assert r.json()["removal_read"] == "88.000"
    hist = await client.get(f"/api/accounts/meters/{m['id']}/history", headers=auth("csr1"))
    assert [h["action"] for h in hist.json()] == ["received", "installed", "removed"]
    changed = await events(bound, "accounts.MeterChanged")
    assert [e["meter"]["status"] for e in changed] == ["in_stock", "installed", "removed"]
    assert len(await audits(bound, "meter.remove")) == 1


async def test_exchange_moves_active_agreements_to_the_new_meter(client, auth, bound):
    premise, old = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"])
    new = await create_meter(client, auth("billing_tech"), size="3/4")
    r = await client.post(f"/api/accounts/meters/{old['id']}/exchange",
                          headers=auth("billing_tech"), json={
                              "on_date": "2026-05-01", "removal_read": "432",
                              "new_meter_id": new["id"], "install_read": "0"})
    assert r.status_code == 200, r.text
    assert r.json()["removed"]["removal_read"] == "432.000"
    assert r.json()["installed"]["premise_id"] == premise["id"]
    sas = (await client.get("/api/accounts/agreements", headers=auth("csr1"),
                            params={"account_id": started["account"]["id"]})).json()
    assert {sa["meter_id"] for sa in sas} == {new["id"]}
    changed = await events(bound, "accounts.ServiceAgreementChanged")
    assert {e["reason"] for e in changed} == {"meter_exchange"}
    hist = await client.get(f"/api/accounts/meters/{new['id']}/history", headers=auth("csr1"))
    assert hist.json()[-1]["action"] == "exchanged_in"


async def test_installing_an_installed_meter_is_refused(client, auth):
    premise, m = await metered_premise(client, auth)
    r = await client.post(f"/api/accounts/meters/{m['id']}/install",
                          headers=auth("billing_tech"),
                          json={"premise_id": premise["id"], "on_date": "2026-03-01",
                                "read": "0"})
    assert r.status_code == 409


async def test_csr_may_not_change_meter_inventory(client, auth):
    r = await client.post("/api/accounts/meters", headers=auth("csr1"),
                          json={"serial": "X-2", "size": "1"})
    assert r.status_code == 403


async def test_inventory_lists_meters_in_stock_apart_from_installed(client, auth):
    _, installed = await metered_premise(client, auth)
    stock = await create_meter(client, auth("billing_tech"), size="2")
    r = await client.get("/api/accounts/meters", headers=auth("csr1"),
                         params={"status": "in_stock", "size": "2"})
    ids = [m["id"] for m in r.json()]
    assert stock["id"] in ids and installed["id"] not in ids
