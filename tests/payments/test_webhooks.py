"""Processor webhooks end to end: signed sandbox deliveries through the gateway, posted once,
reversed once, in any order, and billing's ledger agreeing."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from kernel.clock import utc_now
from kernel.webhooks import WebhookSecret
from services.payments.processors.base import ChargeRequest
from services.payments.processors.deliveries import Flaw, plan_deliveries
from services.payments.processors.sandbox import SandboxProcessor, WebhookMessage
from tests.payments.helpers import make_account, table_count

URL = "/api/payments/webhooks/sandbox"


@pytest.fixture
def sandbox(service_apps) -> Iterator[SandboxProcessor]:
    """A sandbox whose secret this test knows, as the payments app's processor."""
    state = service_apps["payments"].state
    configured, state.processor = state.processor, SandboxProcessor([WebhookSecret.generate()])
    yield state.processor
    state.processor = configured


def pay(sandbox: SandboxProcessor, number: str, amount: str, key: str,
        method: str = "pm_card_visa") -> str:
    kind = sandbox.payment_method(method).kind
    return sandbox.charge(ChargeRequest(number, Decimal(amount), method, kind, key)).payment_id


async def deliver(client: Any, sandbox: SandboxProcessor, m: WebhookMessage) -> Any:
    return await client.post(URL, content=m.body,
                             headers={**sandbox.signed(m, utc_now()),
                                      "content-type": "application/json"})


