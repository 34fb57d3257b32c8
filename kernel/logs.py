"""Structured JSON logs carrying the request id; secrets and tokens never reach a log line."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)

_SECRET = re.compile(
    r"(?i)(bearer\s+[A-Za-z0-9._\-]+|eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*"
    r"|(password|secret|token|authorization)[\"']?\s*[:=]\s*[\"']?[^\s,\"'&]+)"
)


_REQUEST_ID = re.compile(rb"[A-Za-z0-9._\-]{8,64}")


def adopt_request_id(raw: bytes) -> str:
    """The caller's `X-Request-ID` when it is a plausible id (8-64 of `A-Za-z0-9._-`), else a
    new one: every layer that answers a request itself adopts ids by this one rule."""
    return raw.decode("latin-1") if _REQUEST_ID.fullmatch(raw) else uuid.uuid4().hex


def redact(text: str) -> str:
    return _SECRET.sub("[redacted]", text)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        rid = request_id_var.get()
        if rid:
            out["request_id"] = rid
        for key in ("method", "path", "status", "ms", "event_id", "event_type"):
            if hasattr(record, key):
                out[key] = getattr(record, key)
        if record.exc_info:
            out["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(out, default=str)


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("uvicorn.access", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


class RequestContextMiddleware:
    """Adopts or mints `X-Request-ID`, echoes it, and logs one access line per request.

    Pure ASGI (not BaseHTTPMiddleware) so that streaming and background tasks are untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = logging.getLogger("tapline.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = next((v for k, v in scope.get("headers") or () if k == b"x-request-id"), b"")
        rid = adopt_request_id(raw)
        token = request_id_var.set(rid)
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                kept = [(k, v) for k, v in message.get("headers", [])
                        if k.lower() != b"x-request-id"]
                message["headers"] = [*kept, (b"x-request-id", rid.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            if self.log.isEnabledFor(logging.INFO):
                self.log.info(
                    "%s %s %s", scope.get("method"), scope.get("path"), status,
                    extra={"method": scope.get("method"), "path": scope.get("path"),
                           "status": status,
                           "ms": round((time.perf_counter() - started) * 1000, 2)},
                )
            request_id_var.reset(token)


Handler = Callable[..., Awaitable[Any]]
