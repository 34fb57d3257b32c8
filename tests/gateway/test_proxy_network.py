"""Forwarding over real sockets (the path `make run` takes), not the in-process transports."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest

import gateway.app
from gateway.app import create_app
from kernel.settings import get_settings
from tapline.pgserver import free_port

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def _echoing(seen: list[str] | None = None) -> Handler:
    """Answers every request with what it received: request line, headers and body (and
    notes each request line in `seen`)."""
    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line, *lines = head.decode("latin-1").split("\r\n")
                if seen is not None:
                    seen.append(line)
                headers: dict[str, list[str]] = {}
                for h in filter(None, lines):
                    k, _, v = h.partition(":")
                    headers.setdefault(k.strip().lower(), []).append(v.strip())
                body = await reader.readexactly(int(headers.get("content-length", ["0"])[0]))
                out = json.dumps({"line": line, "headers": headers,
                                  "body": body.decode()}).encode()
                writer.write(b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\n"
                             b"x-upstream: yes\r\nkeep-alive: timeout=5\r\n"
                             b"content-length: %d\r\n\r\n" % len(out) + out)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
    return echo


_echo = _echoing()


async def _silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(30)


@asynccontextmanager
async def _gateway(monkeypatch: pytest.MonkeyPatch, handler: Handler | None,
                   upstream_timeout: float = 10.0, max_request_bytes: int = 40 * 1024 * 1024,
                   ) -> AsyncIterator[tuple[httpx.AsyncClient, int]]:
    port = free_port()
    server = await asyncio.start_server(handler, "127.0.0.1", port) if handler else None
    settings = get_settings().model_copy(update={
        "service_urls": {"accounts": f"http://127.0.0.1:{port}",
                         "payments": f"http://127.0.0.1:{port}"},
        "upstream_timeout": upstream_timeout, "max_request_bytes": max_request_bytes})
    monkeypatch.setattr(gateway.app, "get_settings", lambda: settings)
    app = create_app()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gw") as client:
            yield client, port
    finally:
        await app.state.upstreams.close()
        if server is not None:
            server.close()


async def test_a_request_reaches_the_service_exactly_as_sent_and_the_answer_comes_back(
    monkeypatch,
):
    async with _gateway(monkeypatch, _echo) as (client, port):
        r = await client.post("/api/accounts/a%2Fb/c%20d?q=a+b&q=%C3%A9", content=b'{"x": 1}',
                              headers={"Authorization": "Bearer tok", "X-Request-ID":
                                       "req-abcdef12", "Content-Type": "application/json",
                                       "Connection": "keep-alive"})
        again = await client.get("/api/accounts/x")  # the pooled connection is reused
    assert r.status_code == 201 and r.headers["x-upstream"] == "yes"
    assert r.headers["x-request-id"] == "req-abcdef12"
    assert "keep-alive" not in r.headers
    seen = r.json()
    assert seen["line"] == "POST /api/accounts/a%2Fb/c%20d?q=a+b&q=%C3%A9 HTTP/1.1"
    assert seen["body"] == '{"x": 1}'
    assert seen["headers"]["authorization"] == ["Bearer tok"]
    assert seen["headers"]["x-request-id"] == ["req-abcdef12"]
    assert seen["headers"]["x-forwarded-for"] == ["127.0.0.1"]
    assert seen["headers"]["host"] == [f"127.0.0.1:{port}"]
    assert again.status_code == 201 and again.json()["line"] == "GET /api/accounts/x HTTP/1.1"
    assert len(again.headers["x-request-id"]) >= 8


async def test_a_service_that_refuses_connections_is_a_502_problem(monkeypatch):
    async with _gateway(monkeypatch, None) as (client, _):
        r = await client.get("/api/accounts/anything")
    assert r.status_code == 502 and r.json()["code"] == "bad-gateway"
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_a_service_that_does_not_answer_in_time_is_a_504_problem(monkeypatch):
    async with _gateway(monkeypatch, _silent, upstream_timeout=0.5) as (client, _):
        r = await client.get("/api/accounts/anything")
    assert r.status_code == 504 and r.json()["code"] == "gateway-timeout"


async def test_an_unknown_service_is_a_404_problem(monkeypatch):
    async with _gateway(monkeypatch, _echo) as (client, _):
        r = await client.get("/api/nosuch/thing")
    assert r.status_code == 404 and r.json()["code"] == "not-found"


def _no_route(monkeypatch: pytest.MonkeyPatch) -> None:
    """The proxy route fails the test if it is reached: webhooks pass through ahead of it."""
    async def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the webhook went through the FastAPI proxy route")

    monkeypatch.setattr(gateway.app, "forward", refused)


async def test_a_processor_webhook_passes_straight_through_with_its_headers_and_answer(
    monkeypatch,
):
    _no_route(monkeypatch)
    async with _gateway(monkeypatch, _echo) as (client, port):
        r = await client.post("/api/payments/webhooks/sandbox", content=b'{"id": "evt_1"}',
                              headers={"webhook-signature": "v1,abc", "X-Request-ID":
                                       "req-hook0001", "Content-Type": "application/json",
                                       "Connection": "keep-alive",
                                       "X-Forwarded-For": "203.0.113.9"})
        minted = await client.post("/api/payments/webhooks/sandbox", content=b"{}")
    assert r.status_code == 201 and r.headers["x-upstream"] == "yes"
    assert r.headers["x-request-id"] == "req-hook0001" and "keep-alive" not in r.headers
    assert r.headers["content-type"] == "application/json"
    seen = r.json()
    assert seen["line"] == "POST /api/payments/webhooks/sandbox HTTP/1.1"
    assert seen["body"] == '{"id": "evt_1"}'
    assert seen["headers"]["webhook-signature"] == ["v1,abc"]
    assert seen["headers"]["x-request-id"] == ["req-hook0001"]
    assert seen["headers"]["x-forwarded-for"] == ["203.0.113.9, 127.0.0.1"]
    assert seen["headers"]["host"] == [f"127.0.0.1:{port}"]
    assert "connection" not in seen["headers"] or seen["headers"]["connection"] != ["keep-alive"]
    rid = minted.headers["x-request-id"]
    assert len(rid) >= 8 and minted.json()["headers"]["x-request-id"] == [rid]


async def test_a_webhook_to_a_payments_service_that_is_down_or_slow_is_a_502_or_504_problem(
    monkeypatch,
):
    _no_route(monkeypatch)
    async with _gateway(monkeypatch, None) as (client, _):
        down = await client.post("/api/payments/webhooks/sandbox", content=b"{}",
                                 headers={"X-Request-ID": "req-down0001"})
    async with _gateway(monkeypatch, _silent, upstream_timeout=0.5) as (client, _):
        slow = await client.post("/api/payments/webhooks/sandbox", content=b"{}")
    assert down.status_code == 502 and down.json()["code"] == "bad-gateway"
    assert down.headers["content-type"].startswith("application/problem+json")
    assert down.json()["request_id"] == "req-down0001"
    assert down.headers["x-request-id"] == "req-down0001"
    assert down.json()["instance"] == "/api/payments/webhooks/sandbox"
    assert slow.status_code == 504 and slow.json()["code"] == "gateway-timeout"


LIMIT = 64 * 1024


async def _chunks(total: int) -> AsyncIterator[bytes]:
    for _ in range(total // 8192):
        yield b"x" * 8192


async def test_a_body_over_the_limit_is_refused_413_and_never_reaches_a_service(monkeypatch):
    seen: list[str] = []
    async with _gateway(monkeypatch, _echoing(seen), max_request_bytes=LIMIT) as (client, _):
        declared = await client.post("/api/accounts/notes", content=b"x" * (LIMIT + 1),
                                     headers={"X-Request-ID": "req-big00001"})
        chunked = await client.post("/api/accounts/notes", content=_chunks(LIMIT + 8192))
        hook = await client.post("/api/payments/webhooks/sandbox", content=_chunks(2 * LIMIT))
        at_limit = await client.post("/api/accounts/notes", content=b"x" * LIMIT)
    for r in (declared, chunked, hook):
        assert r.status_code == 413, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "request-too-large"
        assert str(LIMIT) in r.json()["detail"]
    assert declared.json()["request_id"] == "req-big00001"
    assert declared.headers["x-request-id"] == "req-big00001"
    assert hook.json()["instance"] == "/api/payments/webhooks/sandbox"
    assert at_limit.status_code == 201 and len(at_limit.json()["body"]) == LIMIT
    assert len(seen) == 1  # only the body within the limit was forwarded