async def outbox(bound: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    return [r[0] for r in (await bound["payments"].execute(text(
        "SELECT payload FROM outbox WHERE type = :t ORDER BY id"), {"t": type_})).all()]


async def ledger(client: Any, auth: Any, account_id: str) -> list[tuple[str, str]]:
    led = (await client.get(f"/api/billing/ledger/accounts/{account_id}",
                            headers=auth("supervisor", "sam"))).json()
    return [(e["kind"], e["amount"]) for e in led["entries"]]


async def test_a_payment_delivered_three_times_posts_once(client, feed, sandbox, bound):
    a = await make_account(feed)
    pay(sandbox, a.number, "42.00", "web-1")
    (m,) = sandbox.messages
    outcomes = [(await deliver(client, sandbox, m)).json()["outcome"] for _ in range(3)]
    assert outcomes == ["posted", "duplicate", "duplicate"]
    posted = await outbox(bound, "payments.PaymentPosted")
    assert [(p["payment"]["account_id"], p["payment"]["amount"], p["payment"]["channel"],
             p["payment"]["tender"]) for p in posted] == [(a.id, "42.00", "processor", "card")]
    assert await table_count(bound, "payments") == 1


async def test_a_refund_before_its_payment_is_applied_when_the_payment_arrives(
        client, feed, sandbox, bound, pump, auth):
    a = await make_account(feed)
    pid = pay(sandbox, a.number, "80.00", "web-2")
    sandbox.refund(payment_id=pid, amount=Decimal("30.00"), idempotency_key="r-1",
                   reason="requested_by_customer")
    succeeded, refunded = sandbox.messages
    early = await deliver(client, sandbox, refunded)
    assert (early.status_code, early.json()["outcome"]) == (200, "pending")
    assert await outbox(bound, "payments.PaymentReturned") == []
    late = await deliver(client, sandbox, succeeded)
    assert late.json()["outcome"] == "posted-and-reversed"
    assert (await deliver(client, sandbox, refunded)).json()["outcome"] == "duplicate"
    assert (await deliver(client, sandbox, succeeded)).json()["outcome"] == "duplicate"
    (ret,) = await outbox(bound, "payments.PaymentReturned")
    assert (ret["account_id"], ret["amount"], ret["reason"], ret["processor_payment_id"]) == (
        a.id, "30.00", "refund", pid)
    assert ret["refund_id"].startswith("re_sbx_")
    await pump("payments", "billing")
    assert sorted(await ledger(client, auth, a.id)) == [
        ("payment", "-80.00"), ("payment_reversal", "30.00")]


async def test_two_part_refunds_and_a_chargeback_leave_billing_at_the_charge_less_all_three(
        client, feed, sandbox, bound, pump, auth):
    a = await make_account(feed)
    pid = pay(sandbox, a.number, "100.00", "web-3")
    sandbox.refund(payment_id=pid, amount=Decimal("10.00"), idempotency_key="r-a", reason="x")
    sandbox.refund(payment_id=pid, amount=Decimal("15.50"), idempotency_key="r-b", reason="x")
    sandbox.dispute(pid)
    for m in reversed(sandbox.messages):
        assert (await deliver(client, sandbox, m)).status_code == 200
    returned = await outbox(bound, "payments.PaymentReturned")
    assert sorted((r["reason"], r["amount"]) for r in returned) == [
        ("chargeback", "74.50"), ("refund", "10.00"), ("refund", "15.50")]
    await pump("payments", "billing")
    await pump("payments", "billing")  # a redelivery changes nothing
    entries = await ledger(client, auth, a.id)
    assert sum(Decimal(x) for _, x in entries) == Decimal("0.00")
    assert len(entries) == 4


async def test_an_ach_debit_settled_then_returned_posts_and_reverses_with_its_code(
        client, feed, sandbox, bound):
    a = await make_account(feed)
    pid = pay(sandbox, a.number, "55.00", "web-4", "pm_usBankAccount_insufficientFunds")
    sandbox.settle(pid)
    for m in sandbox.messages:
        assert (await deliver(client, sandbox, m)).status_code == 200
    (posted,) = await outbox(bound, "payments.PaymentPosted")
    assert posted["payment"]["tender"] == "bank"
    (ret,) = await outbox(bound, "payments.PaymentReturned")
    assert (ret["reason"], ret["return_code"], ret["amount"]) == ("ach_return", "R01", "55.00")


async def test_a_declined_card_posts_nothing(client, feed, sandbox, bound):
    a = await make_account(feed)
    pay(sandbox, a.number, "12.00", "web-5", "pm_card_chargeDeclined")
    (m,) = sandbox.messages
    assert (await deliver(client, sandbox, m)).json()["outcome"] == "recorded"
    assert await table_count(bound, "payments") == 0


async def test_tampered_stale_unsigned_and_wrong_secret_deliveries_are_refused_unwritten(
        client, feed, sandbox, bound):
    a = await make_account(feed)
    pid = pay(sandbox, a.number, "20.00", "web-6")
    sandbox.refund(payment_id=pid, amount=Decimal("5.00"), idempotency_key="r-6", reason="x")
    plan = plan_deliveries(sandbox.messages, secret=sandbox.signing_secret, now=utc_now(),
                           duplicate_rate=0.5, hostile_rate=1.0, seed=3)
    hostile = [d for d in plan if not d.trusted]
    assert {d.flaw for d in hostile} == set(Flaw)
    for d in hostile:
        r = await client.post(URL, content=d.body, headers=d.headers)
        assert r.status_code in (400, 401), (d.flaw, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    for table in ("processor_deliveries", "processor_reversals", "processor_payments",
                  "payments", "outbox"):
        assert await table_count(bound, table) == 0, table


async def test_another_processors_webhook_is_not_taken(client, sandbox):
    r = await client.post("/api/payments/webhooks/stripe", content=b"{}")
    assert r.status_code == 404


async def test_a_settled_bank_debit_posts_even_for_a_cash_only_account(
        client, feed, sandbox, bound):
    a = await make_account(feed, cash_only=True)
    pid = pay(sandbox, a.number, "61.00", "web-7", "pm_usBankAccount")
    sandbox.settle(pid)
    (m,) = sandbox.messages
    assert (await deliver(client, sandbox, m)).json()["outcome"] == "posted"
    assert await table_count(bound, "payments", "tender = 'bank'") == 1


async def test_a_payment_for_an_account_payments_has_not_heard_of_waits_for_the_retry(
        client, feed, sandbox, bound):
    a = await make_account(feed, drain=False)
    pay(sandbox, a.number, "19.00", "web-8")
    (m,) = sandbox.messages
    first = await deliver(client, sandbox, m)
    assert first.status_code == 404
    assert await table_count(bound, "processor_deliveries") == 0
    await feed.drain()
    assert (await deliver(client, sandbox, m)).json()["outcome"] == "posted"


async def test_a_usual_success_and_its_replay_are_answered_ahead_of_the_route(
        client, feed, sandbox, bound, monkeypatch):
    """The lean path (webhooks/fast.py) posts a success and recognises its replay on its own;
    a refund still goes to the route, which posts nothing twice."""
    from services.payments.webhooks import service

    a = await make_account(feed)
    pid = pay(sandbox, a.number, "12.50", "lean-1")
    (m,) = sandbox.messages
    real = service.receive
    calls: list[bytes] = []

    async def counted(s: Any, processor: Any, body: bytes, *args: Any, **kw: Any) -> Any:
        calls.append(body)
        return await real(s, processor, body, *args, **kw)

    monkeypatch.setattr(service, "receive", counted)
    first = await deliver(client, sandbox, m)
    again = await client.post(URL, content=m.body, headers={
        **sandbox.signed(m, utc_now()), "content-type": "application/json",
        "x-request-id": "replay-of-lean-1"})
    assert (first.status_code, first.json()["outcome"]) == (200, "posted")
    assert (again.status_code, again.json()) == (200, {"event_id": first.json()["event_id"],
                                                       "outcome": "duplicate"})
    assert again.headers["x-request-id"] == "replay-of-lean-1"
    assert calls == []
    assert await table_count(bound, "payments") == 1
    assert len(await outbox(bound, "payments.PaymentPosted")) == 1
    sandbox.refund(payment_id=pid, amount=Decimal("2.50"), idempotency_key="lean-r",
                   reason="requested_by_customer")
    refunded = (await deliver(client, sandbox, sandbox.messages[-1])).json()
    assert refunded["outcome"] == "reversed" and len(calls) == 1
