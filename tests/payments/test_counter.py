"""The counter: a cashier's drawer from float to sign-off, payments in every tender, receipts,
and billing crediting each payment exactly once."""

from __future__ import annotations

from decimal import Decimal

from tests.payments.helpers import (
    issue_bill,
    make_account,
    pdf_text,
    posted_events,
    table_count,
)


def key(h: dict[str, str], k: str) -> dict[str, str]:
    return {**h, "Idempotency-Key": k}


async def test_a_cash_payment_is_receipted_announced_once_and_billing_credits_it_once(
        client, feed, cashier, drawer, pump, bound):
    a = await make_account(feed)
    await issue_bill(feed, a, "80.00", "80.00")
    body = {"account_number": a.number, "amount": "50.00", "tender": "cash"}
    url = f"/api/payments/drawers/{drawer['id']}/payments"
    r = await client.post(url, json=body, headers=key(cashier, "pay-1"))
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["status"] == "posted" and p["amount"] == "50.00" and p["receipt_number"] > 0
    again = await client.post(url, json=body, headers=key(cashier, "pay-1"))
    assert again.status_code == 201 and again.json()["id"] == p["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    events = await posted_events(bound)
    assert len(events) == 1
    ev_key, payload = events[0]
    assert ev_key == f"account:{a.id}"
    assert {k: payload["payment"][k] for k in ("id", "account_id", "amount")} == {
        "id": p["id"], "account_id": a.id, "amount": "50.00"}
    assert payload["payment"]["received_on"] == p["received_on"]
    # billing applies it (and a redelivery changes nothing)
    await pump("payments", "billing")
    await pump("payments", "billing")
    led = (await client.get(f"/api/billing/ledger/accounts/{a.id}", headers=cashier)).json()
    payments = [e for e in led["entries"] if e["kind"] == "payment"]
    assert [(e["amount"], e["reference"]) for e in payments] == [("-50.00", p["id"])]


async def test_counter_view_shows_name_balance_and_open_bills(client, feed, cashier):
    a = await make_account(feed, name="Ana Núñez")
    bill = await issue_bill(feed, a, "42.10", "42.10")
    r = await client.get(f"/api/payments/accounts/{a.number[:-1]}-{a.number[-1]}",
                         headers=cashier)
    assert r.status_code == 200, r.text
    v = r.json()
    assert (v["name"], v["balance"], v["cash_only"]) == ("Ana Núñez", "42.10", False)
    assert [b["id"] for b in v["open_bills"]] == [bill]


async def test_check_money_order_and_card_token_are_taken_with_their_details(
        client, feed, cashier, drawer):
    a = await make_account(feed)
    url = f"/api/payments/drawers/{drawer['id']}/payments"
    check = await client.post(url, headers=key(cashier, "c1"), json={
        "account_number": a.number, "amount": "20.00", "tender": "check",
        "check_number": "1042", "bank": "First Valley Bank"})
    mo = await client.post(url, headers=key(cashier, "m1"), json={
        "account_number": a.number, "amount": "15.25", "tender": "money_order",
        "money_order_number": "MO-77812"})
    card = await client.post(url, headers=key(cashier, "k1"), json={
        "account_number": a.number, "amount": "9.99", "tender": "card",
        "processor_token": "tok_sandbox_visa_ok"})
    assert [x.status_code for x in (check, mo, card)] == [201, 201, 201], card.text
    assert (check.json()["check_number"], check.json()["bank"]) == ("1042", "First Valley Bank")
    assert mo.json()["money_order_number"] == "MO-77812"
    assert "processor_token" not in card.json()
    receipts = {check.json()["receipt_number"], mo.json()["receipt_number"],
                card.json()["receipt_number"]}
    assert len(receipts) == 3


async def test_a_card_number_instead_of_a_token_is_refused_and_not_kept(
        client, feed, cashier, drawer, bound):
    a = await make_account(feed)
    not_a_token = "4242 4242 4242 4241"  # 16 digits, fails Luhn: shaped like a card, not one
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/payments",
                          headers=key(cashier, "k2"), json={
                              "account_number": a.number, "amount": "10.00", "tender": "card",
                              "processor_token": not_a_token})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"] == "processor_token"
    assert "4242" not in r.text
    assert await table_count(bound, "payments") == 0


