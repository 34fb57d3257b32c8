"""Notification test helpers: a customer with an account, another service's event delivered to
accounts' inbox (under a chosen event id, to replay it), and one round of the sender through the
in-process SMTP server and the SMS sandbox."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from kernel.settings import get_settings
from kernel.sms.phone import e164
from kernel.sms.sandbox import SandboxSms
from services.accounts.notifications import service
from tests.accounts.factories import create_premise, customer_body, n, start_service


async def customer_account(client: Any, auth: Any, **customer: Any) -> dict[str, Any]:
    """An active account whose customer has an e-mail, a mobile phone and `customer` facts."""
    i = n()
    body = customer_body(emails=[f"cust{i}-{uuid.uuid4().hex[:6]}@example.org"], **customer)
    premise = await create_premise(client, auth("csr1"))
    started = await start_service(client, auth("csr1"), premise["id"], customer=body)
    return {**started["account"], "email": body["emails"][0],
            "phone": e164(body["phones"][0]) if body["phones"] else None}


async def deliver(bound: dict[str, Any], service_apps: dict[str, Any], source: str, type_: str,
                  payload: dict[str, Any], key: str, event_id: uuid.UUID | None = None
                  ) -> uuid.UUID:
    """One event of `source` into accounts' inbox, applied; returns its id (to deliver again)."""
    eid = event_id or uuid.uuid4()
    await bound["accounts"].execute(text(
        "INSERT INTO inbox (event_id, source, type, version, key, key_seq, payload, "
        "occurred_at) VALUES (:e, :s, :t, 1, :k, "
        "(SELECT coalesce(max(key_seq), 0) + 1 FROM inbox WHERE source = :s AND key = :k), "
        "CAST(:p AS jsonb), :o) ON CONFLICT DO NOTHING"),
        {"e": eid, "s": source, "t": type_, "k": key, "p": json.dumps(payload),
         "o": datetime.now(UTC)})
    await service_apps["accounts"].state.inbox.drain()
    return eid


async def send(service_apps: dict[str, Any], sms: SandboxSms | None = None,
               now: datetime | None = None) -> int:
    """The sender's rounds until nothing is due (at `now`)."""
    total = 0
    while claimed := await service.send_round(
            service_apps["accounts"].state.db.session,
            service.Channels(get_settings(), sms), now):
        total += claimed
    return total


async def messages(bound: dict[str, Any], account_id: str, kind: str | None = None
                   ) -> list[Any]:
    return list((await bound["accounts"].execute(text(
        "SELECT kind, channel, status, recipient, attempts, not_before, subject, last_error "
        "FROM notification_messages WHERE account_id = :a "
        "AND (CAST(:k AS text) IS NULL OR kind = :k) ORDER BY queued_at, channel"),
        {"a": account_id, "k": kind})).all())


def e_bill(account: dict[str, Any], total: str, due: str = "2026-12-21",
           bill_id: str | None = None) -> dict[str, Any]:
    return {"bill_id": bill_id or str(uuid.uuid4()), "account_id": account["id"],
            "account_number": account["number"], "total": total, "due_date": due,
            "emails": [account["email"]], "language": "en"}
