"""Deposits (refund review, marks from payments and collections), backflow tests, contacts."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import text

from tests.accounts.factories import audits, create_premise, events, metered_premise, start_service


async def _emit(bound, source, type_, account_id, seq, payload):
    await bound[source].execute(text(
        "INSERT INTO outbox (event_id, type, version, key, key_seq, payload) "
        "VALUES (:e, :t, 1, :k, :s, CAST(:p AS jsonb))"),
        {"e": uuid.uuid4(), "t": type_, "k": f"account:{account_id}", "s": seq,
         "p": json.dumps(payload)})


async def test_deposit_is_credited_after_twelve_clean_months_and_announced_once(
        client, auth, bound):
    premise, _ = await metered_premise(client, auth)
    account_id = (await start_service(client, auth("csr1"), premise["id"],
                                      "2025-01-10"))["account"]["id"]
    early = await client.get("/api/accounts/deposits/due", headers=auth("csr1"),
                             params={"today": "2025-12-31"})
    assert account_id not in [d["account_id"] for d in early.json()]
    due = await client.get("/api/accounts/deposits/due", headers=auth("csr1"),
                           params={"today": "2026-01-15"})
    assert account_id in [d["account_id"] for d in due.json()]

    denied = await client.post("/api/accounts/deposits/review", headers=auth("csr1"),
                               params={"today": "2026-01-15"})
    assert denied.status_code == 403
    r = await client.post("/api/accounts/deposits/review", headers=auth("supervisor"),
                          params={"today": "2026-01-15"})
    assert account_id in [d["account_id"] for d in r.json()["released"]]
    [event] = [e for e in await events(bound, "accounts.DepositDueForRefund")
               if e["account_id"] == account_id]
    assert event["key"] == f"account:{account_id}"
    assert (event["amount"], event["held_since"], event["method"]) == (
        "100.00", "2025-01-10", "credit")
    await client.post("/api/accounts/deposits/review", headers=auth("supervisor"),
                      params={"today": "2026-01-16"})
    assert len([e for e in await events(bound, "accounts.DepositDueForRefund")
                if e["account_id"] == account_id]) == 1
    held = await client.get(f"/api/accounts/deposits/{account_id}", headers=auth("csr1"))
    assert held.json()["held"] == "0.00"
    assert [t["kind"] for t in held.json()["transactions"]] == ["required", "credited"]
    assert len(await audits(bound, "deposit.credited")) == 1


async def test_returned_payment_or_late_charge_holds_the_deposit_back(
        client, auth, bound, pump):
    p1, _ = await metered_premise(client, auth)
    p2, _ = await metered_premise(client, auth)
    returned = (await start_service(client, auth("csr1"), p1["id"], "2025-01-10"))["account"]
    late = (await start_service(client, auth("csr1"), p2["id"], "2025-01-10"))["account"]
    await _emit(bound, "payments", "payments.PaymentReturned", returned["id"], 1,
                {"account_id": returned["id"], "date": "2025-09-01", "reason": "R01"})
    await _emit(bound, "collections", "collections.LateChargeAssessed", late["id"], 1,
                {"account_id": late["id"], "assessed_on": "2025-11-20", "amount": "5.00"})
    await pump("payments", "accounts")
    await pump("collections", "accounts")

    async def due_on(today):
        r = await client.get("/api/accounts/deposits/due", headers=auth("csr1"),
                             params={"today": today})
        return {d["account_id"] for d in r.json()}

    due = await due_on("2026-02-01")
    assert returned["id"] not in due and late["id"] not in due
    due = await due_on("2026-09-02")
    assert returned["id"] in due and late["id"] not in due


async def test_supervisor_refunds_the_deposit_early(client, auth, bound):
    premise, _ = await metered_premise(client, auth)
    account_id = (await start_service(client, auth("csr1"), premise["id"]))["account"]["id"]
    body = {"method": "refund", "on_date": "2026-04-01", "reason": "letter of credit arrived"}
    denied = await client.post(f"/api/accounts/deposits/{account_id}/release",
                               headers=auth("csr1"), json=body)
    assert denied.status_code == 403
    r = await client.post(f"/api/accounts/deposits/{account_id}/release",
                          headers=auth("supervisor"), json=body)
    assert r.status_code == 200, r.text
    assert r.json()["held"] == "0.00"
    assert [t["kind"] for t in r.json()["transactions"]] == ["required", "refunded"]
    changed = await events(bound, "accounts.AccountChanged")
    assert changed[-1]["deposit_release"] == {"amount": "100.00", "method": "refund",
                                              "on_date": "2026-04-01"}
    [due] = await events(bound, "accounts.DepositDueForRefund")
    assert due["method"] == "refund" and due["amount"] == "100.00"
    again = await client.post(f"/api/accounts/deposits/{account_id}/release",
                              headers=auth("supervisor"), json=body)
    assert again.status_code == 409


async def test_backflow_device_test_moves_due_date_and_overdue_list(client, auth, bound):
    premise = await create_premise(client, auth("csr1"), kind="commercial")
    r = await client.post("/api/accounts/backflow", headers=auth("billing_tech"), json={
        "premise_id": premise["id"], "kind": "RP", "serial": "RP-0001",
        "location": "north wall by the street", "next_test_due": "2026-01-31"})
    assert r.status_code == 201, r.text
    device = r.json()
    overdue = await client.get("/api/accounts/backflow/overdue", headers=auth("csr1"),
                               params={"today": "2026-03-01"})
    assert [d["id"] for d in overdue.json()] == [device["id"]]
    assert overdue.json()[0]["days_overdue"] == 29
    t = await client.post(f"/api/accounts/backflow/{device['id']}/tests",
                          headers=auth("billing_tech"), json={
                              "tested_on": "2026-03-02", "result": "pass", "tester": "ACME"})
    assert t.status_code == 201 and t.json()["next_test_due"] == "2027-03-02"
    overdue = await client.get("/api/accounts/backflow/overdue", headers=auth("csr1"),
                               params={"today": "2026-03-03"})
    assert overdue.json() == []
    assert len(await audits(bound, "backflow.test")) == 1


async def test_devices_due_get_one_test_order_each_and_a_rerun_orders_nothing_twice(
        client, auth):
    premise = await create_premise(client, auth("csr1"), kind="commercial")
    devices = {}
    for serial, due in (("RP-1001", "2026-01-31"), ("RP-1002", "2026-03-20"),
                        ("RP-1003", "2026-06-01")):
        r = await client.post("/api/accounts/backflow", headers=auth("billing_tech"), json={
            "premise_id": premise["id"], "kind": "RP", "serial": serial, "next_test_due": due})
        devices[serial] = r.json()["id"]

    async def run(**body):
        r = await client.post("/api/accounts/backflow/overdue/orders", headers=auth("csr1"),
                              json={"today": "2026-03-01", **body})
        assert r.status_code == 200, r.text
        return r.json()

    first = await run()
    assert [c["serial"] for c in first["created"]] == ["RP-1001"]
    order = (await client.get(f"/api/accounts/orders/{first['created'][0]['order_id']}",
                              headers=auth("csr1"))).json()
    assert order["kind"] == "backflow_test" and order["status"] == "open"
    assert order["scheduled_date"] == "2026-03-01" and "RP-1001" in order["reason"]
    ahead = await run(due_within_days=30)
    assert [c["serial"] for c in ahead["created"]] == ["RP-1002"]
    assert ahead["already_ordered"] == 1
    again = await run(due_within_days=30)
    assert again == {"created": [], "already_ordered": 2}
    # A cancelled order does not count: the device is ordered again.
    r = await client.post(f"/api/accounts/orders/{order['id']}/cancel", headers=auth("csr1"),
                          json={"reason": "crew reassigned"})
    assert r.status_code == 200, r.text
    redo = await run()
    assert [c["device_id"] for c in redo["created"]] == [devices["RP-1001"]]
    r = await client.post("/api/accounts/backflow/overdue/orders",
                          headers=auth("billing_tech"), json={"today": "2026-03-01"})
    assert r.status_code == 403


async def test_unknown_backflow_kind_is_refused_naming_kind(client, auth):
    premise = await create_premise(client, auth("csr1"))
    r = await client.post("/api/accounts/backflow", headers=auth("billing_tech"), json={
        "premise_id": premise["id"], "kind": "XYZ", "serial": "RP-0002",
        "next_test_due": "2026-01-31"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "kind"


async def test_contact_log_and_scanned_document_are_kept_with_the_account(client, auth, bound):
    premise, _ = await metered_premise(client, auth)
    account_id = (await start_service(client, auth("csr1"), premise["id"]))["account"]["id"]
    r = await client.post(f"/api/accounts/contacts/{account_id}/log", headers=auth("csr1"),
                          json={"channel": "call", "category": "billing",
                                "note": "Asked about the deposit"})
    assert r.status_code == 201
    log = await client.get(f"/api/accounts/contacts/{account_id}/log", headers=auth("csr1"))
    assert [c["channel"] for c in log.json()] == ["call", "letter"]
    up = await client.post(f"/api/accounts/contacts/{account_id}/documents",
                           headers=auth("csr1"), data={"title": "Lease"},
                           files={"file": ("lease.pdf", b"%PDF-1.4 lease", "application/pdf")})
    assert up.status_code == 201, up.text
    got = await client.get(f"/api/accounts/contacts/documents/{up.json()['id']}",
                           headers=auth("csr1"))
    assert got.content == b"%PDF-1.4 lease"
    bad = await client.post(f"/api/accounts/contacts/{account_id}/documents",
                            headers=auth("csr1"), data={"title": "x"},
                            files={"file": ("x.exe", b"MZ", "application/octet-stream")})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "file"


async def test_service_order_notice_letter_is_rendered_in_spanish(client, auth):
    premise, _ = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"])
    account_id = started["account"]["id"]
    await client.patch(f"/api/accounts/accounts/{account_id}", headers=auth("csr1"),
                        json={"language": "es"})
    r = await client.post(f"/api/accounts/contacts/{account_id}/letters", headers=auth("csr1"),
                          json={"template": "service_order",
                                "service_order_id": started["service_order"]["id"]})
    assert r.status_code == 201, r.text
    assert r.json()["title"] == "Visita de servicio programada"
