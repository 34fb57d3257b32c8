"""Move-out, owner/landlord continuous service and transfer within the district."""

from __future__ import annotations

from tests.accounts.factories import (
    audits,
    create_premise,
    customer_body,
    events,
    metered_premise,
    start_service,
)


async def _stop(client, h, account_id, stop_date, **kw):
    return await client.post("/api/accounts/agreements/stop", headers=h,
                             json={"account_id": account_id, "stop_date": stop_date, **kw})


async def test_move_out_stops_agreements_and_final_read_requests_the_closing_bill(
        client, auth, bound):
    premise, meter = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"], "2026-02-01")
    account_id = started["account"]["id"]

    r = await _stop(client, auth("csr1"), account_id, "2026-06-30")
    assert r.status_code == 200, r.text
    out = r.json()
    assert {sa["status"] for sa in out["stopped"]} == {"stopped"}
    assert {sa["stop_date"] for sa in out["stopped"]} == {"2026-06-30"}
    [order] = out["final_read_orders"]
    assert order["kind"] == "turn_off" and order["stop_date"] == "2026-06-30"
    assert len(await events(bound, "accounts.ServiceStopped")) == 2
    assert await events(bound, "accounts.ClosingBillRequested") == []

    done = await client.post(f"/api/accounts/orders/{order['id']}/complete",
                             headers=auth("field_tech"), json={"read": "1234", "notes": "ok"})
    assert done.status_code == 200, done.text
    [closing] = await events(bound, "accounts.ClosingBillRequested")
    assert closing["key"] == f"account:{account_id}"
    assert closing["stop_date"] == "2026-06-30"
    assert sorted(closing["service_agreement_ids"]) == sorted(s["id"] for s in out["stopped"])
    assert closing["final_reads"][0]["meter_id"] == meter["id"]
    assert closing["final_reads"][0]["value"] == "1234.000"
    account = await client.get(f"/api/accounts/accounts/{account_id}", headers=auth("csr1"))
    assert account.json()["status"] == "closed"
    assert len(await audits(bound, "service_agreement.stop")) == 2


async def test_stop_date_before_start_is_refused_naming_stop_date(client, auth):
    premise, _ = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"], "2026-02-01")
    r = await _stop(client, auth("csr1"), started["account"]["id"], "2026-01-15")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "stop_date"


async def test_stopping_an_account_with_no_active_service_is_a_conflict(client, auth):
    premise, _ = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"], "2026-02-01")
    account_id = started["account"]["id"]
    assert (await _stop(client, auth("csr1"), account_id, "2026-03-01")).status_code == 200
    again = await _stop(client, auth("csr1"), account_id, "2026-03-02")
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "account_id"


