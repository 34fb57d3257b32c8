"""Building blocks of the identity tests: an open account with a premise and a bill, billing's
events delivered to accounts, registration and verification as the portal does them."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import text

from tests.accounts.factories import create_premise, n, start_service

PASSWORD = "river-otter-meadow-42"


@dataclass(frozen=True)
class Held:
    """An account as its holder knows it from the bill."""

    account_id: str
    number: str
    zip: str
    amount: str


async def deliver(bound: dict[str, Any], service_apps: dict[str, Any], type_: str,
                  payload: dict[str, Any], key: str) -> None:
    """One of billing's events, into accounts' inbox, applied."""
    await bound["accounts"].execute(text(
        "INSERT INTO inbox (event_id, source, type, version, key, key_seq, payload, "
        "occurred_at) VALUES (:e, 'billing', :t, 1, :k, "
        "(SELECT coalesce(max(key_seq), 0) + 1 FROM inbox WHERE source = 'billing' "
        "AND key = :k), CAST(:p AS jsonb), :o)"),
        {"e": uuid.uuid4(), "t": type_, "k": key, "p": json.dumps(payload),
         "o": datetime.now(UTC)})
    await service_apps["accounts"].state.inbox.drain()


async def bill(bound, service_apps, account_id: str, total: str, bill_date: str = "2026-03-01",
               replaces: str | None = None) -> str:
    bill_id = str(uuid.uuid4())
    await deliver(bound, service_apps, "billing.BillIssued", {
        "bill": {"id": bill_id, "account_id": account_id, "bill_date": bill_date,
                 "due_date": "2026-03-21", "period_start": "2026-02-01",
                 "period_end": "2026-02-28", "total": total, "replaces": replaces,
                 "segments": []},
        "balance": total}, f"account:{account_id}")
    return bill_id


async def held_account(client, auth, bound, service_apps, total: str = "84.17") -> Held:
    """An active account served at a premise in ZIP 9370x, with one bill of `total`."""
    zip_code = f"937{n() % 100:02d}"
    premise = await create_premise(client, auth("csr1"), address={
        "line1": f"{n()} Walnut Ave", "city": "Fresno", "state": "CA", "postal_code": zip_code})
    started = await start_service(client, auth("csr1"), premise["id"])
    account = started["account"]
    await bill(bound, service_apps, account["id"], total)
    return Held(account["id"], account["number"], zip_code, total)


def email() -> str:
    return f"cust{uuid.uuid4().hex[:10]}@example.org"


async def register(client, held: Held, address: str, *, amount: str | None = None,
                   zip_code: str | None = None, password: str = PASSWORD, **kw: Any) -> Any:
    body: dict[str, Any] = {"email": address, "password": password,
                            "account_number": held.number, **kw}
    if zip_code is not None:
        body["service_zip"] = zip_code
    else:
        body["last_bill_amount"] = amount or held.amount
    return await client.post("/api/portal/register", json=body)


def token_of(link: str) -> str:
    """The token a mailed link carries after `#token=` (never in the path or the query)."""
    parts = urlsplit(link)
    assert not parts.query, link
    assert parts.fragment.startswith("token="), link
    return parts.fragment[len("token="):]


async def confirmed(client, smtp, held: Held, address: str | None = None) -> str:
    """A registered login whose e-mail is confirmed through the mailed link."""
    address = address or email()
    r = await register(client, held, address)
    assert r.status_code == 202, r.text
    mail = await smtp.wait_for(address)
    r = await client.post("/api/portal/verify", json={"token": token_of(mail.links()[0])})
    assert r.status_code == 200, r.text
    return address


async def sign_in(client, address: str, password: str = PASSWORD, **kw: Any) -> Any:
    return await client.post("/api/portal/login",
                             json={"email": address, "password": password, **kw})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
