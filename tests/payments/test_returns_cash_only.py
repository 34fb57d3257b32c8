"""Cash-only after returned checks: the second return within twelve months makes the account
cash-only and the counter and the mail then refuse its checks; a return thirteen months after
the first does not; a supervisor waives the fee, sets or clears the flag, with a reason."""

from __future__ import annotations

from kernel.clock import utility_today
from services.payments.returns.domain import add_months
from tests.payments.helpers import make_account, outbox, table_count
from tests.payments.returns_helpers import (
    audit_rows,
    counter_check,
    ledger,
    mail_check,
    return_check,
)

PROBLEM = "application/problem+json"


async def _check_refused(client, h, drawer, number):
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/payments",
                          headers={**h, "Idempotency-Key": f"refused-{number}"},
                          json={"account_number": number, "amount": "30.00", "tender": "check",
                                "check_number": "77", "bank": "Town Bank"})
    return r


async def _account(client, h, number):
    r = await client.get(f"/api/payments/accounts/{number}", headers=h)
    assert r.status_code == 200, r.text
    return r.json()


async def test_the_second_return_in_twelve_months_makes_the_account_cash_only_at_the_counter(
        client, feed, cashier, drawer, bound):
    a = await make_account(feed)
    first = await counter_check(client, cashier, drawer, a.number, "50.00")
    second = await counter_check(client, cashier, drawer, a.number, "60.00")
    assert (await return_check(client, cashier, first["id"])).json()["cash_only"] is False
    assert await outbox(bound, "payments.CashOnlyChanged") == []
    assert (await _account(client, cashier, a.number))["cash_only"] is False
    r = await return_check(client, cashier, second["id"], code="ACCOUNT_CLOSED")
    assert r.json()["cash_only"] is True
    today = utility_today()
    until = add_months(today, 12).isoformat()
    (changed,) = await outbox(bound, "payments.CashOnlyChanged")
    assert changed == {"account_id": a.id, "cash_only": True, "reason": "returns",
                       "returns_in_window": 2, "since": today.isoformat(), "until": until,
                       "changed_by": "carla"}
    shown = await _account(client, cashier, a.number)
    assert (shown["cash_only"], shown["cash_only_reason"], shown["cash_only_until"]) == (
        True, "returns", until)
    refused = await _check_refused(client, cashier, drawer, a.number)
    assert refused.status_code == 422 and refused.headers["content-type"] == PROBLEM
    assert refused.json()["reason"] == "cash_only"
    assert await table_count(bound, "payments", f"account_id = '{a.id}'") == 2
    # cash and money orders are still taken
    await counter_check(client, cashier, drawer, a.number, "30.00", tender="cash")
    await counter_check(client, cashier, drawer, a.number, "30.00", tender="money_order")


async def test_a_cash_only_account_s_check_in_the_mail_is_refused_with_the_reason(
        client, feed, cashier, drawer, sup):
    a = await make_account(feed)
    set_ = await client.post(f"/api/payments/accounts/{a.number}/cash-only", headers=sup,
                             json={"cash_only": True, "reason": "three bounced checks in 2025"})
    assert set_.status_code == 200, set_.text
    b = await client.post("/api/payments/batches", headers=cashier, json={
        "received_on": utility_today().isoformat(), "control_total": "10.00",
        "control_count": 1})
    keyed = await client.post(f"/api/payments/batches/{b.json()['id']}/payments",
                              headers={**cashier, "Idempotency-Key": "m-1"},
                              json={"account_number": a.number, "amount": "10.00",
                                    "check_number": "5", "bank": "Valley Bank"})
    assert keyed.status_code == 422 and keyed.json()["reason"] == "cash_only"


async def test_a_return_thirteen_months_after_the_first_does_not_make_the_account_cash_only(
        client, feed, cashier, drawer, bound):
    a = await make_account(feed)
    today = utility_today()
    old = await mail_check(client, cashier, a.number, "45.00",
                           add_months(today, -14).isoformat())
    r = await return_check(client, cashier, old["id"], on=add_months(today, -13).isoformat())
    assert r.status_code == 201, r.text
    recent = await counter_check(client, cashier, drawer, a.number, "55.00")
    assert (await return_check(client, cashier, recent["id"])).json()["cash_only"] is False
    assert await outbox(bound, "payments.CashOnlyChanged") == []
    shown = await client.get(f"/api/payments/accounts/{a.number}/cash-only", headers=cashier)
    assert (shown.json()["cash_only"], shown.json()["returns_in_window"]) == (False, 1)
    await counter_check(client, cashier, drawer, a.number, "30.00")  # a check is taken