async def test_a_drawer_closes_with_its_count_over_short_recorded_and_another_signs_off(
        client, feed, cashier, drawer, sup, auth):
    a = await make_account(feed)
    url = f"/api/payments/drawers/{drawer['id']}/payments"
    for k, amount, tender in (("a", "50.00", "cash"), ("b", "12.50", "cash")):
        assert (await client.post(url, headers=key(cashier, k), json={
            "account_number": a.number, "amount": amount, "tender": tender})).status_code == 201
    assert (await client.post(url, headers=key(cashier, "c"), json={
        "account_number": a.number, "amount": "30.00", "tender": "check",
        "check_number": "7", "bank": "Town Bank"})).status_code == 201
    # expected cash 100 + 62.50 = 162.50; counted 162.25 (a quarter short)
    counts = {"100": 1, "50": 1, "10": 1, "1": 2, "0.25": 1}
    closed = await client.post(f"/api/payments/drawers/{drawer['id']}/close",
                               json={"counts": counts}, headers=cashier)
    assert closed.status_code == 200, closed.text
    d = closed.json()
    assert (d["status"], d["counted_cash"], d["expected_cash"], d["over_short"]) == (
        "closed", "162.25", "162.50", "-0.25")
    assert {t["tender"]: (t["count"], t["total"]) for t in d["taken"]} == {
        "cash": (2, "62.50"), "check": (1, "30.00")}
    own = await client.post(f"/api/payments/drawers/{drawer['id']}/sign-off", json={},
                            headers=cashier)
    assert own.status_code == 403
    unexplained = await client.post(f"/api/payments/drawers/{drawer['id']}/sign-off",
                                    json={"note": " "}, headers=sup)
    assert unexplained.status_code == 422
    assert unexplained.json()["errors"][0]["field"] == "note"
    signed = await client.post(f"/api/payments/drawers/{drawer['id']}/sign-off",
                               json={"note": "quarter short, counted twice"}, headers=sup)
    assert signed.status_code == 200, signed.text
    assert (signed.json()["status"], signed.json()["signed_off_by"]) == ("signed_off", "sam")
    twice = await client.post(f"/api/payments/drawers/{drawer['id']}/sign-off", json={},
                              headers=auth("supervisor", "sue"))
    assert twice.status_code == 409


async def test_a_supervisor_who_closed_a_drawer_does_not_sign_it_off(
        client, drawer, sup, auth):
    closed = await client.post(f"/api/payments/drawers/{drawer['id']}/close",
                               json={"counts": {"100": 1}}, headers=sup)
    assert closed.status_code == 200 and closed.json()["over_short"] == "0.00"
    assert closed.json()["closed_by"] == "sam"
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/sign-off", json={},
                          headers=sup)
    assert r.status_code == 403 and "own drawer" in r.json()["detail"]
    ok = await client.post(f"/api/payments/drawers/{drawer['id']}/sign-off", json={},
                           headers=auth("supervisor", "sue"))
    assert ok.status_code == 200


async def test_a_closed_drawer_takes_nothing(client, feed, cashier, drawer, bound):
    a = await make_account(feed)
    await client.post(f"/api/payments/drawers/{drawer['id']}/close",
                      json={"counts": {"100": 1}}, headers=cashier)
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/payments",
                          headers=key(cashier, "late"), json={
                              "account_number": a.number, "amount": "5.00", "tender": "cash"})
    assert r.status_code == 409 and r.headers["content-type"] == "application/problem+json"
    assert "closed" in r.json()["detail"]
    assert await table_count(bound, "payments") == 0
    assert await posted_events(bound) == []


async def test_a_cash_only_account_pays_cash_but_its_check_is_refused_with_the_reason(
        client, feed, cashier, drawer, bound):
    a = await make_account(feed, cash_only=True)
    url = f"/api/payments/drawers/{drawer['id']}/payments"
    chk = await client.post(url, headers=key(cashier, "x1"), json={
        "account_number": a.number, "amount": "40.00", "tender": "check",
        "check_number": "55", "bank": "Town Bank"})
    assert chk.status_code == 422
    assert chk.json()["reason"] == "cash_only" and "cash-only" in chk.json()["detail"]
    assert await table_count(bound, "payments") == 0
    cash = await client.post(url, headers=key(cashier, "x2"), json={
        "account_number": a.number, "amount": "40.00", "tender": "cash"})
    assert cash.status_code == 201


