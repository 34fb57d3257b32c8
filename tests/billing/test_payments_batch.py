"""Billing credits a wave of `payments.PaymentPosted` set-based: each payment once, each new
entry announced with the account's running balance, a malformed payment failing alone."""

from __future__ import annotations

import uuid

from sqlalchemy import text


async def _pay(feed, account: str, payment_id: str, amount: str) -> None:
    await feed.send("payments.PaymentPosted", f"account:{account}", {"payment": {
        "id": payment_id, "account_id": account, "amount": amount,
        "received_on": "2026-02-10", "channel": "lockbox"}})


async def _announced(feed, account: str) -> list[tuple[str, str, str]]:
    rows = (await feed.bound["billing"].execute(text(
        "SELECT payload FROM outbox WHERE type = 'billing.LedgerEntryPosted' AND key = :k "
        "ORDER BY key_seq"), {"k": f"account:{account}"})).all()
    return [(r.payload["entry"]["reference"], r.payload["entry"]["amount"],
             r.payload["balance"]) for r in rows]


async def test_payments_of_one_account_in_one_batch_are_each_announced_with_the_running_balance(
        feed):
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    await _pay(feed, a, "p0", "1.00")
    assert await feed.drain() == 1
    for account, pid, amount in [(a, "p1", "10.00"), (b, "p2", "5.00"), (a, "p3", "20.00"),
                                 (a, "p4", "0.50")]:
        await _pay(feed, account, pid, amount)
    assert await feed.drain() == 4
    assert await _announced(feed, a) == [("p0", "-1.00", "-1.00"), ("p1", "-10.00", "-11.00"),
                                         ("p3", "-20.00", "-31.00"), ("p4", "-0.50", "-31.50")]
    assert await _announced(feed, b) == [("p2", "-5.00", "-5.00")]
    entry = (await feed.bound["billing"].execute(text(
        "SELECT kind, amount, posted_on::text AS on, created_by FROM ledger_entries "
        "WHERE reference = 'p3'"))).one()
    assert tuple(entry) == ("payment", -20, "2026-02-10", "payments")


async def test_a_payment_announced_again_under_a_new_event_credits_nothing_more(feed):
    a = str(uuid.uuid4())
    for pid in ("q1", "q2"):
        await _pay(feed, a, pid, "7.00")
    assert await feed.drain() == 2
    for pid in ("q1", "q2", "q3"):  # a re-published batch, plus one new payment
        await _pay(feed, a, pid, "7.00")
    assert await feed.drain() == 3
    assert await _announced(feed, a) == [("q1", "-7.00", "-7.00"), ("q2", "-7.00", "-14.00"),
                                         ("q3", "-7.00", "-21.00")]


async def test_a_malformed_payment_fails_alone_and_the_rest_of_the_wave_posts(feed):
    a, b, c = (str(uuid.uuid4()) for _ in range(3))
    await _pay(feed, a, "r1", "3.00")
    await _pay(feed, b, "r2", "three dollars")
    await _pay(feed, c, "r3", "4.00")
    await _pay(feed, b, "r4", "5.00")
    assert await feed.drain() == 2
    assert await _announced(feed, a) == [("r1", "-3.00", "-3.00")]
    assert await _announced(feed, c) == [("r3", "-4.00", "-4.00")]
    assert await _announced(feed, b) == []  # r4 waits behind r2, in order
    bad = (await feed.bound["billing"].execute(text(
        "SELECT status, attempts, last_error FROM inbox "
        "WHERE payload->'payment'->>'id' = 'r2'"))).one()
    assert (bad.status, bad.attempts) == ("pending", 1)
    assert "numeric" in bad.last_error