async def test_a_supervisor_waives_the_fee_with_a_reason_and_billing_posts_none(
        client, feed, cashier, drawer, sup, bound, pump):
    a = await make_account(feed)
    p = await counter_check(client, cashier, drawer, a.number, "80.00")
    no_reason = await return_check(client, sup, p["id"], waive_fee=True)
    assert no_reason.status_code == 422 and no_reason.headers["content-type"] == PROBLEM
    assert no_reason.json()["errors"][0]["field"] == "waive_reason"
    r = await return_check(client, sup, p["id"], waive_fee=True,
                           waive_reason="bank error, letter from Valley Bank on file")
    assert r.status_code == 201, r.text
    assert (r.json()["fee"], r.json()["fee_waived_by"]) == (None, "sam")
    (event,) = await outbox(bound, "payments.PaymentReturned")
    assert event["fee"] is None
    await pump("payments", "billing")
    assert sorted(await ledger(client, sup, a.id)) == [
        ("payment", "-80.00"), ("payment_reversal", "80.00")]
    (waived,) = await audit_rows(bound, "waive-returned-payment-fee")
    assert (waived.actor, waived.actor_role, waived.reason) == (
        "sam", "supervisor", "bank error, letter from Valley Bank on file")


async def test_a_csr_cannot_waive_the_fee(client, feed, cashier, cashier2, drawer, bound):
    a = await make_account(feed)
    p = await counter_check(client, cashier, drawer, a.number, "80.00")
    for h in (cashier, cashier2):
        r = await return_check(client, h, p["id"], waive_fee=True, waive_reason="nice customer")
        assert r.status_code == 403 and r.headers["content-type"] == PROBLEM
    assert await table_count(bound, "payment_returns") == 0
    assert await outbox(bound, "payments.PaymentReturned") == []


async def test_a_supervisor_clears_cash_only_with_a_reason_audited_and_the_returns_forgiven(
        client, feed, cashier, drawer, sup, bound):
    a = await make_account(feed)
    for amount in ("20.00", "21.00"):
        p = await counter_check(client, cashier, drawer, a.number, amount)
        assert (await return_check(client, cashier, p["id"])).status_code == 201
    url = f"/api/payments/accounts/{a.number}/cash-only"
    assert (await client.post(url, headers=cashier, json={
        "cash_only": False, "reason": "please"})).status_code == 403
    blank = await client.post(url, headers=sup, json={"cash_only": False, "reason": "  "})
    assert blank.status_code == 422
    cleared = await client.post(url, headers=sup, json={
        "cash_only": False, "reason": "customer brought a bank letter: the account was frozen"})
    assert cleared.status_code == 200, cleared.text
    assert (cleared.json()["cash_only"], cleared.json()["reason"]) == (False, None)
    flipped = await outbox(bound, "payments.CashOnlyChanged")
    assert [(e["cash_only"], e["reason"], e["changed_by"]) for e in flipped] == [
        (True, "returns", "carla"), (False, "manual", "sam")]
    (audit,) = await audit_rows(bound, "cash-only-clear")
    assert (audit.actor, audit.entity_id, audit.before["cash_only"], audit.after["cash_only"],
            audit.reason) == ("sam", a.id, True, False,
                              "customer brought a bank letter: the account was frozen")
    taken = await counter_check(client, cashier, drawer, a.number, "30.00")
    # one more return after the clear is the first that counts
    assert (await return_check(client, cashier, taken["id"])).json()["cash_only"] is False
    again = await client.post(url, headers=sup, json={"cash_only": False, "reason": "again"})
    assert again.status_code == 409


async def test_a_supervisor_sets_cash_only_until_a_date(client, feed, cashier, drawer, sup,
                                                       bound):
    a = await make_account(feed)
    until = add_months(utility_today(), 6).isoformat()
    r = await client.post(f"/api/payments/accounts/{a.number}/cash-only", headers=sup,
                          json={"cash_only": True, "reason": "check fraud alert",
                                "until": until})
    assert r.status_code == 200, r.text
    assert (r.json()["cash_only"], r.json()["reason"], r.json()["until"]) == (
        True, "manual", until)
    (changed,) = await outbox(bound, "payments.CashOnlyChanged")
    assert (changed["cash_only"], changed["reason"], changed["until"]) == (True, "manual", until)
    assert (await _check_refused(client, cashier, drawer, a.number)).json()["reason"] == (
        "cash_only")
    past = await client.post(f"/api/payments/accounts/{a.number}/cash-only", headers=sup,
                             json={"cash_only": True, "reason": "x",
                                   "until": utility_today().isoformat()})
    assert past.status_code == 422
    (audit,) = await audit_rows(bound, "cash-only-set")
    assert audit.reason == "check fraud alert"


async def test_accounts_own_cash_only_flag_still_counts(client, feed, cashier, drawer, sup):
    a = await make_account(feed, cash_only=True)
    shown = await _account(client, cashier, a.number)
    assert (shown["cash_only"], shown["cash_only_reason"]) == (True, "accounts")
    assert (await _check_refused(client, cashier, drawer, a.number)).json()["reason"] == (
        "cash_only")
    clear = await client.post(f"/api/payments/accounts/{a.number}/cash-only", headers=sup,
                              json={"cash_only": False, "reason": "x"})
    assert clear.status_code == 409 and "accounts" in clear.json()["detail"]
