"""Feeding collections' copy in tests: accounts and billing events straight into its inbox,
in the order a test chooses (per-key sequence numbers kept as the relay would)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from kernel.checkdigit import with_check_digit

_n = [50000000]


@dataclass
class Feeder:
    bound: dict[str, Any]
    apps: dict[str, Any]
    seq: dict[tuple[str, str], int] = field(default_factory=dict)

    async def send(self, type_: str, key: str, payload: dict[str, Any],
                   key_seq: int | None = None) -> uuid.UUID:
        """`key_seq` given: the event takes that place in its key's order (to deliver a later
        event first); else the next one."""
        source = type_.split(".")[0]
        k = (source, key)
        if key_seq is None:
            self.seq[k] = key_seq = self.seq.get(k, 0) + 1
        eid = uuid.uuid4()
        await self.bound["collections"].execute(
            text("INSERT INTO inbox (event_id, source, type, version, key, key_seq, payload, "
                 "occurred_at) VALUES (:e, :s, :t, 1, :k, :q, CAST(:p AS jsonb), :o)"),
            {"e": eid, "s": source, "t": type_, "k": key, "q": key_seq,
             "p": json.dumps(payload, default=str), "o": datetime.now(UTC)})
        return eid

    async def drain(self) -> int:
        return int(await self.apps["collections"].state.inbox.drain())


@dataclass
class Acct:
    id: str
    number: str
    customer_id: str
    premise_id: str


async def make_account(f: Feeder, *, name: str = "Rosa Diaz", language: str = "es",
                       premise_kind: str = "multi_family", units: int = 4,
                       owner_account_id: str | None = None) -> Acct:
    _n[0] += 1
    acct, cust, prem = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    number = with_check_digit(str(_n[0]))
    await f.send("accounts.CustomerChanged", f"customer:{cust}", {"customer": {
        "id": cust, "kind": "person", "name": name, "language": language,
        "mailing_address": {"line1": "PO Box 12", "city": "Town", "state": "CA",
                            "postal_code": "95000"},
        "phones": ["+15305550100"], "emails": ["rosa@example.org"]}})
    await f.send("accounts.AccountChanged", f"account:{acct}", {"account": {
        "id": acct, "number": number, "customer_id": cust, "status": "active",
        "mailing_address": {"line1": "PO Box 12", "city": "Town", "state": "CA",
                            "postal_code": "95000"}, "language": language,
        "paperless": False, "deposit_held": "0.00", "opened_on": "2025-01-02"}})
    await f.send("accounts.PremiseChanged", f"premise:{prem}", {"premise": {
        "id": prem, "address": {"line1": "12 Oak St", "city": "Town", "state": "CA",
                                "postal_code": "95000"},
        "apn": "012-345-678", "kind": premise_kind, "dwelling_units": units,
        "cycle": "C1", "route": "R1", "owner_account_id": owner_account_id}})
    await f.send("accounts.ServiceStarted", f"account:{acct}", {"service_agreement": {
        "id": str(uuid.uuid4()), "account_id": acct, "premise_id": prem, "service": "water",
        "rate_class": "RES", "meter_id": None, "start_date": "2025-01-02", "stop_date": None,
        "status": "active"}})
    await f.drain()
    return Acct(acct, number, cust, prem)


def bill_issued(a: Acct, total: str, balance: str, *, due: str, bill_date: str | None = None,
                bill_id: str | None = None, deferral: str | None = None,
                replaces: str | None = None) -> dict[str, Any]:
    bid = bill_id or str(uuid.uuid4())
    return {"bill": {"id": bid, "account_id": a.id, "bill_date": bill_date or due,
                     "due_date": due, "period_start": "2026-01-01", "period_end": "2026-01-31",
                     "total": total, "replaces": replaces, "segments": []},
            "balance": balance, "budget_deferral": deferral}


def entry_posted(a: Acct, kind: str, amount: str, on: str, balance: str,
                 reference: str | None = None) -> dict[str, Any]:
    return {"entry": {"id": str(uuid.uuid4()), "account_id": a.id, "kind": kind,
                      "amount": amount, "posted_on": on, "reference": reference or kind,
                      "corrects": None}, "balance": balance}


async def copy_rows(bound: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every copy table, in a stable order (to compare two copies)."""
    from services.collections.copy.domain import COPY_TABLES

    out = {}
    for t in COPY_TABLES:
        rows = (await bound["collections"].execute(
            text(f"SELECT * FROM {t} ORDER BY 1"))).all()
        out[t] = [tuple(r) for r in rows]
    return out
