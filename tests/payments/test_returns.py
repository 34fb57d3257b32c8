"""Returned checks: the payment is reversed once, the returned-payment fee assessed once, on
billing's ledger; a retry changes nothing; a payment comes back once; cash never does."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from kernel.auth import Principal
from kernel.clock import utility_today
from services.payments.returns import service as returns
from tests.payments.helpers import make_account, outbox, pdf_text, posted_events, table_count
from tests.payments.returns_helpers import (
    audit_rows,
    counter_check,
    ledger,
    mail_check,
    return_check,
)

PROBLEM = "application/problem+json"


async def test_a_returned_check_reverses_the_payment_once_and_assesses_the_fee_once(
        client, feed, cashier, drawer, bound, pump, sup):
    a = await make_account(feed)
    p = await counter_check(client, cashier, drawer, a.number, "100.00")
    r = await return_check(client, cashier, p["id"], code="nsf", note="bank notice 4411")
    assert r.status_code == 201, r.text
    ret = r.json()
    assert (ret["amount"], ret["fee"], ret["return_code"], ret["reason"], ret["returned_by"]) == (
        "100.00", "25.00", "NSF", "returned_check", "carla")
    (event,) = await outbox(bound, "payments.PaymentReturned")
    assert (event["payment_id"], event["account_id"], event["amount"], event["fee"],
            event["return_code"], event["reason"], event["return_id"]) == (
        p["id"], a.id, "100.00", "25.00", "NSF", "returned_check", ret["id"])
    await pump("payments", "billing")
    await pump("payments", "billing")  # a redelivery posts nothing more
    assert sorted(await ledger(client, sup, a.id)) == [
        ("payment", "-100.00"), ("payment_reversal", "100.00"),
        ("returned_payment_fee", "25.00")]
    (audit,) = await audit_rows(bound, "return-payment")
    assert (audit.actor, audit.entity_id, audit.reason) == ("carla", p["id"], "bank notice 4411")


async def test_accounts_marks_the_returned_check_against_the_deposit_history(
        client, feed, cashier, drawer, bound, pump):
    a = await make_account(feed)
    p = await counter_check(client, cashier, drawer, a.number, "40.00")
    assert (await return_check(client, cashier, p["id"])).status_code == 201
    await pump("payments", "accounts")
    await pump("payments", "accounts")
    marks = (await bound["accounts"].execute(__import__("sqlalchemy").text(
        "SELECT kind, on_date FROM deposit_marks WHERE account_id = :a"), {"a": a.id})).all()
    assert [(m.kind, m.on_date) for m in marks] == [("payment_returned", utility_today())]


async def test_the_same_return_key_twice_changes_nothing(client, feed, cashier, drawer, bound):
    a = await make_account(feed)
    p = await counter_check(client, cashier, drawer, a.number, "60.00")
    first = await return_check(client, cashier, p["id"], key="ret-1")
    again = await return_check(client, cashier, p["id"], key="ret-1")
    assert first.status_code == 201 and again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert len(await outbox(bound, "payments.PaymentReturned")) == 1
    assert await table_count(bound, "payment_returns") == 1


async def test_the_core_returns_once_per_key_for_any_caller(service_apps, feed, client, cashier,
                                                            drawer, bound):
    """What autopay's return-file import calls: the same key answers with the first return."""
    a = await make_account(feed)
    p = await counter_check(client, cashier, drawer, a.number, "75.00")
    system = Principal(sub="autopay", role="system")
    async with service_apps["payments"].state.db.session() as s:
        kw = {"reason": "returned_check", "return_code": "STOP_PAYMENT",
              "returned_on": utility_today(), "return_key": "bank-file-9:item-3"}
        one = await returns.return_payment(s, system, uuid.UUID(p["id"]), **kw)
        two = await returns.return_payment(s, system, uuid.UUID(p["id"]), **kw)
        no_fee = await returns.return_payment(
            s, system, uuid.UUID(p["id"]), reason="returned_check", return_code="NSF",
            returned_on=utility_today(), return_key="bank-file-9:item-3", assess_fee=False)
        await s.commit()  # the caller's transaction commits; the core only flushes
    assert one.id == two.id == no_fee.id and one.fee == Decimal("25.00")
    assert len(await outbox(bound, "payments.PaymentReturned")) == 1


