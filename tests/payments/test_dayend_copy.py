"""Payments' copy of billing's payment entries, which the end-of-day tie-out reads: kept by
entry id from `billing.LedgerEntryPosted`, once however often it is delivered, and rebuilt by
replaying billing's events."""

from __future__ import annotations

import uuid

from tests.payments.helpers import make_account, table_count


def entry(account_id: str, kind: str, amount: str, entry_id: str | None = None) -> dict:
    return {"entry": {"id": entry_id or str(uuid.uuid4()), "account_id": account_id,
                      "kind": kind, "amount": amount, "posted_on": "2026-11-27",
                      "reference": str(uuid.uuid4()), "corrects": None}, "balance": "5.00"}


async def test_payment_entries_are_kept_once_other_kinds_not_and_a_rebuild_replays_them(
        client, feed, sup, bound):
    a = await make_account(feed)
    paid = entry(a.id, "payment", "-25.00")
    await feed.send("billing.LedgerEntryPosted", f"account:{a.id}", paid)
    await feed.send("billing.LedgerEntryPosted", f"account:{a.id}", paid)  # redelivered
    await feed.send("billing.LedgerEntryPosted", f"account:{a.id}",
                    entry(a.id, "payment_reversal", "25.00"))
    await feed.send("billing.LedgerEntryPosted", f"account:{a.id}",
                    entry(a.id, "late_charge", "5.00"))
    await feed.drain()
    assert await table_count(bound, "ledger_payment_entries") == 2
    assert await table_count(bound, "ledger_payment_entries",
                             f"entry_id = '{paid['entry']['id']}' AND amount = -25.00") == 1
    r = await client.post("/api/payments/copy/rebuild", json={"mode": "local"}, headers=sup)
    assert r.status_code == 200, r.text
    assert await table_count(bound, "ledger_payment_entries") == 0
    await feed.drain()
    assert await table_count(bound, "ledger_payment_entries") == 2


async def test_an_entry_without_its_date_is_kept_on_the_day_it_was_heard_and_the_balance_moves(
        client, feed, cashier, bound):
    a = await make_account(feed)
    e = entry(a.id, "payment", "-1.00")
    del e["entry"]["posted_on"]
    e["balance"] = "0.00"
    await feed.send("billing.LedgerEntryPosted", f"account:{a.id}", e)
    await feed.drain()
    assert await table_count(bound, "ledger_payment_entries", "posted_on IS NOT NULL") == 1
    view = (await client.get(f"/api/payments/accounts/{a.number}", headers=cashier)).json()
    assert view["balance"] == "0.00"
