"""Helpers of the ladder, late-charge and daily-job tests: a past-due bill in the copy, the daily
job through the API, and what it left in collections' tables and outbox."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from tests.collections.helpers import Acct, Feeder, bill_issued, entry_posted, make_account


async def billed(feed: Feeder, total: str = "100.00", due: str = "2026-03-02",
                 **kw: Any) -> tuple[Acct, str]:
    """An account with one bill due on `due` (issued 20 days before); returns it and the bill."""
    a = await make_account(feed, **kw)
    b = bill_issued(a, total, total, due=due,
                    bill_date=str(date.fromisoformat(due) - timedelta(days=20)))
    await feed.send("billing.BillIssued", f"account:{a.id}", b)
    await feed.drain()
    return a, str(b["bill"]["id"])


async def pay(feed: Feeder, a: Acct, amount: str, on: str, kind: str = "payment",
              reference: str | None = None) -> None:
    await feed.send("billing.LedgerEntryPosted", f"account:{a.id}",
                    entry_posted(a, kind, amount, on, "0.00", reference))
    await feed.drain()


async def run_day(client: Any, admin: dict[str, str], day: date | str) -> dict[str, Any]:
    r = await client.post("/api/collections/daily", params={"today": str(day)}, headers=admin)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def steps(bound: dict[str, Any], account_id: str) -> list[tuple[Any, ...]]:
    """(step, taken_on, status, disconnect_on) of the account's steps in the order taken."""
    rows = (await bound["collections"].execute(text(
        "SELECT step, taken_on, status, disconnect_on FROM ladder_steps WHERE account_id = :a "
        "ORDER BY taken_on, array_position(ARRAY['reminder', 'first_notice', 'second_notice', "
        "'shutoff_notice'], step)"), {"a": account_id})).all()
    return [tuple(r) for r in rows]


async def events(bound: dict[str, Any], type_: str, account_id: str | None = None
                 ) -> list[dict[str, Any]]:
    rows = (await bound["collections"].execute(text(
        "SELECT payload FROM outbox WHERE type = :t AND (CAST(:a AS text) IS NULL "
        "OR key = 'account:' || CAST(:a AS text)) ORDER BY id"),
        {"t": type_, "a": account_id})).scalars()
    return [dict(p) for p in rows]


def days_after(due: str, n: int) -> date:
    return date.fromisoformat(due) + timedelta(days=n)
