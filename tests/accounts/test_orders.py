"""Service orders: create, dispatch, complete with a read, cancel, worklist, billing requests."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import text

from tests.accounts.factories import audits, events, metered_premise, start_service


async def _order(client, h, premise_id, kind="leak_check", **kw):
    r = await client.post("/api/accounts/orders", headers=h, json={
        "kind": kind, "premise_id": premise_id, "scheduled_date": "2026-03-02", **kw})
    assert r.status_code == 201, r.text
    return r.json()


async def test_order_is_dispatched_then_completed_by_its_technician(client, auth, bound):
    premise, meter = await metered_premise(client, auth)
    order = await _order(client, auth("csr1"), premise["id"], "re_read")
    assert order["meter_id"] == meter["id"] and order["status"] == "open"
    r = await client.post(f"/api/accounts/orders/{order['id']}/dispatch", headers=auth("csr1"),
                          json={"technician": "tech7"})
    assert r.json()["status"] == "dispatched" and r.json()["technician"] == "tech7"
    [dispatched] = await events(bound, "accounts.ServiceOrderDispatched")
    assert dispatched["service_order"]["technician"] == "tech7"

    other = await client.post(f"/api/accounts/orders/{order['id']}/complete",
                              headers=auth("field_tech", sub="tech9"), json={"read": "150"})
    assert other.status_code == 403
    done = await client.post(f"/api/accounts/orders/{order['id']}/complete",
                             headers=auth("field_tech", sub="tech7"),
                             json={"read": "150.5", "notes": "meter box flooded"})
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["status"] == "completed" and body["read"]["value"] == "150.500"
    [completed] = await events(bound, "accounts.ServiceOrderCompleted")
    assert completed["service_order"]["notes"] == "meter box flooded"
    assert completed["key"] == f"premise:{premise['id']}"
    assert len(await audits(bound, "service_order.complete")) == 1


async def test_completing_twice_is_a_conflict(client, auth):
    premise, _ = await metered_premise(client, auth)
    order = await _order(client, auth("csr1"), premise["id"])
    ok = await client.post(f"/api/accounts/orders/{order['id']}/complete",
                           headers=auth("field_tech"), json={"notes": "no leak"})
    assert ok.status_code == 200
    again = await client.post(f"/api/accounts/orders/{order['id']}/complete",
                              headers=auth("field_tech"), json={"notes": "no leak"})
    assert again.status_code == 409


async def test_a_read_too_large_for_the_dials_is_refused_naming_read(client, auth):
    premise, _ = await metered_premise(client, auth)
    order = await _order(client, auth("csr1"), premise["id"], "re_read")
    r = await client.post(f"/api/accounts/orders/{order['id']}/complete",
                          headers=auth("field_tech"), json={"read": "12345678"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "read"


async def test_cancelled_order_is_announced_and_leaves_the_worklist(client, auth, bound):
    premise, _ = await metered_premise(client, auth, route="R42")
    order = await _order(client, auth("csr1"), premise["id"], "door_tag")
    wl = await client.get("/api/accounts/orders/worklist", headers=auth("field_tech"),
                          params={"route": "R42", "through": "2026-03-31"})
    assert [o["id"] for o in wl.json()] == [order["id"]]
    r = await client.post(f"/api/accounts/orders/{order['id']}/cancel", headers=auth("csr1"),
                          json={"reason": "customer paid"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert len(await events(bound, "accounts.ServiceOrderCancelled")) == 1
    wl = await client.get("/api/accounts/orders/worklist", headers=auth("field_tech"),
                          params={"route": "R42", "through": "2026-03-31"})
    assert wl.json() == []


async def test_worklist_is_by_route_and_due_date(client, auth):
    a, _ = await metered_premise(client, auth, route="R50")
    b, _ = await metered_premise(client, auth, route="R51")
    mine = await _order(client, auth("csr1"), a["id"], "leak_check")
    await _order(client, auth("csr1"), b["id"], "leak_check")
    later = await client.post("/api/accounts/orders", headers=auth("csr1"), json={
        "kind": "re_read", "premise_id": a["id"], "scheduled_date": "2026-09-01"})
    assert later.status_code == 201
    wl = await client.get("/api/accounts/orders/worklist", headers=auth("field_tech"),
                          params={"route": "R50", "through": "2026-03-31"})
    assert [o["id"] for o in wl.json()] == [mine["id"]]
    assert wl.json()[0]["address"].startswith(a["address"]["line1"])


async def test_field_technician_sees_only_service_orders(client, auth):
    premise, _ = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"])
    h = auth("field_tech")
    assert (await client.get(f"/api/accounts/accounts/{started['account']['id']}",
                             headers=h)).status_code == 403
    assert (await client.get(f"/api/accounts/premises/{premise['id']}",
                             headers=h)).status_code == 403
    assert (await client.get("/api/accounts/search", params={"q": "maria"},
                             headers=h)).status_code == 403
    assert (await client.get(f"/api/accounts/orders/{started['service_order']['id']}",
                             headers=h)).status_code == 200


async def test_billing_request_creates_one_re_read_order_per_reference(
        client, auth, bound, pump):
    premise, meter = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"])
    account_id = started["account"]["id"]
    payload = {"kind": "re_read", "account_id": account_id, "premise_id": premise["id"],
               "meter_id": meter["id"], "reason": "high read", "reference": "exc-123"}
    for seq in (1, 2):
        await bound["billing"].execute(text(
            "INSERT INTO outbox (event_id, type, version, key, key_seq, payload) "
            "VALUES (:e, 'billing.ServiceOrderRequested', 1, :k, :s, CAST(:p AS jsonb))"),
            {"e": uuid.uuid4(), "k": f"account:{account_id}", "s": seq,
             "p": json.dumps(payload)})
    assert await pump("billing", "accounts") == 2
    created = [e for e in await events(bound, "accounts.ServiceOrderCreated")
               if e["service_order"]["reference"] == "exc-123"]
    assert len(created) == 1
    assert created[0]["service_order"]["kind"] == "re_read"
    assert created[0]["service_order"]["meter_id"] == meter["id"]


async def test_a_meter_exchange_mails_the_account_holder_a_notice_and_a_re_read_does_not(
        client, auth):
    premise, _ = await metered_premise(client, auth)
    out = await start_service(client, auth("csr1"), premise["id"])
    account_id = out["account"]["id"]

    async def letters():
        r = await client.get(f"/api/accounts/contacts/{account_id}/documents",
                             headers=auth("csr1"))
        return [d for d in r.json() if d["template"] == "service_order"]

    await _order(client, auth("csr1"), premise["id"], "re_read", account_id=account_id)
    assert await letters() == []
    await _order(client, auth("csr1"), premise["id"], "meter_exchange", account_id=account_id)
    [notice] = await letters()
    assert notice["kind"] == "letter" and notice["content_type"] == "application/pdf"
    pdf = await client.get(f"/api/accounts/contacts/documents/{notice['id']}",
                           headers=auth("csr1"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_a_leak_check_billing_asks_for_on_an_exchanged_meter_goes_to_the_new_meter(
        client, auth, bound, pump):
    """Billing's copy had not heard of the exchange when it asked: the order goes to the meter
    at the premise now, not refused (parked) and not to a meter that is gone."""
    premise, old = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"])
    account_id = started["account"]["id"]
    new = (await client.post("/api/accounts/meters", headers=auth("billing_tech"), json={
        "serial": f"X{uuid.uuid4().hex[:9]}", "size": "5/8", "dials": 6, "unit": "HCF"})).json()
    r = await client.post(f"/api/accounts/meters/{old['id']}/exchange",
                          headers=auth("billing_tech"), json={
                              "on_date": "2026-05-01", "removal_read": "432",
                              "new_meter_id": new["id"], "install_read": "0"})
    assert r.status_code == 200, r.text
    payload = {"kind": "leak_check", "account_id": account_id, "premise_id": premise["id"],
               "meter_id": old["id"], "reason": "high bill appeal", "reference": "appeal:a-1"}
    await bound["billing"].execute(text(
        "INSERT INTO outbox (event_id, type, version, key, key_seq, payload) "
        "VALUES (:e, 'billing.ServiceOrderRequested', 1, :k, 1, CAST(:p AS jsonb))"),
        {"e": uuid.uuid4(), "k": f"account:{account_id}", "p": json.dumps(payload)})
    assert await pump("billing", "accounts") == 1
    [order] = [e["service_order"] for e in await events(bound, "accounts.ServiceOrderCreated")
               if e["service_order"]["reference"] == "appeal:a-1"]
    assert order["meter_id"] == new["id"]
    assert old["id"] in order["reason"]