async def test_a_second_different_return_of_the_same_payment_is_409(client, feed, cashier,
                                                                    drawer, bound):
    a = await make_account(feed)
    p = await counter_check(client, cashier, drawer, a.number, "60.00")
    assert (await return_check(client, cashier, p["id"])).status_code == 201
    second = await return_check(client, cashier, p["id"], code="STOP_PAYMENT")
    assert second.status_code == 409 and second.headers["content-type"] == PROBLEM
    assert len(await outbox(bound, "payments.PaymentReturned")) == 1


async def test_cash_cannot_be_returned(client, feed, cashier, drawer, bound):
    a = await make_account(feed)
    p = await counter_check(client, cashier, drawer, a.number, "20.00", tender="cash")
    r = await return_check(client, cashier, p["id"])
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert "Cash cannot be returned" in r.json()["detail"]
    assert await table_count(bound, "payment_returns") == 0
    assert await outbox(bound, "payments.PaymentReturned") == []


async def test_a_money_order_by_receipt_number_is_returned_and_its_receipt_says_so(
        client, feed, cashier, drawer):
    a = await make_account(feed)
    p = await counter_check(client, cashier, drawer, a.number, "35.00", tender="money_order")
    r = await return_check(client, cashier, None, receipt_number=p["receipt_number"],
                           code="REFER_TO_MAKER")
    assert r.status_code == 201, r.text
    assert r.json()["payment_id"] == p["id"]
    receipt = await client.get(f"/api/payments/receipts/{p['receipt_number']}", headers=cashier)
    assert receipt.json()["returned"]["return_code"] == "REFER_TO_MAKER"
    pdf = await client.get(f"/api/payments/receipts/{p['receipt_number']}/pdf", headers=cashier)
    assert "RETURNED by the bank" in pdf_text(pdf.content)


async def test_returns_are_listed_by_account_and_date(client, feed, cashier, drawer):
    a, b = await make_account(feed), await make_account(feed)
    pa = await counter_check(client, cashier, drawer, a.number, "10.00")
    pb = await counter_check(client, cashier, drawer, b.number, "11.00")
    ra = (await return_check(client, cashier, pa["id"])).json()
    assert (await return_check(client, cashier, pb["id"])).status_code == 201
    today = utility_today()
    listed = await client.get("/api/payments/returns", headers=cashier, params={
        "account_number": a.number, "from": today.isoformat(), "to": today.isoformat()})
    assert [x["id"] for x in listed.json()] == [ra["id"]]
    earlier = await client.get("/api/payments/returns", headers=cashier, params={
        "account_number": a.number, "to": (today - timedelta(days=1)).isoformat()})
    assert earlier.json() == []
    one = await client.get(f"/api/payments/returns/{ra['id']}", headers=cashier)
    assert one.json()["payment_id"] == pa["id"]


async def test_checks_from_the_mail_and_the_lockbox_come_back_the_same_way(
        client, feed, cashier, bound, pump, sup):
    from kernel.checkdigit import printed
    from tests.payments.test_lockbox_import import a_file, upload

    a = await make_account(feed)
    mailed = await mail_check(client, cashier, a.number, "70.00",
                              (utility_today() - timedelta(days=3)).isoformat())
    assert (await upload(client, cashier, a_file((printed(a.number), "90.00")).render())
            ).status_code == 201
    (boxed,) = [e.payload["payment"] for e in await posted_events(bound)
                if e.payload["payment"]["channel"] == "lockbox"]
    for p in (mailed, boxed):
        r = await return_check(client, cashier, p["id"], code="UNABLE_TO_LOCATE")
        assert r.status_code == 201, r.text
    returned = await outbox(bound, "payments.PaymentReturned")
    assert sorted((e["channel"], e["amount"], e["fee"]) for e in returned) == [
        ("lockbox", "90.00", "25.00"), ("mail", "70.00", "25.00")]
    await pump("payments", "billing")
    entries = await ledger(client, sup, a.id)
    assert sum(Decimal(x) for _, x in entries) == Decimal("50.00")  # two fees owed
