"""Arrangements and worklists in tests: an account owing a past-due bill, payments as billing
announces them, the daily step, and what the outbox and the notices hold."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import text

from tests.collections.helpers import Acct, Feeder, bill_issued, entry_posted, make_account

_keys = itertools.count(1)


def key() -> str:
    return f"arr-test-{next(_keys)}"


async def owing(feed: Feeder, total: str, due: str, **kw: Any) -> Acct:
    """An account with one bill of `total` due on `due` (issued 20 days before)."""
    a = await make_account(feed, **kw)
    await bill(feed, a, total, due)
    return a


async def bill(feed: Feeder, a: Acct, total: str, due: str, bill_date: str | None = None) -> None:
    await feed.send("billing.BillIssued", f"account:{a.id}",
                    bill_issued(a, total, total, due=due, bill_date=bill_date or due))
    await feed.drain()


async def pay(feed: Feeder, a: Acct, amount: str, on: str, kind: str = "payment") -> None:
    await feed.send("billing.LedgerEntryPosted", f"account:{a.id}",
                    entry_posted(a, kind, f"-{amount}" if kind == "payment" else amount, on,
                                 "0.00"))
    await feed.drain()


async def daily(client: Any, admin: dict[str, str], today: str) -> dict[str, int]:
    r = await client.post("/api/collections/arrangements/run-daily", params={"today": today},
                          headers=admin)
    assert r.status_code == 200, r.text
    return dict(r.json()["counts"])


async def events(bound: dict[str, Any], type_: str, account_id: str) -> list[dict[str, Any]]:
    rows = (await bound["collections"].execute(text(
        "SELECT payload FROM outbox WHERE type = :t AND key = :k ORDER BY key_seq"),
        {"t": type_, "k": f"account:{account_id}"})).all()
    return [dict(r.payload) for r in rows]


async def notices(bound: dict[str, Any], account_id: str) -> list[tuple[Any, ...]]:
    rows = (await bound["collections"].execute(text(
        "SELECT kind, addressee, reference, amount, action_on, status FROM notices "
        "WHERE account_id = :a ORDER BY created_on, kind, addressee"),
        {"a": account_id})).all()
    return [tuple(r) for r in rows]