async def test_final_read_without_a_read_is_refused_naming_read(client, auth):
    premise, _ = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"], "2026-02-01")
    out = (await _stop(client, auth("csr1"), started["account"]["id"], "2026-03-01")).json()
    order_id = out["final_read_orders"][0]["id"]
    r = await client.post(f"/api/accounts/orders/{order_id}/complete",
                          headers=auth("field_tech"), json={"notes": "no access"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "read"


async def test_tenant_move_out_reverts_service_to_the_landlord_and_next_tenant_replaces_it(
        client, auth, bound):
    premise, _ = await metered_premise(client, auth, kind="multi_family", dwelling_units=4)
    landlord = await start_service(client, auth("csr1"), (await create_premise(
        client, auth("csr1")))["id"], deposit={"is_owner": True})
    owner_account = landlord["account"]["id"]
    r = await client.put(f"/api/accounts/premises/{premise['id']}/owner", headers=auth("csr1"),
                         json={"owner_account_id": owner_account})
    assert r.status_code == 200, r.text
    tenant = await start_service(client, auth("csr1"), premise["id"], "2026-02-01")

    out = (await _stop(client, auth("csr1"), tenant["account"]["id"], "2026-05-31")).json()
    assert {sa["account_id"] for sa in out["reverted_to_owner"]} == {owner_account}
    assert {sa["start_date"] for sa in out["reverted_to_owner"]} == {"2026-05-31"}
    assert out["final_read_orders"][0]["kind"] == "re_read"
    changed = await events(bound, "accounts.ServiceAgreementChanged")
    assert {e["reason"] for e in changed} == {"owner_reversion"}
    assert {e["key"] for e in changed} == {f"account:{owner_account}"}

    nxt = await start_service(client, auth("csr1"), premise["id"], "2026-06-15")
    assert len(nxt["service_agreements"]) == 2
    owner_sas = (await client.get("/api/accounts/agreements", headers=auth("csr1"),
                                  params={"account_id": owner_account})).json()
    reverted = [sa for sa in owner_sas if sa["owner_reversion"]]
    assert {(sa["status"], sa["stop_date"]) for sa in reverted} == {("stopped", "2026-06-15")}


async def test_transfer_moves_service_to_another_premise_in_one_operation(client, auth, bound):
    old, _ = await metered_premise(client, auth)
    new, new_meter = await metered_premise(client, auth, cycle="C2", route="R07")
    started = await start_service(client, auth("csr1"), old["id"], "2026-02-01")
    account_id = started["account"]["id"]

    r = await client.post("/api/accounts/agreements/transfer", headers=auth("csr2"), json={
        "account_id": account_id, "from_premise_id": old["id"], "to_premise_id": new["id"],
        "stop_date": "2026-07-01", "start_date": "2026-07-01"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert {sa["premise_id"] for sa in out["started"]} == {new["id"]}
    assert {sa["meter_id"] for sa in out["started"]} == {new_meter["id"]}
    assert out["turn_on_order"]["premise_id"] == new["id"]
    assert out["final_read_orders"][0]["premise_id"] == old["id"]
    [moved] = await events(bound, "accounts.ServiceTransferred")
    assert moved["key"] == f"account:{account_id}"
    assert len(moved["stopped"]) == 2 and len(moved["started"]) == 2
    account = await client.get(f"/api/accounts/accounts/{account_id}", headers=auth("csr1"))
    assert account.json()["status"] == "active"


async def test_transfer_starting_before_the_old_stop_is_refused_naming_start_date(client, auth):
    old, _ = await metered_premise(client, auth)
    new, _ = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), old["id"], "2026-02-01")
    r = await client.post("/api/accounts/agreements/transfer", headers=auth("csr1"), json={
        "account_id": started["account"]["id"], "from_premise_id": old["id"],
        "to_premise_id": new["id"], "stop_date": "2026-07-10", "start_date": "2026-07-01"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "start_date"


async def test_existing_customer_starts_a_second_account(client, auth):
    p1, _ = await metered_premise(client, auth)
    p2, _ = await metered_premise(client, auth)
    first = await start_service(client, auth("csr1"), p1["id"])
    second = await start_service(client, auth("csr1"), p2["id"],
                                 customer_id=first["customer"]["id"])
    assert second["customer"]["id"] == first["customer"]["id"]
    assert second["account"]["id"] != first["account"]["id"]
    r = await client.get(f"/api/accounts/customers/{first['customer']['id']}/accounts",
                         headers=auth("csr1"))
    assert len(r.json()) == 2


async def test_rate_class_change_is_announced(client, auth, bound):
    premise, _ = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"])
    sa = started["service_agreements"][0]
    r = await client.put(f"/api/accounts/agreements/{sa['id']}/rate-class",
                         headers=auth("csr2"), json={"rate_class": "RES-LOW"})
    assert r.status_code == 200 and r.json()["rate_class"] == "RES-LOW"
    [changed] = await events(bound, "accounts.ServiceAgreementChanged")
    assert changed["service_agreement"]["rate_class"] == "RES-LOW"
    assert changed["reason"] == "rate_class"


async def test_customer_body_validates_phone_naming_field(client, auth):
    r = await client.post("/api/accounts/customers", headers=auth("csr1"),
                          json=customer_body(phones=["555-12"]))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "phones"
