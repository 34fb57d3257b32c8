"""Feeding payments' copy in tests: accounts and billing events straight into its inbox."""

from __future__ import annotations

import json
import re
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from kernel.checkdigit import with_check_digit

_n = [30000000]


@dataclass
class Feeder:
    bound: dict[str, Any]
    apps: dict[str, Any]
    target: str = "payments"
    seq: dict[tuple[str, str], int] = field(default_factory=dict)

    async def send(self, type_: str, key: str, payload: dict[str, Any]) -> uuid.UUID:
        source = type_.split(".")[0]
        k = (source, key)
        self.seq[k] = self.seq.get(k, 0) + 1
        eid = uuid.uuid4()
        await self.bound[self.target].execute(
            text("INSERT INTO inbox (event_id, source, type, version, key, key_seq, payload, "
                 "occurred_at) VALUES (:e, :s, :t, 1, :k, :q, CAST(:p AS jsonb), :o)"),
            {"e": eid, "s": source, "t": type_, "k": key, "q": self.seq[k],
             "p": json.dumps(payload, default=str), "o": datetime.now(UTC)})
        return eid

    async def drain(self) -> int:
        return int(await self.apps[self.target].state.inbox.drain())


@dataclass
class Acct:
    id: str
    number: str
    customer_id: str
    name: str


def new_number() -> str:
    _n[0] += 1
    return with_check_digit(str(_n[0]))


async def make_account(f: Feeder, *, cash_only: bool | None = None, status: str = "active",
                       name: str | None = None, drain: bool = True) -> Acct:
    acct, cust = str(uuid.uuid4()), str(uuid.uuid4())
    number = new_number()
    nm = name or f"Customer {number}"
    await f.send("accounts.CustomerChanged", f"customer:{cust}", {"customer": {
        "id": cust, "kind": "person", "name": nm}})
    account: dict[str, Any] = {"id": acct, "number": number, "customer_id": cust,
                               "status": status}
    if cash_only is not None:
        account["cash_only"] = cash_only
    await f.send("accounts.AccountChanged", f"account:{acct}", {"account": account})
    if drain:
        await f.drain()
    return Acct(acct, number, cust, nm)


async def issue_bill(f: Feeder, a: Acct, total: str, balance: str, *,
                     due: str = "2026-03-01") -> str:
    bill = str(uuid.uuid4())
    await f.send("billing.BillIssued", f"account:{a.id}", {"bill": {
        "id": bill, "account_id": a.id, "bill_date": "2026-02-01", "due_date": due,
        "period_start": "2026-01-01", "period_end": "2026-01-31", "total": total,
        "replaces": None, "segments": []}, "balance": balance})
    await f.drain()
    return bill


async def outbox(bound: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    """The payloads payments published of one type, in order."""
    return [r[0] for r in (await bound["payments"].execute(text(
        "SELECT payload FROM outbox WHERE type = :t ORDER BY id"), {"t": type_})).all()]


async def table_count(bound: dict[str, Any], table: str, where: str = "true") -> int:
    return int((await bound["payments"].execute(
        text(f"SELECT count(*) FROM {table} WHERE {where}"))).scalar_one())


async def posted_events(bound: dict[str, Any]) -> list[Any]:
    return list((await bound["payments"].execute(text(
        "SELECT key, payload FROM outbox WHERE type = 'payments.PaymentPosted' "
        "ORDER BY id"))).all())


def pdf_text(pdf: bytes) -> str:
    """The text drawn in a PDF made by fpdf2 (its content streams inflated).

    A compressed stream is inflated from where it starts, not cut at the next "endstream":
    deflate output may itself end in a carriage return, which a pattern for the line break
    before "endstream" would swallow, and then one notice in a few hundred would read as
    binary (it did, on CI)."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompressobj().decompress(pdf[m.start(1):]).decode("latin-1"))
        except zlib.error:
            out.append(m.group(1).decode("latin-1"))
    return "\n".join(out)
