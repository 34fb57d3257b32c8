"""A cashier's day at the counter and in the mail, for the deposit and end-of-day tests."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from kernel.clock import utility_today


def key(h: dict[str, str], k: str | None = None) -> dict[str, str]:
    return {**h, "Idempotency-Key": k or uuid.uuid4().hex}


async def open_drawer(client: Any, h: dict[str, str], float_amount: str = "100.00") -> str:
    r = await client.post("/api/payments/drawers", json={"float_amount": float_amount},
                          headers=h)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def take(client: Any, h: dict[str, str], drawer_id: str, number: str, amount: str,
               tender: str = "cash", **details: str) -> dict[str, Any]:
    r = await client.post(f"/api/payments/drawers/{drawer_id}/payments", headers=key(h), json={
        "account_number": number, "amount": amount, "tender": tender, **details})
    assert r.status_code == 201, r.text
    return dict(r.json())


async def close(client: Any, h: dict[str, str], drawer_id: str,
                counts: dict[str, int]) -> dict[str, Any]:
    r = await client.post(f"/api/payments/drawers/{drawer_id}/close", headers=h,
                          json={"counts": counts})
    assert r.status_code == 200, r.text
    return dict(r.json())


async def mail_batch(client: Any, h: dict[str, str], checks: list[tuple[str, str, str]],
                     received_on: date | None = None, post: bool = True) -> dict[str, Any]:
    """A batch of (account number, amount, check number), keyed and (`post`) posted."""
    total = sum((Decimal(a) for _, a, _ in checks), Decimal("0.00"))
    r = await client.post("/api/payments/batches", headers=h, json={
        "received_on": (received_on or utility_today()).isoformat(),
        "control_total": str(total), "control_count": len(checks)})
    assert r.status_code == 201, r.text
    batch = r.json()
    for number, amount, check in checks:
        k = await client.post(f"/api/payments/batches/{batch['id']}/payments", headers=key(h),
                              json={"account_number": number, "amount": amount,
                                    "check_number": check, "bank": "Town Bank"})
        assert k.status_code == 201, k.text
    if post:
        p = await client.post(f"/api/payments/batches/{batch['id']}/post", headers=h)
        assert p.status_code == 200, p.text
        batch = p.json()
    return dict(batch)


async def prepare(client: Any, h: dict[str, str], drawers: Sequence[str] = (),
                  batches: Sequence[str] = (), k: str | None = None) -> Any:
    return await client.post("/api/payments/bank-deposits", headers=key(h, k),
                             json={"drawer_ids": list(drawers), "batch_ids": list(batches)})
