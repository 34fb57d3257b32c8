"""Closed accounts and owners' accounts in collections' copy, for the closed-account and lien
tests: accounts events and billing's bills and entries fed straight into collections' inbox."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from kernel.checkdigit import with_check_digit
from tests.collections.helpers import Acct, Feeder, bill_issued, entry_posted, make_account

_n = [70000000]

MAILING = {"line1": "PO Box 12", "city": "Town", "state": "CA", "postal_code": "95000"}


async def account_changed(f: Feeder, a: Acct, *, status: str, closed_on: str | None = None,
                          account_id: str | None = None, number: str | None = None) -> None:
    await f.send("accounts.AccountChanged", f"account:{account_id or a.id}", {"account": {
        "id": account_id or a.id, "number": number or a.number, "customer_id": a.customer_id,
        "status": status, "mailing_address": MAILING, "language": "es", "paperless": False,
        "deposit_held": "0.00", "opened_on": "2025-01-02", "closed_on": closed_on}})


async def closed_account(f: Feeder, *, owes: str = "120.00", closed_on: str = "2026-03-01",
                         bill_date: str = "2026-03-05", due: str = "2026-03-26",
                         name: str = "Rosa Diaz") -> Acct:
    """An account closed on `closed_on` whose closing bill (`owes`, due `due`) is unpaid."""
    a = await make_account(f, name=name, premise_kind="single_family", units=1)
    await account_changed(f, a, status="closed", closed_on=closed_on)
    await f.send("billing.BillIssued", f"account:{a.id}",
                 bill_issued(a, owes, owes, due=due, bill_date=bill_date))
    await f.drain()
    return a


async def active_account_of(f: Feeder, a: Acct) -> Acct:
    """Another, active account of the same customer (the one a transfer goes to)."""
    _n[0] += 1
    b = Acct(str(uuid.uuid4()), with_check_digit(str(_n[0])), a.customer_id, a.premise_id)
    await account_changed(f, b, status="active")
    await f.drain()
    return b


async def pay(f: Feeder, a: Acct, amount: str, on: str, balance: str = "0.00") -> None:
    await f.send("billing.LedgerEntryPosted", f"account:{a.id}",
                 entry_posted(a, "payment", f"-{amount}", on, balance))
    await f.drain()


async def owner_account(f: Feeder, *, apn: str, owner: bool = True, name: str = "Ana Owner",
                        bills: tuple[tuple[str, str], ...] = ()) -> Acct:
    """An account served at a parcel (`apn`) that it owns (`owner`) or rents, with bills
    (amount, due date; billed 20 days before it is due)."""
    _n[0] += 1
    acct, cust, prem = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    number = with_check_digit(str(_n[0]))
    await f.send("accounts.CustomerChanged", f"customer:{cust}", {"customer": {
        "id": cust, "kind": "person", "name": name, "language": "en",
        "mailing_address": MAILING, "phones": ["+15305550111"], "emails": []}})
    a = Acct(acct, number, cust, prem)
    await account_changed(f, a, status="active")
    await f.send("accounts.PremiseChanged", f"premise:{prem}", {"premise": {
        "id": prem, "address": {"line1": f"{_n[0] % 1000} Elm St", "city": "Town",
                                "state": "CA", "postal_code": "95000"},
        "apn": apn, "kind": "single_family", "dwelling_units": 1, "cycle": "C1", "route": "R1",
        "owner_account_id": acct if owner else str(uuid.uuid4())}})
    await f.send("accounts.ServiceStarted", f"account:{acct}", {"service_agreement": {
        "id": str(uuid.uuid4()), "account_id": acct, "premise_id": prem, "service": "water",
        "rate_class": "RES", "meter_id": None, "start_date": "2025-01-02", "stop_date": None,
        "status": "active"}})
    balance = Decimal("0.00")
    for amount, due in bills:
        billed = (date.fromisoformat(due) - timedelta(days=20)).isoformat()
        balance += Decimal(amount)
        await f.send("billing.BillIssued", f"account:{acct}",
                     bill_issued(a, amount, str(balance), due=due, bill_date=billed))
    await f.drain()
    return a


async def events(bound: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    rows = (await bound["collections"].execute(text(
        "SELECT payload FROM outbox WHERE type = :t ORDER BY id"), {"t": type_})).all()
    return [r.payload for r in rows]


async def notices_of(bound: dict[str, Any], account_id: str) -> list[tuple[Any, ...]]:
    """(kind, amount, action_on) of the account's notices to the customer, oldest first."""
    rows = (await bound["collections"].execute(text(
        "SELECT kind, amount, action_on FROM notices WHERE account_id = :a "
        "AND addressee = 'customer' ORDER BY created_on, kind"), {"a": account_id})).all()
    return [(r.kind, str(r.amount) if r.amount is not None else None,
             r.action_on.isoformat() if r.action_on else None) for r in rows]
