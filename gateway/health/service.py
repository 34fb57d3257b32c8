"""Asks every service and the relay for their health, concurrently, and adds the database's."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.health import domain, repository
from gateway.health.schemas import ComponentHealth, SystemHealth
from gateway.proxy import Upstreams
from kernel.settings import SERVICES


async def _service(upstreams: Upstreams, name: str) -> ComponentHealth:
    try:
        r = await upstreams.client(name).get(f"/api/{name}/health", timeout=3.0)
        body = r.json()
        return ComponentHealth(name=name, status=str(body.get("status", "down")), detail=body)
    except Exception:  # noqa: BLE001 - a health check reports, it does not raise
        return ComponentHealth(name=name, status="down")


async def _relay(relay: httpx.AsyncClient) -> ComponentHealth:
    try:
        r = await relay.get("/health")
        body = r.json()
        status = str(body.get("status", "down")) if r.status_code == 200 else "down"
        return ComponentHealth(name="relay", status=status, detail=body)
    except Exception:  # noqa: BLE001
        return ComponentHealth(name="relay", status="down")


async def system_health(session: AsyncSession, upstreams: Upstreams,
                        relay: httpx.AsyncClient) -> SystemHealth:
    try:
        await repository.ping(session)
        database = "ok"
    except Exception:  # noqa: BLE001
        database = "down"
    parts = await asyncio.gather(*(_service(upstreams, s) for s in SERVICES), _relay(relay))
    return domain.combine(database, list(parts))
