"""A raw ASGI pass-through for the payment processor's webhook deliveries.

Processors post hundreds of deliveries a second to `/api/payments/webhooks/{processor}`, with
no staff token (the processor's signature, checked by payments, is the authentication). The
gateway has nothing to decide about them but where they go, so they skip FastAPI's routing,
its exception middleware and Starlette's request and response objects: this middleware reads
the body, writes it on a kept-alive connection (`gateway.rawhttp`, answers parsed by httptools,
no client set up per request) and writes back the service's status, headers and body as they
came. It keeps
what the proxy guarantees: hop-by-hop headers dropped both ways, the request id adopted or
minted, passed on and echoed, `X-Forwarded-For` extended, 502/504 as problem+json.

Everything else - another path, a request carrying a bearer token (a night token is refused on
this path by the proxy), upstreams reached through injected transports (tests) - goes on to the
app untouched.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time

import httptools
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.proxy import DROPPED_RESPONSE, HOP_BY_HOP, Upstreams
from kernel.errors import BadGateway, GatewayTimeout, Problem, problem_response
from kernel.logs import adopt_request_id, request_id_var

PREFIX = "/api/payments/webhooks/"
_DROP_IN = frozenset(h.encode() for h in HOP_BY_HOP) | {b"x-request-id", b"authorization",
                                                         b"accept-encoding"}
_DROP_OUT = frozenset(h.encode() for h in DROPPED_RESPONSE) | {b"x-request-id"}
_SAFE_PATH = re.compile(r"[A-Za-z0-9._~/\-]+")
_log = logging.getLogger("tapline.access")


class WebhookPassThrough:
    """ASGI middleware for the gateway app (`app.add_middleware(WebhookPassThrough)`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "POST"
                or not scope["path"].startswith(PREFIX) or scope.get("query_string")
                or not _SAFE_PATH.fullmatch(scope["path"])):
            await self.app(scope, receive, send)
            return
        upstreams: Upstreams = scope["app"].state.upstreams
        upstream = upstreams.raw("payments")
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if upstream is None or any(k == b"authorization" for k, _ in headers):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        raw_rid = next((v for k, v in headers if k == b"x-request-id"), b"")
        rid = adopt_request_id(raw_rid)
        body = b""
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before its body arrived
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        prior = b""
        lines = []
        for k, v in headers:
            if k == b"x-forwarded-for":
                prior = v
            elif k not in _DROP_IN:
                lines.append(k + b": " + v + b"\r\n")
        lines.append(b"x-request-id: " + rid.encode("latin-1") + b"\r\n")
        client = scope.get("client")
        if client:
            host = client[0].encode("latin-1")
            lines.append(b"x-forwarded-for: " + (prior + b", " + host if prior else host)
                         + b"\r\n")
        elif prior:
            lines.append(b"x-forwarded-for: " + prior + b"\r\n")
        token = request_id_var.set(rid)
        try:
            try:
                async with asyncio.timeout(upstreams.upstream_timeout):
                    answer = await upstream.post(scope["path"].encode("ascii"),
                                                 b"".join(lines), body)
            except TimeoutError:
                await self._problem(scope, receive, send, rid, GatewayTimeout(
                    "The payments service did not answer in time"))
                return
            except (OSError, httptools.HttpParserError):
                await self._problem(scope, receive, send, rid, BadGateway(
                    "The payments service is unavailable"))
                return
            content = b"".join(answer.chunks)
            back = [(k.lower(), v) for k, v in answer.headers if k.lower() not in _DROP_OUT]
            back.append((b"content-length", str(len(content)).encode()))
            back.append((b"x-request-id", rid.encode("latin-1")))
            await send({"type": "http.response.start", "status": answer.status,
                        "headers": back})
            await send({"type": "http.response.body", "body": content})
        finally:
            request_id_var.reset(token)
        if _log.isEnabledFor(logging.INFO):
            _log.info("%s %s %s", "POST", scope["path"], answer.status, extra={
                "method": "POST", "path": scope["path"], "status": answer.status,
                "ms": round((time.perf_counter() - started) * 1000, 2)})

    @staticmethod
    async def _problem(scope: Scope, receive: Receive, send: Send, rid: str,
                       exc: Problem) -> None:
        """The proxy's own answer when payments is down or slow, as the error handlers give it."""
        scope.setdefault("state", {})["request_id"] = rid
        response = problem_response(Request(scope), exc.status, exc.code, exc.title, exc.detail)
        response.headers["x-request-id"] = rid
        await response(scope, receive, send)
