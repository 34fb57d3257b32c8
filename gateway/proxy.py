"""Forwarding `/api/{service}/...` to the services over pooled HTTP clients.

Timeouts and connection failures become 504/502 problems; the request id travels along.
"""

from __future__ import annotations

import httpx
from fastapi import Request, Response

from kernel.errors import BadGateway, GatewayTimeout, NotFound, Unprocessable
from kernel.settings import SERVICES, Settings

HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
    "transfer-encoding", "upgrade", "host", "content-length",
})


class Upstreams:
    """One pooled client per service (or an in-process transport in tests)."""

    def __init__(
        self, settings: Settings, transports: dict[str, httpx.AsyncBaseTransport] | None = None
    ) -> None:
        timeout = httpx.Timeout(settings.upstream_timeout, connect=2.0)
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        self.clients: dict[str, httpx.AsyncClient] = {}
        for name in SERVICES:
            transport = (transports or {}).get(name)
            self.clients[name] = httpx.AsyncClient(
                base_url=settings.url_for(name) if transport is None else "http://" + name,
                timeout=timeout, limits=limits, transport=transport,
            )

    def client(self, name: str) -> httpx.AsyncClient:
        if name not in self.clients:
            raise NotFound(f"No service named '{name}'")
        return self.clients[name]

    async def close(self) -> None:
        for c in self.clients.values():
            await c.aclose()


async def forward(upstreams: Upstreams, service: str, request: Request) -> Response:
    client = upstreams.client(service)
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
    rid = getattr(request.state, "request_id", None)
    if rid:
        headers["x-request-id"] = rid
    if request.client:
        prior = request.headers.get("x-forwarded-for")
        headers["x-forwarded-for"] = f"{prior}, {request.client.host}" if prior \
            else request.client.host
    # Forward the path and query exactly as received (still percent-encoded).
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string") or b""
    target = raw_path.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")
    try:
        upstream = await client.request(
            request.method, target, content=await request.body(), headers=headers,
        )
    except httpx.InvalidURL as exc:
        raise Unprocessable("The request URL is not valid") from exc
    except httpx.TimeoutException as exc:
        raise GatewayTimeout(f"The {service} service did not answer in time") from exc
    except httpx.TransportError as exc:
        raise BadGateway(f"The {service} service is unavailable") from exc
    out_headers = {k: v for k, v in upstream.headers.items()
                   if k.lower() not in HOP_BY_HOP and k.lower() != "content-encoding"}
    return Response(content=upstream.content, status_code=upstream.status_code,
                    headers=out_headers)
