"""Deposit refunds: accounts releases a deposit, billing applies it to the account, and payments
refunds what is left of it as a credit, sized only once billing's entry has arrived, whichever
event comes first."""

from __future__ import annotations

import uuid
from decimal import Decimal

from tests.payments.helpers import Feeder, outbox
from tests.payments.helpers import table_count as count
from tests.payments.refunds_helpers import balance, key, ledger, make_payee, to_inbox

URL = "/api/payments/refunds"


async def owe(billing: Feeder, account_id: str, amount: str) -> None:
    """A balance owed in billing's ledger (a late charge collections assessed)."""
    await billing.send("collections.LateChargeAssessed", f"account:{account_id}", {
        "account_id": account_id, "amount": amount, "assessed_on": "2026-02-10",
        "notice_id": str(uuid.uuid4())})
    await billing.drain()


async def release(feed: Feeder, bound, account_id: str, amount: str, method: str = "refund",
                  *, to: tuple[str, ...], event_id: uuid.UUID | None = None) -> uuid.UUID:
    """Accounts' `DepositDueForRefund`, one event id, delivered to the services named (the
    relay delivers the same event, same id, to each subscriber)."""
    eid = event_id or uuid.uuid4()
    payload = {"account_id": account_id, "amount": amount, "held_since": "2025-01-15",
               "method": method, "reason": "Account closed"}
    k = f"account:{account_id}"
    if "payments" in to:
        feed.seq[("accounts", k)] = feed.seq.get(("accounts", k), 0) + 1
        await to_inbox(bound, "payments", eid, "accounts.DepositDueForRefund", k,
                       feed.seq[("accounts", k)], payload)
    if "billing" in to:
        await to_inbox(bound, "billing", eid, "accounts.DepositDueForRefund", k, 1, payload)
    return eid


async def releases(client, headers, number: str) -> list[tuple[str, str | None]]:
    r = await client.get(f"{URL}/deposit-releases", params={"account": number}, headers=headers)
    assert r.status_code == 200, r.text
    return [(x["status"], x["amount"]) for x in r.json()]


async def test_a_deposit_refund_waits_for_billings_deposit_applied_and_refunds_what_is_left(
        client, feed, bound, service_apps, pump, sup, cashier):
    billing = Feeder(bound, service_apps, target="billing")
    a = await make_payee(feed, "Omar Haddad")
    await owe(billing, a.id, "30.00")
    await pump("billing", "payments")
    # the unlucky order: accounts' release reaches payments before billing has applied it
    eid = await release(feed, bound, a.id, "100.00", to=("payments",))
    await feed.drain()
    assert await releases(client, cashier, a.number) == [("awaiting_ledger", "100.00")]
    assert await count(bound, "refunds") == 0
    # billing gets the same event, applies the deposit; its entry comes back to payments
    await release(feed, bound, a.id, "100.00", to=("billing",), event_id=eid)
    await billing.drain()
    await pump("billing", "payments")
    (ref,) = (await client.get(URL, params={"account": a.number}, headers=sup)).json()
    assert (ref["source"], ref["amount"], ref["status"], ref["requested_by"]) == (
        "deposit", "70.00", "pending", "accounts")
    assert await releases(client, cashier, a.number) == [("refund_requested", "100.00")]
    await pump("billing", "payments")  # a redelivery sizes nothing again
    assert await count(bound, "refunds") == 1
    assert (await client.post(f"{URL}/{ref['id']}/approve", headers=sup)).status_code == 200
    ex = await client.post(f"{URL}/check-requests", headers=key(sup, "dep-1"))
    assert ex.status_code == 201, ex.text
    (ev,) = await outbox(bound, "payments.RefundIssued")
    assert (ev["source"], ev["amount"]) == ("deposit", "70.00")
    await pump("payments", "billing")
    entries = await ledger(client, sup, a.id)
    assert sorted((e["kind"], e["amount"]) for e in entries) == [
        ("deposit_applied", "-100.00"), ("late_charge", "30.00"), ("refund", "70.00")]
    assert balance(entries) == Decimal("0.00")


async def test_billings_entry_first_then_the_release_refunds_the_whole_deposit(
        client, feed, bound, service_apps, pump, sup):
    billing = Feeder(bound, service_apps, target="billing")
    a = await make_payee(feed, "June Ito")
    eid = await release(feed, bound, a.id, "85.00", to=("billing",))
    await billing.drain()
    await pump("billing", "payments")
    assert await releases(client, sup, a.number) == [("awaiting_deposit", None)]
    await release(feed, bound, a.id, "85.00", to=("payments",), event_id=eid)
    await feed.drain()
    (ref,) = (await client.get(URL, params={"account": a.number}, headers=sup)).json()
    assert (ref["source"], ref["amount"], ref["reason"]) == ("deposit", "85.00",
                                                            "Deposit refund: Account closed")


async def test_a_deposit_that_all_went_to_the_balance_owed_refunds_nothing(
        client, feed, bound, service_apps, pump, sup):
    billing = Feeder(bound, service_apps, target="billing")
    a = await make_payee(feed, "Kai Brandt")
    await owe(billing, a.id, "150.00")
    await release(feed, bound, a.id, "100.00", to=("billing", "payments"))
    await feed.drain()
    await billing.drain()
    await pump("billing", "payments")
    assert await releases(client, sup, a.number) == [("nothing_to_refund", "100.00")]
    assert await count(bound, "refunds") == 0


async def test_a_deposit_credited_to_the_account_is_not_refunded(
        client, feed, bound, service_apps, pump, sup):
    billing = Feeder(bound, service_apps, target="billing")
    a = await make_payee(feed, "Ines Vidal")
    await release(feed, bound, a.id, "50.00", "credit", to=("billing", "payments"))
    await billing.drain()
    await pump("billing", "payments")
    await feed.drain()
    assert await releases(client, sup, a.number) == [("credited", "50.00")]
    assert await count(bound, "refunds") == 0
