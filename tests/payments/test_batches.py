"""Mail check batches: a batch posts only when the checks keyed match the tape's control total
and count; then every payment is announced and billing credits each once."""

from __future__ import annotations

from tests.payments.helpers import make_account, posted_events, table_count

PROBLEM = "application/problem+json"


async def _batch(client, h, total: str, count: int) -> dict:
    r = await client.post("/api/payments/batches", headers=h, json={
        "received_on": "2026-02-12", "control_total": total, "control_count": count})
    assert r.status_code == 201, r.text
    return r.json()


async def _key(client, h, batch_id, k, number, amount, check="101"):
    return await client.post(f"/api/payments/batches/{batch_id}/payments",
                             headers={**h, "Idempotency-Key": k},
                             json={"account_number": number, "amount": amount,
                                   "check_number": check, "bank": "Town Bank"})


async def test_a_batch_that_does_not_balance_posts_nothing_until_it_is_corrected(
        client, feed, cashier, bound, pump):
    a, b = await make_account(feed), await make_account(feed)
    batch = await _batch(client, cashier, "150.00", 2)
    first = await _key(client, cashier, batch["id"], "k1", a.number, "100.00")
    assert first.status_code == 201 and first.json()["status"] == "keyed"
    wrong = await _key(client, cashier, batch["id"], "k2", b.number, "55.00")
    assert wrong.status_code == 201
    refused = await client.post(f"/api/payments/batches/{batch['id']}/post", headers=cashier)
    assert refused.status_code == 422 and refused.headers["content-type"] == PROBLEM
    body = refused.json()
    assert body["errors"][0]["field"] == "control_total"
    assert (body["keyed_total"], body["control_total"]) == ("155.00", "150.00")
    assert await posted_events(bound) == []
    assert await table_count(bound, "payments", "status = 'posted'") == 0
    # the mis-keyed check comes out and is keyed again with the right amount
    gone = await client.delete(
        f"/api/payments/batches/{batch['id']}/payments/{wrong.json()['id']}", headers=cashier)
    assert gone.status_code == 200 and gone.json()["keyed_count"] == 1
    assert (await _key(client, cashier, batch["id"], "k3", b.number, "50.00")).status_code == 201
    posted = await client.post(f"/api/payments/batches/{batch['id']}/post", headers=cashier)
    assert posted.status_code == 200, posted.text
    pb = posted.json()
    assert (pb["status"], pb["keyed_total"], pb["keyed_count"]) == ("posted", "150.00", 2)
    assert {p["status"] for p in pb["payments"]} == {"posted"}
    events = await posted_events(bound)
    assert sorted(e.payload["payment"]["amount"] for e in events) == ["100.00", "50.00"]
    assert {e.payload["payment"]["received_on"] for e in events} == {"2026-02-12"}
    await pump("payments", "billing")
    for acct, amount in ((a, "-100.00"), (b, "-50.00")):
        led = (await client.get(f"/api/billing/ledger/accounts/{acct.id}",
                                headers=cashier)).json()
        assert [e["amount"] for e in led["entries"] if e["kind"] == "payment"] == [amount]


async def test_a_wrong_count_is_refused_even_when_the_total_matches(client, feed, cashier,
                                                                    bound):
    a = await make_account(feed)
    batch = await _batch(client, cashier, "60.00", 3)
    await _key(client, cashier, batch["id"], "c1", a.number, "30.00")
    await _key(client, cashier, batch["id"], "c2", a.number, "30.00", check="102")
    r = await client.post(f"/api/payments/batches/{batch['id']}/post", headers=cashier)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "control_count"
    assert "2 payments keyed, control count 3" in r.json()["detail"]
    assert await posted_events(bound) == []
    assert (await client.get(f"/api/payments/batches/{batch['id']}",
                             headers=cashier)).json()["status"] == "open"


async def test_a_posted_batch_takes_nothing_more_and_posts_once(client, feed, cashier, bound):
    a = await make_account(feed)
    batch = await _batch(client, cashier, "10.00", 1)
    await _key(client, cashier, batch["id"], "p1", a.number, "10.00")
    assert (await client.post(f"/api/payments/batches/{batch['id']}/post",
                              headers=cashier)).status_code == 200
    again = await client.post(f"/api/payments/batches/{batch['id']}/post", headers=cashier)
    assert again.status_code == 409
    late = await _key(client, cashier, batch["id"], "p2", a.number, "10.00")
    assert late.status_code == 409
    assert len(await posted_events(bound)) == 1


async def test_a_cash_only_account_s_mailed_check_is_refused_at_keying(client, feed, cashier,
                                                                       bound):
    a = await make_account(feed, cash_only=True)
    batch = await _batch(client, cashier, "10.00", 1)
    r = await _key(client, cashier, batch["id"], "co", a.number, "10.00")
    assert r.status_code == 422 and r.json()["reason"] == "cash_only"
    assert await table_count(bound, "payments") == 0


async def test_bad_control_figures_open_no_batch(client, cashier, bound):
    for body in ({"received_on": "2026-02-12", "control_total": "0", "control_count": 1},
                 {"received_on": "2026-02-12", "control_total": "1.005", "control_count": 1},
                 {"received_on": "2026-02-12", "control_total": "10.00", "control_count": 0},
                 {"received_on": "2026-02-12", "control_total": "10.00", "control_count": "1"},
                 {"received_on": "2026-2-12", "control_total": "10.00", "control_count": 1}):
        r = await client.post("/api/payments/batches", headers=cashier, json=body)
        assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, body
    assert await table_count(bound, "batches") == 0


async def test_customers_and_field_staff_do_not_key_batches(client, auth):
    for role in ("customer", "field_tech", "supervisor"):
        r = await client.post("/api/payments/batches", headers=auth(role), json={
            "received_on": "2026-02-12", "control_total": "10.00", "control_count": 1})
        assert r.status_code == 403, role


async def test_the_keying_worklist_lists_open_batches_with_their_tape_and_what_was_keyed(
        client, feed, cashier):
    a = await make_account(feed)
    open_one = await _batch(client, cashier, "80.00", 2)
    await _key(client, cashier, open_one["id"], "w1", a.number, "30.00")
    done = await _batch(client, cashier, "10.00", 1)
    await _key(client, cashier, done["id"], "w2", a.number, "10.00")
    assert (await client.post(f"/api/payments/batches/{done['id']}/post",
                              headers=cashier)).status_code == 200
    r = await client.get("/api/payments/batches", headers=cashier, params={"status": "open"})
    assert r.status_code == 200, r.text
    listed = {b["id"]: b for b in r.json()}
    assert done["id"] not in listed and {b["status"] for b in r.json()} == {"open"}
    mine = listed[open_one["id"]]
    assert (mine["control_total"], mine["control_count"]) == ("80.00", 2)
    assert (mine["keyed_total"], mine["keyed_count"]) == ("30.00", 1)
    both = (await client.get("/api/payments/batches", headers=cashier)).json()
    assert {open_one["id"], done["id"]} <= {b["id"] for b in both}
    bad = await client.get("/api/payments/batches", headers=cashier,
                           params={"status": "lost"})
    assert bad.status_code == 422
