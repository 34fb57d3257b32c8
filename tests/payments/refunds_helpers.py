"""Helpers for the transfer and refund tests: accounts with a mailing address, payments taken at
the counter, events to payments and billing under one event id, and billing's view."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from tests.payments.helpers import Acct, Feeder, new_number

ADDRESS = {"line1": "12 Willow Creek Rd", "line2": "Apt 4", "city": "Riverton",
           "state": "CA", "postal_code": "95601"}


def key(h: dict[str, str], k: str) -> dict[str, str]:
    return {**h, "Idempotency-Key": k}


async def make_payee(f: Feeder, name: str, address: dict[str, str] | None = None) -> Acct:
    """An account whose AccountChanged carries its effective mailing address."""
    acct, cust = str(uuid.uuid4()), str(uuid.uuid4())
    number = new_number()
    addr = address or ADDRESS
    await f.send("accounts.CustomerChanged", f"customer:{cust}", {"customer": {
        "id": cust, "kind": "person", "name": name, "mailing_address": addr}})
    await f.send("accounts.AccountChanged", f"account:{acct}", {"account": {
        "id": acct, "number": number, "customer_id": cust, "status": "active",
        "mailing_address": addr}})
    await f.drain()
    return Acct(acct, number, cust, name)


async def take_cash(client: Any, drawer: dict[str, Any], cashier: dict[str, str], a: Acct,
                    amount: str, k: str) -> dict[str, Any]:
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/payments",
                          json={"account_number": a.number, "amount": amount, "tender": "cash"},
                          headers=key(cashier, k))
    assert r.status_code == 201, r.text
    return dict(r.json())


async def to_inbox(bound: dict[str, Any], target: str, event_id: uuid.UUID, type_: str,
                   key_: str, seq: int, payload: dict[str, Any]) -> None:
    """One event into a service's inbox under a given id (the relay delivers the same id to
    every subscriber)."""
    await bound[target].execute(text(
        "INSERT INTO inbox (event_id, source, type, version, key, key_seq, payload, occurred_at) "
        "VALUES (:e, :s, :t, 1, :k, :q, CAST(:p AS jsonb), :o)"),
        {"e": event_id, "s": type_.split(".")[0], "t": type_, "k": key_, "q": seq,
         "p": json.dumps(payload), "o": datetime.now(UTC)})


async def ledger(client: Any, headers: dict[str, str], account_id: str) -> list[dict[str, Any]]:
    r = await client.get(f"/api/billing/ledger/accounts/{account_id}", headers=headers)
    assert r.status_code == 200, r.text
    return list(r.json()["entries"])


def balance(entries: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(e["amount"]) for e in entries), Decimal("0.00"))


