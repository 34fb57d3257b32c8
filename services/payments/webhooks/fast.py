"""The lean path of `POST /api/payments/webhooks/{processor}`: the usual delivery answered below
FastAPI, on the pool's asyncpg connection, with the same verification and the same statements.

A processor sends hundreds of deliveries a second, and almost all are either a success to post
or a retry to recognise. Through FastAPI's routing, its dependencies and a SQLAlchemy session
each one cost about 1.4 ms of CPU besides the two statements that do the work (docs/payments.md,
"Speed"). This ASGI wrapper sits ahead of the app and does only what those deliveries need:

1. the processor's `parse_webhook` checks the signature and the timestamp before the body is
   read (as the route does);
2. one transaction on the driver's connection: `repository.lock_and_record` (a replay is
   answered here) then `repository.post_success` - the very statements `service.apply` runs;
3. `{"event_id", "outcome"}` as `WebhookAck` spells it, with the request id echoed.

Anything else - a signature or timestamp refused, an event that is not a success, an unknown
account, a key already taken, reversals waiting for the payment, an `Idempotency-Key` header, a
database error - rolls back what this path did (nothing is kept) and hands the request, body
included, to the FastAPI route, whose answer (problem+json included) is then the only one. The
route stays in the OpenAPI document; this path answers exactly as it would.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kernel.clock import utc_now
from kernel.logs import adopt_request_id, request_id_var
from kernel.settings import get_settings
from services.payments.copy import service as copy
from services.payments.posting import domain as posting_domain
from services.payments.processors.base import PaymentSucceeded, Processor
from services.payments.webhooks import domain
from services.payments.webhooks import repository as repo

PREFIX = "/api/payments/webhooks/"
_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_log = logging.getLogger("tapline.access")
_warn = logging.getLogger(__name__)


def positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """A SQLAlchemy `text()` statement (`:name` parameters) as asyncpg takes it (`$n`), and
    the names in `$n` order: the repository's statements are used as they are written."""
    names: list[str] = []

    def number(m: re.Match[str]) -> str:
        if m[1] not in names:
            names.append(m[1])
        return f"${names.index(m[1]) + 1}"

    return _PARAM.sub(number, sql), tuple(names)


_LOCK_AND_RECORD, _LOCK_AND_RECORD_ARGS = positional(repo._LOCK_AND_RECORD.text)
_POST_SUCCESS, _POST_SUCCESS_ARGS = positional(repo._POST_SUCCESS.text)


class FastWebhooks:
    """ASGI middleware for the payments app (`app.add_middleware(FastWebhooks)`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.zone = ZoneInfo(get_settings().timezone)
        #: tests share one bound connection among requests: one delivery at a time on it
        self._bound_lock = asyncio.Lock()
        self.pool: Connections | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, self._closing(receive), send)
            return
        if (scope["type"] != "http" or scope["method"] != "POST"
                or not scope["path"].startswith(PREFIX)):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        processor: Processor = state.processor
        raw_headers: list[tuple[bytes, bytes]] = scope["headers"]
        if (scope["path"] != PREFIX + processor.name
                or getattr(state, "reactions", None) is not None
                or any(k == b"idempotency-key" for k, _ in raw_headers)):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        raw_rid = next((v for k, v in raw_headers if k == b"x-request-id"), b"")
        rid = adopt_request_id(raw_rid)
        try:
            body = await _read_body(receive)
        except _Disconnected:
            return  # the processor hung up before its body arrived: nothing to answer
        token = request_id_var.set(rid)
        try:
            answer = await self._deliver(state.db, processor, body, Headers(scope=scope), rid)
        finally:
            request_id_var.reset(token)
        if answer is None:
            if raw_rid != rid.encode("latin-1"):  # the route's middleware adopts the same id
                scope = {**scope, "headers": [*(h for h in raw_headers
                                                if h[0] != b"x-request-id"),
                                              (b"x-request-id", rid.encode("latin-1"))]}
            await self.app(scope, _replay(body, receive), send)
            return
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(answer)).encode()),
            (b"x-request-id", rid.encode("latin-1"))]})
        await send({"type": "http.response.body", "body": answer})
        if _log.isEnabledFor(logging.INFO):
            _log.info("%s %s %s", "POST", scope["path"], 200, extra={
                "method": "POST", "path": scope["path"], "status": 200,
                "ms": round((time.perf_counter() - started) * 1000, 2)})

    def _closing(self, receive: Receive) -> Receive:
        """The app's lifespan messages, closing this path's connections at shutdown."""
        async def closing() -> Message:
            message = await receive()
            if message["type"] == "lifespan.shutdown" and self.pool is not None:
                pool, self.pool = self.pool, None
                await pool.close()
            return message

        return closing

    async def _deliver(self, db: Any, processor: Processor, body: bytes,
                       headers: Mapping[str, str], rid: str) -> bytes | None:
        """The answer's body, or None (nothing kept) for the route to answer."""
        try:
            event = processor.parse_webhook(body, headers, now=utc_now())
        except Exception:  # a refusal, or anything else: the route must answer it
            return None  # the route parses it again and answers (problem+json for a refusal)
        if not isinstance(event, PaymentSucceeded):
            return None
        try:
            args = {
                "k": f"processor-payment:{event.processor}:{event.payment_id}",
                "p": event.processor, "e": event.event_id, "t": type(event).__name__,
                "r": event.payment_id,
                "account_number": copy.normalise_number(event.account_ref or ""),
                "amount": posting_domain.money(event.amount),
                "tender": domain.tender_of(event.method),
                "received_on": domain.local_date(event.occurred_at, self.zone),
                "taken_by": event.processor, "idempotency_key": event.idempotency_key,
                "request_id": rid, "actor": event.processor}
        except Exception:  # the route refuses it after its own checks
            return None
        bound = db._bound
        try:
            if bound is not None:
                async with self._bound_lock:
                    raw = await bound.get_raw_connection()
                    outcome = await _transaction(raw.driver_connection, args, savepoint=True)
            else:
                if self.pool is None:
                    self.pool = Connections(db.dsn, db.schema, get_settings().db_pool_size)
                outcome = await self.pool.run(args)
        except Exception:  # rolled back (or never committed): the route tries it afresh
            _warn.warning("lean webhook path failed; the route answers", exc_info=True)
            return None
        if outcome is None:
            return None
        return json.dumps({"event_id": event.event_id, "outcome": outcome},
                          separators=(",", ":")).encode()


