"""Open-loop HTTP load from this process at a fixed arrival rate, cheap enough not to steal the
cores it measures.

On a 2-core machine the load generator shares the CPU with the gateway, the service and
PostgreSQL. httpx costs about as much CPU per request as the gateway itself, so at 200 req/s it
would take a large share of the machine and the figures would measure the client. This client
does only what the benchmark needs: keep-alive HTTP/1.1 GETs (and POSTs) over a pool of loopback
connections, requests encoded once up front, responses framed by Content-Length. Latency is
measured from each request's scheduled start, so a stalled server cannot hide behind a
stalled client (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    #: each request's scheduled start, seconds from the run's start (where the slow ones fell)
    due_s: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed_s: float = 0.0


class _Conn:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer


class LoadClient:
    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.head = "".join(f"{k}: {v}\r\n" for k, v in
                            {"Host": parts.netloc, **headers}.items()).encode()
        self.idle: list[_Conn] = []

    def request(self, path: str, params: dict[str, str]) -> bytes:
        return (f"GET {path}?{urlencode(params)} HTTP/1.1\r\n".encode() + self.head + b"\r\n")

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> bytes:
        """A POST with its body and its own headers (a signed webhook delivery), encoded once."""
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        return (f"POST {path} HTTP/1.1\r\n".encode() + self.head + extra.encode()
                + f"content-length: {len(body)}\r\n\r\n".encode() + body)

    async def send(self, raw: bytes) -> int:
        while self.idle:  # a kept connection the server has since closed is tried once
            try:
                return await self._exchange(self.idle.pop(), raw)
            except (ConnectionError, asyncio.IncompleteReadError):
                continue
        conn = _Conn(*await asyncio.open_connection(self.host, self.port))
        return await self._exchange(conn, raw)

    async def _exchange(self, conn: _Conn, raw: bytes) -> int:
        conn.writer.write(raw)
        head = await conn.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await conn.reader.readexactly(length)
        if b"connection: close" in head.lower():
            conn.writer.close()
        else:
            self.idle.append(conn)
        return status

    async def close(self) -> None:
        for conn in self.idle:
            conn.writer.close()
        self.idle.clear()


async def open_loop(client: LoadClient, requests: list[tuple[str, bytes]], rate: float,
                    seconds: float) -> Outcome:
    """Send `rate` requests per second for `seconds`, cycling through `requests` (tag, raw)."""
    out = Outcome()

    async def one(tag: str, raw: bytes, due: float) -> None:
        try:
            status = await client.send(raw)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            status = 0
        out.latencies_ms.append((time.perf_counter() - due) * 1000)
        out.tags.append(tag)
        out.due_s.append(due - start)
        out.statuses[status] = out.statuses.get(status, 0) + 1

    total = int(rate * seconds)
    tasks = []
    start = time.perf_counter()
    for k in range(total):
        due = start + k / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(*requests[k % len(requests)], due)))
    await asyncio.gather(*tasks)
    out.elapsed_s = time.perf_counter() - start
    return out
