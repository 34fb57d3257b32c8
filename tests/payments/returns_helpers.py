"""Returned checks in tests: checks taken at the counter or in a posted mail batch, returned
through the API, and what payments announced and billing's ledger then shows."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text

from kernel.clock import utility_today


async def counter_check(client: Any, h: dict[str, str], drawer: dict[str, Any], number: str,
                        amount: str, *, tender: str = "check") -> dict[str, Any]:
    details = ({"check_number": "1001", "bank": "Town Bank"} if tender == "check"
               else {"money_order_number": "MO-77"} if tender == "money_order" else {})
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/payments",
                          headers={**h, "Idempotency-Key": uuid.uuid4().hex},
                          json={"account_number": number, "amount": amount, "tender": tender,
                                **details})
    assert r.status_code == 201, r.text
    return dict(r.json())


async def mail_check(client: Any, h: dict[str, str], number: str, amount: str,
                     received_on: str) -> dict[str, Any]:
    """A one-check mail batch received on `received_on`, posted."""
    b = await client.post("/api/payments/batches", headers=h, json={
        "received_on": received_on, "control_total": amount, "control_count": 1})
    assert b.status_code == 201, b.text
    p = await client.post(f"/api/payments/batches/{b.json()['id']}/payments",
                          headers={**h, "Idempotency-Key": uuid.uuid4().hex},
                          json={"account_number": number, "amount": amount,
                                "check_number": "2002", "bank": "Valley Bank"})
    assert p.status_code == 201, p.text
    posted = await client.post(f"/api/payments/batches/{b.json()['id']}/post", headers=h)
    assert posted.status_code == 200, posted.text
    return dict(p.json())


async def return_check(client: Any, h: dict[str, str], payment_id: str | None, *,
                       code: str | None = "NSF", on: str | None = None,
                       key: str | None = None, **extra: Any) -> Any:
    body: dict[str, Any] = {"returned_on": on or utility_today().isoformat(), **extra}
    if payment_id is not None:
        body["payment_id"] = payment_id
    if code is not None:
        body["return_code"] = code
    return await client.post("/api/payments/returns",
                             headers={**h, "Idempotency-Key": key or uuid.uuid4().hex},
                             json=body)


async def ledger(client: Any, h: dict[str, str], account_id: str) -> list[tuple[str, str]]:
    r = await client.get(f"/api/billing/ledger/accounts/{account_id}", headers=h)
    assert r.status_code == 200, r.text
    return [(e["kind"], e["amount"]) for e in r.json()["entries"]]


async def audit_rows(bound: dict[str, Any], action: str) -> list[Any]:
    return list((await bound["payments"].execute(text(
        "SELECT actor, actor_role, approver, entity_id, before, after, reason FROM audit_log "
        "WHERE action = :a ORDER BY id"), {"a": action})).all())