class Connections:
    """This path's own connections to payments' schema, as the service's engine makes them
    (its login role, search path, UTC), last in first out so the few that steady load needs
    stay hot with their statements prepared. Checking one out of SQLAlchemy's pool cost more
    than the delivery's statements (a greenlet switch and pool events each way)."""

    def __init__(self, dsn: str, schema: str, size: int) -> None:
        self.dsn = dsn.replace("postgresql+asyncpg://", "postgresql://", 1)
        self.settings = {"search_path": f"{schema},public",
                         "application_name": "tapline-payments-webhooks", "timezone": "UTC"}
        self.idle: list[asyncpg.Connection] = []
        self.slots = asyncio.Semaphore(size)

    async def run(self, args: dict[str, Any]) -> str | None:
        async with self.slots:
            conn = self.idle.pop() if self.idle else await asyncpg.connect(
                self.dsn, server_settings=self.settings)
            try:
                outcome = await _transaction(conn, args, savepoint=False)
            except BaseException:
                conn.terminate()  # its state is unknown: never reused
                raise
            if conn.is_closed():
                return outcome
            self.idle.append(conn)
            return outcome

    async def close(self) -> None:
        idle, self.idle = self.idle, []
        for conn in idle:
            await conn.close()


async def _transaction(conn: Any, args: dict[str, Any], *, savepoint: bool) -> str | None:
    """`service.apply` for a success, in one transaction (a savepoint inside a test's
    transaction); None after a rollback when the route must answer."""
    begin, commit, rollback = (
        ("SAVEPOINT fast_webhook", "RELEASE SAVEPOINT fast_webhook",
         "ROLLBACK TO SAVEPOINT fast_webhook") if savepoint else ("BEGIN", "COMMIT", "ROLLBACK"))
    await conn.execute(begin)
    try:
        # `fetch`, not `fetchrow`: a row limit would leave PostgreSQL a suspended portal of a
        # data-modifying statement to keep (each returns at most one row anyway)
        if not await conn.fetch(_LOCK_AND_RECORD, *(args[n] for n in _LOCK_AND_RECORD_ARGS)):
            outcome: str | None = "duplicate"  # recorded before: nothing written now
        else:
            (done,) = await conn.fetch(_POST_SUCCESS, *(args[n] for n in _POST_SUCCESS_ARGS))
            if done["seen"]:
                outcome = "duplicate"  # another event about the same success
            elif done["payment_id"] is None or done["account_id"] is None or done["pending"]:
                outcome = None  # an unknown account, a key taken, reversals waiting
            else:
                outcome = "posted"
    except BaseException:
        await conn.execute(rollback)
        raise
    await conn.execute(commit if outcome is not None else rollback)
    return outcome


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise _Disconnected
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


class _Disconnected(Exception):
    pass


def _replay(body: bytes, receive: Receive) -> Receive:
    """The request's body once more, then the client's own messages (a disconnect)."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again
