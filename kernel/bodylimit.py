"""A ceiling on request bodies, enforced before anything reads them into memory.

Every forwarded request is read whole by the gateway (`await request.body()`) and again by the
service, and uploads are read whole by their routes before their own size checks: without a
ceiling, one client sending a few gigabytes (by mistake or not) exhausts a process's memory
and every other user's request with it. uvicorn sets no limit of its own.

A body declared larger than the limit (`Content-Length`) is answered 413 at once, unread. A
body without a length (chunked) is counted as it arrives; once past the limit, whatever the
application made of the cut-off body (an error about a truncated form, typically) is replaced
by the same 413, and nothing the route did is committed: the session commits only after the
route returns, and the route fails on the body it could not read.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kernel.errors import PROBLEM_BASE, PROBLEM_JSON, Problem
from kernel.logs import adopt_request_id


class RequestTooLarge(Problem):
    status, code, title = 413, "request-too-large", "Request body too large"


class BodyLimit:
    """ASGI middleware: `app.add_middleware(BodyLimit, max_bytes=...)`."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), b"")
        if not declared.isdigit():
            await self._counted(scope, receive, send)
        elif int(declared) > self.max_bytes:
            await self._refuse(scope, send, f"The body is {int(declared)} bytes")
        else:  # the server frames the body by this length: within it, it is within the limit
            await self.app(scope, receive, send)

    async def _counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        seen = 0
        over = False
        started = False

        async def counting() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    over = True
                    raise RequestTooLarge(self._detail("The body is larger than that"))
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if over:
                return  # the application's answer to a cut-off body is not the answer
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, guarded)
        except Exception:
            if not over:
                raise
        if over and not started:
            await self._refuse(scope, send, "The body is larger than that")

    def _detail(self, what: str) -> str:
        return f"{what}; the limit is {self.max_bytes} bytes"

    async def _refuse(self, scope: Scope, send: Send, what: str) -> None:
        rid = scope.get("state", {}).get("request_id")
        if rid is None:  # outside the request-id middleware (the gateway, payments)
            rid = adopt_request_id(next((v for k, v in scope["headers"]
                                         if k == b"x-request-id"), b""))
        body = json.dumps({
            "type": PROBLEM_BASE + RequestTooLarge.code, "title": RequestTooLarge.title,
            "status": 413, "code": RequestTooLarge.code, "detail": self._detail(what),
            "instance": scope.get("path"), "request_id": rid,
        }).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode()),
            (b"x-request-id", rid.encode("latin-1")), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
