"""Forwarding `/api/{service}/...` to the services over pooled HTTP connections.

Every proxied request passes through here, so this path is kept cheap: real upstream URLs are
reached with one shared aiohttp session (a fraction of httpx's CPU per request), while the
in-process transports that tests inject (`create_app(transports=...)`) keep going through httpx.
Timeouts and connection failures become 504/502 problems; the request id travels along.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import aiohttp
import httpx
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from yarl import URL

from gateway.rawhttp import RawUpstream
from kernel.errors import BadGateway, GatewayTimeout, NotFound, Unprocessable
from kernel.settings import ROUTED, Settings

HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
    "transfer-encoding", "upgrade", "host", "content-length",
})
#: Response headers not passed back: hop-by-hop ones, and the encoding of a body we decoded.
DROPPED_RESPONSE = HOP_BY_HOP | {"content-encoding"}
_UNSAFE_URL_BYTE = re.compile(rb"[^\x21-\x7e]")


class Upstreams:
    """Connections to every service: an aiohttp pool shared by all services for forwarding,
    plus one httpx client per service (health probes, OpenAPI documents, injected transports)."""

    def __init__(
        self, settings: Settings, transports: dict[str, httpx.AsyncBaseTransport] | None = None
    ) -> None:
        timeout = httpx.Timeout(settings.upstream_timeout, connect=2.0)
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        self.clients: dict[str, httpx.AsyncClient] = {}
        #: service -> base URL, for the services reached over the network (no injected transport)
        self.urls: dict[str, str] = {}
        for name in ROUTED:
            transport = (transports or {}).get(name)
            if transport is None:
                self.urls[name] = settings.url_for(name).rstrip("/")
            self.clients[name] = httpx.AsyncClient(
                base_url=settings.url_for(name) if transport is None else "http://" + name,
                timeout=timeout, limits=limits, transport=transport,
            )
        # Same limits as the httpx clients: the pool waits up to the upstream timeout, a connect
        # gets 2 s, and the service has the upstream timeout to answer.
        self._timeout = aiohttp.ClientTimeout(
            total=None, connect=settings.upstream_timeout, sock_connect=2.0,
            sock_read=settings.upstream_timeout)
        self._session: aiohttp.ClientSession | None = None
        self._raw: dict[str, RawUpstream] = {}
        self.upstream_timeout = settings.upstream_timeout

    def raw(self, name: str) -> RawUpstream | None:
        """Raw kept-alive connections to a service reached over the network (webhook
        pass-through, gateway/fastpass.py); None for an injected transport."""
        found = self._raw.get(name)
        if found is None and name in self.urls:
            url = URL(self.urls[name])
            if url.scheme != "http" or url.host is None or url.path not in ("", "/"):
                return None  # TLS or a path prefix: the aiohttp forward handles those
            found = self._raw[name] = RawUpstream(url.host, url.port or 80,
                                                  url.raw_authority)
        return found

    def timeout(self, read_seconds: float | None) -> aiohttp.ClientTimeout:
        """The usual timeouts, or the same with `read_seconds` for the service's answer."""
        if read_seconds is None:
            return self._timeout
        return aiohttp.ClientTimeout(total=None, connect=read_seconds, sock_connect=2.0,
                                     sock_read=read_seconds)

    def client(self, name: str) -> httpx.AsyncClient:
        if name not in self.clients:
            raise NotFound(f"No service named '{name}'")
        return self.clients[name]

    def session(self) -> aiohttp.ClientSession:
        """The forwarding session, made on first use (it belongs to the running event loop)."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                # Idle connections are given up before uvicorn's 5 s keep-alive closes them,
                # so a request is not sent on a connection the service is closing.
                connector=aiohttp.TCPConnector(limit=200, limit_per_host=0,
                                               keepalive_timeout=4.0),
                timeout=self._timeout, auto_decompress=True, skip_auto_headers=("User-Agent",),
            )
        return self._session

    async def close(self) -> None:
        for raw in self._raw.values():
            raw.close()
        for c in self.clients.values():
            await c.aclose()
        if self._session is not None:
            await self._session.close()


def _target(request: Request) -> str:
    """The path and query exactly as received (still percent-encoded); any byte that may not
    appear in a request line is percent-encoded rather than passed on raw."""
    raw_path: bytes = request.scope.get("raw_path") or request.url.path.encode()
    query: bytes = request.scope.get("query_string") or b""
    raw = raw_path + (b"?" + query if query else b"")
    if _UNSAFE_URL_BYTE.search(raw):
        raw = _UNSAFE_URL_BYTE.sub(lambda m: b"%%%02X" % m[0][0], raw)
    return raw.decode("ascii")


def _request_headers(request: Request) -> dict[str, str]:
    headers = {k: v for k, v in request.headers.items() if k not in HOP_BY_HOP}
    rid = request.scope.get("state", {}).get("request_id")
    if rid:
        headers["x-request-id"] = rid
    if request.client:
        prior = headers.get("x-forwarded-for")
        headers["x-forwarded-for"] = f"{prior}, {request.client.host}" if prior \
            else request.client.host
    return headers


async def forward(upstreams: Upstreams, service: str, request: Request,
                  read_timeout: float | None = None) -> Response:
    """`read_timeout`: seconds the service may take to answer, when not the usual upstream
    timeout (the nightly update's steps, which may run for minutes)."""
    if service not in upstreams.clients:
        raise NotFound(f"No service named '{service}'")
    headers = _request_headers(request)
    target = _target(request)
    body = await request.body()
    base = upstreams.urls.get(service)
    if base is None:
        return await _forward_httpx(upstreams.clients[service], service, request.method, target,
                                    headers, body, read_timeout)
    try:
        url = URL(base + target, encoded=True)
    except ValueError as exc:
        raise Unprocessable("The request URL is not valid") from exc
    try:
        upstream = await upstreams.session().request(
            request.method, url, data=body or None, headers=headers, allow_redirects=False,
            timeout=upstreams.timeout(read_timeout))
        streamed = False
        try:
            out = [(k, v) for k, v in upstream.raw_headers
                   if k.decode("latin-1").lower() not in DROPPED_RESPONSE]
            status = upstream.status
            if upstream.content_type == "text/csv" and status == 200:
                # A CSV export (kernel/csvexport.py) may be any size: passed on chunk by chunk.
                streamed = True
                relayed = StreamingResponse(_relay(upstream), status_code=status)
                relayed.raw_headers.extend(out)
                return relayed
            content = await upstream.read()
        finally:
            if not streamed:
                upstream.release()
    except aiohttp.InvalidURL as exc:
        raise Unprocessable("The request URL is not valid") from exc
    except TimeoutError as exc:  # aiohttp's connect and read timeouts are TimeoutErrors
        raise GatewayTimeout(f"The {service} service did not answer in time") from exc
    except aiohttp.ClientError as exc:
        raise BadGateway(f"The {service} service is unavailable") from exc
    response = Response(content=content, status_code=status)  # sets content-length
    response.raw_headers.extend(out)
    return response


async def _relay(upstream: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    try:
        async for chunk in upstream.content.iter_chunked(64 * 1024):
            yield chunk
    finally:
        upstream.release()


async def _forward_httpx(client: httpx.AsyncClient, service: str, method: str, target: str,
                         headers: dict[str, str], body: bytes,
                         read_timeout: float | None = None) -> Response:
    """In-process transports (tests, the in-process benchmark) go through httpx."""
    try:
        upstream = await client.request(
            method, target, content=body, headers=headers,
            timeout=client.timeout if read_timeout is None else httpx.Timeout(read_timeout,
                                                                               connect=2.0))
    except httpx.InvalidURL as exc:
        raise Unprocessable("The request URL is not valid") from exc
    except httpx.TimeoutException as exc:
        raise GatewayTimeout(f"The {service} service did not answer in time") from exc
    except httpx.TransportError as exc:
        raise BadGateway(f"The {service} service is unavailable") from exc
    out_headers = {k: v for k, v in upstream.headers.items()
                   if k.lower() not in DROPPED_RESPONSE}
    return Response(content=upstream.content, status_code=upstream.status_code,
                    headers=out_headers)