async def test_one_open_drawer_per_cashier_and_only_the_cashier_takes_payments_in_it(
        client, feed, cashier, cashier2, drawer):
    again = await client.post("/api/payments/drawers", json={"float_amount": "50.00"},
                              headers=cashier)
    assert again.status_code == 409
    a = await make_account(feed)
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/payments",
                          headers=key(cashier2, "other"), json={
                              "account_number": a.number, "amount": "5.00", "tender": "cash"})
    assert r.status_code == 403


async def test_roles_supervisors_and_customers_do_not_take_payments(client, feed, auth, drawer):
    a = await make_account(feed)
    body = {"account_number": a.number, "amount": "5.00", "tender": "cash"}
    for role in ("supervisor", "customer", "field_tech", "admin"):
        h = key(auth(role, "carla"), f"r-{role}")
        r = await client.post(f"/api/payments/drawers/{drawer['id']}/payments", json=body,
                              headers=h)
        assert r.status_code == 403, role
    assert (await client.post("/api/payments/drawers", json={"float_amount": "1.00"},
                              headers=auth("supervisor"))).status_code == 403
    assert (await client.post("/api/payments/drawers", json={"float_amount": "1.00"},
                              headers=auth("billing_tech"))).status_code == 201


async def test_the_receipt_prints_as_a_pdf_with_its_number_account_and_amount(
        client, feed, cashier, drawer):
    a = await make_account(feed, name="Zoë Ortiz")
    p = (await client.post(f"/api/payments/drawers/{drawer['id']}/payments",
                           headers=key(cashier, "rcpt"), json={
                               "account_number": a.number, "amount": "1234.56",
                               "tender": "cash"})).json()
    got = await client.get(f"/api/payments/receipts/{p['receipt_number']}", headers=cashier)
    assert got.status_code == 200 and got.json()["id"] == p["id"]
    pdf = await client.get(f"/api/payments/receipts/{p['receipt_number']}/pdf", headers=cashier)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    txt = pdf_text(pdf.content)
    assert f"Receipt {p['receipt_number']}" in txt
    assert "$1,234.56" in txt and f"{a.number[:-1]}-{a.number[-1]}" in txt
    assert "Zo\xeb Ortiz" in txt
    missing = await client.get("/api/payments/receipts/1", headers=cashier)
    assert missing.status_code == 404


async def test_over_means_more_cash_than_expected(client, cashier, drawer):
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/close",
                          json={"counts": {"100": 1, "5": 1}}, headers=cashier)
    assert Decimal(r.json()["over_short"]) == Decimal("5.00")


async def test_a_retry_after_the_idempotency_record_expired_still_takes_the_payment_once(
        client, feed, cashier, drawer, bound):
    """The key is kept with the payment itself, so even past the request-replay window the
    same key finds the same payment and announces nothing new."""
    from sqlalchemy import text

    a = await make_account(feed)
    url = f"/api/payments/drawers/{drawer['id']}/payments"
    body = {"account_number": a.number, "amount": "18.00", "tender": "cash"}
    h = {**cashier, "Idempotency-Key": "slow-network"}
    first = await client.post(url, json=body, headers=h)
    await bound["payments"].execute(text("DELETE FROM idempotency_keys"))
    again = await client.post(url, json=body, headers=h)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert "Idempotent-Replayed" not in again.headers
    assert await table_count(bound, "payments") == 1 and len(await posted_events(bound)) == 1
    other = await client.post(url, json={**body, "amount": "19.00"}, headers=h)
    assert other.status_code == 422


async def test_closed_drawers_wait_on_the_supervisor_s_worklist_until_signed_off(
        client, cashier, cashier2, drawer, sup):
    other = (await client.post("/api/payments/drawers", json={"float_amount": "20.00"},
                               headers=cashier2)).json()
    await client.post(f"/api/payments/drawers/{drawer['id']}/close",
                      json={"counts": {"100": 1}}, headers=cashier)
    waiting = await client.get("/api/payments/drawers?status=closed", headers=sup)
    assert [d["id"] for d in waiting.json()] == [drawer["id"]]
    still_open = await client.get("/api/payments/drawers?status=open", headers=sup)
    assert [d["id"] for d in still_open.json()] == [other["id"]]
    await client.post(f"/api/payments/drawers/{drawer['id']}/sign-off", json={}, headers=sup)
    assert (await client.get("/api/payments/drawers?status=closed", headers=sup)).json() == []
    bad = await client.get("/api/payments/drawers?status=lost", headers=sup)
    assert bad.status_code == 422
