"""The nightly update's process (`uvicorn nightly.app:create_app --factory`): the schedule, run
by the leader of `kernel.leader`'s `nightly` lock (one active instance however many replicas),
and the run log's API behind the gateway at /api/nightly. The night's calls go to the gateway
(`TAPLINE_NIGHTLY_GATEWAY_URL`, default this machine's gateway)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import APIRouter, FastAPI, Response
from sqlalchemy import text

from kernel.app import freeze_startup_objects, housekeeping, install_routing_rules, operation_id
from kernel.db import Database, TxRoute
from kernel.errors import install_error_handlers
from kernel.leader import Leadership, lead
from kernel.logs import configure_logging
from kernel.openapi import install_problem_openapi
from kernel.settings import get_settings, service_role
from nightly import service
from nightly.router import router
from nightly.schemas import NightlyHealth


def gateway_url() -> str:
    settings = get_settings()
    return settings.nightly_gateway_url or f"http://127.0.0.1:{settings.port}"


def create_app() -> FastAPI:
    settings = get_settings()
    db = Database(settings.role_dsn(service_role("nightly")), "nightly", settings,
                  "tapline-nightly")
    leadership = Leadership("nightly")
    gateway = httpx.AsyncClient(base_url=gateway_url(),
                                timeout=httpx.Timeout(settings.nightly_step_timeout, connect=5))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("nightly", settings.log_level)
        freeze_startup_objects()
        stop = asyncio.Event()
        sweeping = asyncio.create_task(housekeeping(db, stop, settings.idempotency_ttl_hours))

        async def scheduling(halt: asyncio.Event) -> None:
            await service.schedule(db, app.state.gateway, settings, halt)

        task = asyncio.create_task(lead(db.dsn, "nightly", stop, scheduling,
                                        leadership=leadership))
        try:
            yield
        finally:
            stop.set()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout=10)
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(sweeping, timeout=5)
            await app.state.gateway.aclose()
            await db.dispose()

    app = FastAPI(title="Tapline nightly", version="0.1.0",
                  description="The nightly update: one business day's work in order, and its "
                  "run log.", openapi_url="/api/nightly/openapi.json",
                  docs_url="/api/nightly/docs", redoc_url=None, lifespan=lifespan,
                  generate_unique_id_function=operation_id)
    app.state.db = db
    app.state.gateway = gateway
    app.state.service = "nightly"
    install_error_handlers(app)
    install_problem_openapi(app)

    health = APIRouter(prefix="/api/nightly", tags=["nightly"], route_class=TxRoute)

    async def check(response: Response) -> NightlyHealth:
        try:
            async with db.session() as session:
                await session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - health reports, it does not raise
            response.status_code = 503
            return NightlyHealth(status="down", database="down", role=leadership.state,
                                 schedule=settings.nightly_at)
        return NightlyHealth(status="ok", database="ok", role=leadership.state,
                             schedule=settings.nightly_at)

    @health.get("/health", response_model=NightlyHealth)
    async def nightly_health(response: Response) -> NightlyHealth:
        """Liveness of the nightly process and its database, and whether it leads the
        schedule or stands by (no login needed)."""
        return await check(response)

    @app.get("/health", include_in_schema=False)
    async def bare_health(response: Response) -> NightlyHealth:
        return await check(response)

    app.include_router(health)
    app.include_router(router)
    install_routing_rules(app)
    return app
