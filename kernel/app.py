"""The one way a Tapline service is assembled, so all four behave alike.

Every service gets: its database (own role and schema), problem+json errors, request ids and
JSON logs, `/api/{name}/health`, `/metrics`, the parked-event admin operations, and a background
inbox processor that applies the events it subscribes to.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, FastAPI, Response
from fastapi.routing import APIRoute
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from pydantic import BaseModel
from sqlalchemy import text

from kernel.bodylimit import BodyLimit
from kernel.db import Database, SessionDep, TxRoute
from kernel.errors import install_error_handlers
from kernel.events_admin import events_admin_router
from kernel.idempotency import purge_expired
from kernel.inbox import Handlers, InboxProcessor, inbox_stats
from kernel.logs import RequestContextMiddleware, configure_logging
from kernel.openapi import install_problem_openapi
from kernel.routing import MethodGuard, lax_inputs, shadowed_routes
from kernel.settings import get_settings, service_role

if TYPE_CHECKING:
    from kernel.reactions import Reactions


def operation_id(route: APIRoute) -> str:
    """Stable `{tag}-{name}` operation ids, so generated clients keep their method names."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


class InboxHealth(BaseModel):
    pending: int
    parked: int
    oldest_pending_seconds: float


class ServiceHealth(BaseModel):
    service: str
    status: str
    database: str
    inbox: InboxHealth | None = None


#: A loop a service process runs in the background until `stop` is set.
Background = Callable[[Database, asyncio.Event], Coroutine[Any, Any, None]]


async def housekeeping(db: Database, stop: asyncio.Event, ttl_hours: int,
                       every_seconds: float = 600.0) -> None:
    """Periodic chores of a service process: expired idempotency keys."""
    while not stop.is_set():
        try:
            async with db.session() as session:
                await purge_expired(session, ttl_hours)
                await session.commit()
        except Exception:  # noqa: BLE001 - a chore must never take the service down
            logging.getLogger("tapline.housekeeping").exception("housekeeping failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every_seconds)


def install_routing_rules(app: FastAPI, body_limit: bool = True) -> None:
    """What every app's routes must honour, set up once all of its routers are in.

    Dates and instants come in as `kernel.clock.Day` / `Instant` (ISO 8601 text only), and JSON
    body scalars as `StrictBool` / `StrictInt` / `StrictFloat`: an app with a lax input is
    refused here, when it is built, so no service can start (or pass its tests) with one.
    A concrete path registered after a templated one that would take its requests is refused
    too. And a method a path does not have is answered 405 with that path's `Allow`
    (`kernel.routing.MethodGuard`), and a body over `max_request_bytes` 413
    (`kernel.bodylimit`), inside the request-id middleware so the refusals carry its request
    id like any other problem.
    """
    offenders = lax_inputs(app.routes)
    if offenders:
        raise TypeError(
            f"{app.title}: dates and instants come in as kernel.clock.Day / Instant (ISO 8601 "
            "text only) and JSON body scalars as StrictBool / StrictInt / StrictFloat; lax "
            "inputs: " + "; ".join(offenders))
    shadowed = shadowed_routes(app.routes)
    if shadowed:
        raise TypeError(f"{app.title}: register a concrete path before its templated neighbour: "
                        + "; ".join(shadowed))
    app.add_middleware(MethodGuard)
    if body_limit:  # False: the app puts its own outside a middleware that reads bodies
        app.add_middleware(BodyLimit, max_bytes=get_settings().max_request_bytes)
    app.add_middleware(RequestContextMiddleware)


def freeze_startup_objects() -> None:
    """Move everything allocated while starting (modules, routes, models, the OpenAPI schema)
    out of the garbage collector's sight. Otherwise every full collection walks those hundreds
    of thousands of long-lived objects: 50-100 ms pauses, seen at 200 searches/s as the slowest
    percent of requests. Objects created per request are collected as before."""
    gc.collect()
    gc.freeze()


def create_service_app(
    name: str,
    routers: Sequence[APIRouter] = (),
    handlers: Handlers | None = None,
    description: str = "",
    run_inbox: bool = True,
    reactions: Reactions | None = None,
    background: Sequence[Background] = (),
    body_limit: bool = True,
) -> FastAPI:
    """`reactions` settle the facts that requests and event handlers record
    (`kernel.reactions`); `background` are loops the process runs beside its inbox (a sender
    of notifications), each given the service's database and the stop signal. `body_limit`
    False: the caller puts `kernel.bodylimit.BodyLimit` outside a middleware of its own that
    reads bodies (payments' webhook fast path)."""
    settings = get_settings()
    db = Database(settings.role_dsn(service_role(name)), name, settings, f"tapline-{name}")
    processor = InboxProcessor(
        db, handlers or Handlers(), settings.inbox_max_attempts, settings.inbox_batch,
        reactions=reactions,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(name, settings.log_level)
        freeze_startup_objects()
        stop = asyncio.Event()
        tasks = [asyncio.create_task(housekeeping(db, stop, settings.idempotency_ttl_hours))]
        if run_inbox:
            tasks.append(asyncio.create_task(processor.run_forever(stop)))
            tasks += [asyncio.create_task(loop(db, stop)) for loop in background]
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(task, timeout=5)
            await db.dispose()

    app = FastAPI(
        title=f"Tapline {name}",
        description=description,
        version="0.1.0",
        openapi_url=f"/api/{name}/openapi.json",
        docs_url=f"/api/{name}/docs",
        redoc_url=None,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.db = db
    app.state.reactions = reactions
    app.state.inbox = processor
    app.state.service = name
    install_error_handlers(app)
    install_problem_openapi(app)

    health = APIRouter(prefix=f"/api/{name}", tags=[name], route_class=TxRoute)

    @health.get("/health", response_model=ServiceHealth)
    async def service_health(session: SessionDep, response: Response) -> ServiceHealth:
        """Liveness of this service, its database and its event inbox (no login needed)."""
        try:
            await session.execute(text("SELECT 1"))
            stats = await inbox_stats(session)
        except Exception:  # noqa: BLE001 - health reports, it does not raise
            response.status_code = 503
            return ServiceHealth(service=name, status="down", database="down")
        status = "degraded" if stats["parked"] else "ok"
        return ServiceHealth(service=name, status=status, database="ok",
                             inbox=InboxHealth(**stats))

    app.include_router(health)
    app.include_router(events_admin_router(name))
    for router in routers:
        app.include_router(router)

    registry = CollectorRegistry()
    pending = Gauge("tapline_inbox_pending", "Events waiting to be applied", registry=registry)
    parked = Gauge("tapline_inbox_parked", "Events parked after retries", registry=registry)
    applied = Gauge("tapline_inbox_applied_total", "Events applied by this process",
                    registry=registry)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        async with db.session() as session:
            stats: dict[str, Any] = await inbox_stats(session)
        pending.set(stats["pending"])
        parked.set(stats["parked"])
        applied.set(processor.applied_total)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    install_routing_rules(app, body_limit)
    return app
