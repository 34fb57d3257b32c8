"""Plain factory functions with keyword defaults, all through the gateway like a CSR would."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import text

_seq = itertools.count(1)

ADDRESS = {"line1": "120 Alder St", "city": "Fresno", "state": "CA", "postal_code": "93701"}


def n() -> int:
    return next(_seq)


def customer_body(**kw: Any) -> dict[str, Any]:
    i = n()
    body = {"kind": "person", "name": f"Maria Delgado {i}",
            "mailing_address": {**ADDRESS, "line1": f"{100 + i} Birch Ave"},
            "phones": [f"(559) 555-{i:04d}"], "emails": [f"maria{i}@example.org"],
            "language": "en", "paperless": False, "text_messages": True}
    body.update(kw)
    return body


async def create_premise(client, h, **kw: Any) -> dict[str, Any]:
    i = n()
    body = {"address": {**ADDRESS, "line1": f"{200 + i} Cedar Ln"},
            "apn": f"{400 + i % 500:03d}-{i % 1000:03d}-{i % 100:02d}",
            "kind": "single_family", "dwelling_units": 1, "cycle": "C1", "route": "R01",
            "latitude": "36.737800", "longitude": "-119.787100"}
    body.update(kw)
    r = await client.post("/api/accounts/premises", json=body, headers=h)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def create_meter(client, h, **kw: Any) -> dict[str, Any]:
    body = {"serial": f"SN{n():07d}", "size": "5/8", "dials": 6, "unit": "HCF"}
    body.update(kw)
    r = await client.post("/api/accounts/meters", json=body, headers=h)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def install_meter(client, h, meter_id: str, premise_id: str, on: str = "2026-01-02",
                        read: str = "100") -> dict[str, Any]:
    r = await client.post(f"/api/accounts/meters/{meter_id}/install",
                          json={"premise_id": premise_id, "on_date": on, "read": read},
                          headers=h)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def metered_premise(client, auth, **kw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    premise = await create_premise(client, auth("csr1"), **kw)
    meter = await create_meter(client, auth("billing_tech"))
    meter = await install_meter(client, auth("billing_tech"), meter["id"], premise["id"])
    return premise, meter


async def start_service(client, h, premise_id: str, start: str = "2026-02-01",
                        **kw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"start_date": start, "premise_id": premise_id}
    if "customer_id" not in kw and "account_id" not in kw:
        body["customer"] = customer_body()
    body.update(kw)
    r = await client.post("/api/accounts/agreements/start", json=body, headers=h)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def events(bound, type_: str) -> list[dict[str, Any]]:
    rows = (await bound["accounts"].execute(
        text("SELECT key, payload FROM outbox WHERE type = :t ORDER BY id"), {"t": type_})).all()
    return [{"key": r.key, **r.payload} for r in rows]


async def audits(bound, action: str) -> list[Any]:
    return list((await bound["accounts"].execute(
        text("SELECT actor, actor_role, action, entity, entity_id, before, after "
             "FROM audit_log WHERE action = :a ORDER BY id"), {"a": action})).all())
