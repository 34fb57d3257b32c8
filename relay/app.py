"""The relay process: a loop woken by outbox NOTIFY (and polling), plus health and metrics.

Several replicas may run (a standby for a fast take-over): one copies, the leader of
`kernel.leader`'s `relay` lock; the others wait for it to go. `/health` says which it is."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict

import asyncpg
from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest

from kernel.errors import install_error_handlers
from kernel.leader import Leadership, lead
from kernel.logs import RequestContextMiddleware, configure_logging
from kernel.settings import get_settings, service_role
from relay.core import Relay

log = logging.getLogger("tapline.relay")


async def run_loop(relay: Relay, dsn: str, stop: asyncio.Event, poll: float) -> None:
    """Copy on every outbox NOTIFY (just the notifying sources), and fully on every poll."""
    wake = asyncio.Event()
    notified: set[str] = set()
    listener: asyncpg.Connection | None = None

    def on_notify(_conn: object, _pid: int, _channel: str, payload: str) -> None:
        notified.add(payload)
        wake.set()

    while not stop.is_set():
        try:
            if listener is None or listener.is_closed():
                listener = await asyncpg.connect(dsn)
                await listener.add_listener("tapline_outbox", on_notify)
            sources = set(notified) if wake.is_set() else None
            notified.clear()
            wake.clear()
            await relay.pass_once(sources)
        except Exception:  # noqa: BLE001 - the loop must survive a database restart
            log.exception("relay pass failed; retrying")
            if listener is not None:
                with contextlib.suppress(Exception):
                    await listener.close()
            listener = None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout=poll)
    if listener is not None:
        with contextlib.suppress(Exception):
            await listener.close()


def create_app() -> FastAPI:
    settings = get_settings()
    dsn = settings.role_dsn(service_role("relay"))
    state: dict[str, Relay] = {}
    leadership = Leadership("relay")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("relay", settings.log_level)
        pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4)
        relay = Relay(pool, batch=settings.relay_batch)
        await relay.ensure_cursors()
        state["relay"] = relay
        stop = asyncio.Event()

        async def copying(halt: asyncio.Event) -> None:
            await run_loop(relay, dsn, halt, settings.relay_poll_seconds)

        # A standby tries, and the leader checks its lock, at a pace tied to the relay's poll:
        # a take-over (and a return after a database restart) costs a few polls, not minutes.
        pace = min(2.0, max(0.2, settings.relay_poll_seconds * 5))
        task = asyncio.create_task(lead(dsn, "relay", stop, copying, leadership=leadership,
                                        retry_seconds=pace, check_seconds=pace))
        try:
            yield
        finally:
            stop.set()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout=5)
            await pool.close()

    app = FastAPI(title="Tapline relay", lifespan=lifespan, openapi_url=None, docs_url=None)
    app.add_middleware(RequestContextMiddleware)
    install_error_handlers(app)
    registry = CollectorRegistry()
    lag_events = Gauge("tapline_relay_lag_events", "Events not yet copied",
                       ["source", "subscriber"], registry=registry)
    lag_seconds = Gauge("tapline_relay_lag_seconds", "Age of the oldest uncopied event",
                        ["source", "subscriber"], registry=registry)
    held_back = Gauge("tapline_relay_held_back_events",
                      "Committed events waiting behind an older open transaction",
                      ["source", "subscriber"], registry=registry)
    copied = Gauge("tapline_relay_copied_total", "Events copied by this process",
                   ["source", "subscriber"], registry=registry)
    alarm = Gauge("tapline_relay_lag_alarm",
                  "1 while an event has waited longer than the alarm threshold",
                  registry=registry)
    threshold = Gauge("tapline_relay_lag_alarm_threshold_seconds",
                      "TAPLINE_RELAY_LAG_ALARM_SECONDS", registry=registry)
    oldest_tx = Gauge("tapline_relay_oldest_transaction_seconds",
                      "Age of the oldest open transaction holding the relay's horizon back",
                      registry=registry)
    threshold.set(settings.relay_lag_alarm_seconds)

    @app.get("/health")
    async def health(response: Response) -> dict[str, object]:
        relay = state["relay"]
        try:
            report = await relay.report(settings.relay_lag_alarm_seconds)
        except Exception:  # noqa: BLE001 - health reports, it does not raise
            log.warning("relay health: database unavailable", exc_info=True)
            response.status_code = 503
            return {"status": "down", "database": "down", "last_pass": relay.last_pass}
        tx = report.oldest_transaction
        return {
            "status": "degraded" if report.alarm else "ok",
            "database": "ok",
            "lag_events": report.events,
            "lag_seconds": report.seconds,
            "held_back_events": report.held_back,
            "alarm": report.alarm,
            "alarm_reason": report.reason,
            "alarm_threshold_seconds": report.threshold,
            "oldest_transaction": asdict(tx) if tx else None,
            "pairs": [asdict(x) for x in report.pairs],
            "last_pass": relay.last_pass,
            "role": leadership.state,
        }

    @app.get("/metrics")
    async def metrics() -> Response:
        relay = state["relay"]
        try:
            report = await relay.report(settings.relay_lag_alarm_seconds)
        except Exception:  # noqa: BLE001 - a failed scrape says so; the target shows as down
            log.warning("relay metrics: database unavailable", exc_info=True)
            return Response("database unavailable\n", status_code=503, media_type="text/plain")
        for row in report.pairs:
            lag_events.labels(row.source, row.subscriber).set(row.events)
            lag_seconds.labels(row.source, row.subscriber).set(row.seconds)
            held_back.labels(row.source, row.subscriber).set(row.held_back)
        for (src, dst), n in relay.copied.items():
            copied.labels(src, dst).set(n)
        alarm.set(1 if report.alarm else 0)
        oldest_tx.set(report.oldest_transaction.seconds if report.oldest_transaction else 0)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return app
