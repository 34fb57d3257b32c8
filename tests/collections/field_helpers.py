"""Field work in tests: an account served at a real premise in accounts (so accounts can carry
out collections' orders), copied into collections, with a bill past due; the shut-off facts the
ladder and notices give (their tables, written as those features do); events between services
pumped in-process (`pump`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text

from tests.accounts.factories import create_premise, start_service
from tests.collections.helpers import Acct, Feeder, bill_issued


@dataclass
class Served:
    acct: Acct
    account_id: str
    premise_id: str


async def served(client, auth, pump, feed: Feeder, *, kind: str = "single_family",
                 units: int = 1, total: str = "120.00", due: str = "2026-01-01",
                 owner: bool = False) -> Served:
    """An account started at a premise in accounts, copied into collections, billed `total`
    due on `due` (nothing paid)."""
    premise = await create_premise(client, auth("csr1"), kind=kind, dwelling_units=units)
    started = await start_service(client, auth("csr1"), premise["id"], start="2025-11-01")
    account_id = started["account"]["id"]
    if owner:
        r = await client.put(f"/api/accounts/premises/{premise['id']}/owner",
                             json={"owner_account_id": account_id}, headers=auth("csr1"))
        assert r.status_code == 200, r.text
    await pump("accounts", "collections")
    a = Acct(account_id, started["account"]["number"], started["customer"]["id"], premise["id"])
    await feed.send("billing.BillIssued", f"account:{account_id}",
                    bill_issued(a, total, total, due=due, bill_date="2025-12-10"))
    await feed.drain()
    return Served(a, account_id, premise["id"])


async def shutoff_step(bound, account_id: str, *, taken_on: date, disconnect_on: date,
                       amount: str = "120.00") -> str:
    """The ladder's shut-off step, as `ladder_steps` holds it."""
    step = str(uuid.uuid4())
    await bound["collections"].execute(text(
        "INSERT INTO ladder_steps (id, account_id, bill_id, step, taken_on, status, "
        "amount_past_due, disconnect_on) VALUES (:id, :a, :b, 'shutoff_notice', :t, 'taken', "
        ":amt, :d)"), {"id": step, "a": account_id, "b": str(uuid.uuid4()), "t": taken_on,
                       "amt": amount, "d": disconnect_on})
    return step


async def released_notice(bound, account_id: str, *, released_on: date,
                          kind: str = "shutoff_notice", addressee: str = "customer",
                          action_on: date | None = None) -> None:
    """A letter released to the mail, as `notices` holds it."""
    await bound["collections"].execute(text(
        "INSERT INTO notices (id, account_id, kind, addressee, reference, status, created_on, "
        "released_on, amount, action_on, language, preferred_language, requested_by) VALUES "
        "(:id, :a, :k, :ad, :ref, 'released', :on, :on, 120.00, :act, 'en', 'en', 'test')"),
        {"id": str(uuid.uuid4()), "a": account_id, "k": kind, "ad": addressee,
         "ref": str(uuid.uuid4()), "on": released_on, "act": action_on})


async def outbox(bound, service: str, type_: str) -> list[dict[str, Any]]:
    rows = (await bound[service].execute(text(
        "SELECT payload FROM outbox WHERE type = :t ORDER BY id"), {"t": type_})).all()
    return [dict(r.payload) for r in rows]

