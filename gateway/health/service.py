"""Health of the whole system: each service and the relay report their own status (and the
relay its lag); the gateway adds its database and sums it up."""

from __future__ import annotations

import asyncio

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.health import repository
from gateway.health.schemas import ComponentHealth, SystemHealth
from gateway.proxy import Upstreams
from kernel.settings import SERVICES


async def _probe(name: str, client: httpx.AsyncClient, path: str) -> ComponentHealth:
    try:
        r = await client.get(path, timeout=3.0)
        body = r.json()
        return ComponentHealth(name=name, status=str(body.get("status", "down")), detail=body)
    except Exception:  # noqa: BLE001 - a health check reports, it does not raise
        return ComponentHealth(name=name, status="down")


async def _database(session: AsyncSession) -> str:
    try:
        await repository.ping(session)
        return "ok"
    except Exception:  # noqa: BLE001
        return "down"


async def system_health(session: AsyncSession, upstreams: Upstreams,
                        relay: httpx.AsyncClient) -> SystemHealth:
    """ok when every part is; down when any is down; else degraded."""
    database = await _database(session)
    parts = await asyncio.gather(
        *(_probe(s, upstreams.client(s), f"/api/{s}/health") for s in SERVICES),
        _probe("relay", relay, "/health"))
    statuses = {p.status for p in parts} | {database}
    overall = "ok" if statuses == {"ok"} else ("down" if "down" in statuses else "degraded")
    detail = parts[-1].detail or {}
    return SystemHealth(
        status=overall, database=database, components=list(parts),
        relay_lag_events=detail.get("lag_events"), relay_lag_seconds=detail.get("lag_seconds"),
    )
