"""Kept-alive HTTP/1.1 connections to one service, for the gateway's webhook pass-through.

A request is written as bytes (the caller's headers as they came, plus a Host and a
Content-Length) and the answer parsed by httptools, the C parser uvicorn itself uses: about a
third of an aiohttp request's CPU. Chunked answers and `Connection: close` are handled by the
parser; a connection is reused only when the answer said it may be, and idle ones are given up
before the service's own keep-alive (uvicorn: 5 s) would close them under a request.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import httptools

#: Idle connections older than this are closed, not reused (uvicorn closes them at 5 s).
IDLE_SECONDS = 4.0
MAX_IDLE = 200


@dataclass
class Answer:
    status: int = 0
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    done: bool = False

    # httptools' callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        self.done = True


class _Conn:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.used = time.monotonic()

    def close(self) -> None:
        self.writer.close()


class UpstreamClosedEarly(ConnectionError):
    """The service closed a kept connection before answering a byte."""


class RawUpstream:
    def __init__(self, host: str, port: int, netloc: str) -> None:
        self.host, self.port = host, port
        self.host_header = b"host: " + netloc.encode("ascii") + b"\r\n"
        self.idle: list[_Conn] = []

    async def post(self, target: bytes, headers: bytes, body: bytes) -> Answer:
        """POST `body` to `target` with `headers` (CRLF-terminated lines, no Host or
        Content-Length). Raises OSError when unreachable; the caller bounds the time."""
        raw = (b"POST " + target + b" HTTP/1.1\r\n" + self.host_header + headers
               + b"content-length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        now = time.monotonic()
        while self.idle:
            conn = self.idle.pop()
            if now - conn.used > IDLE_SECONDS:
                conn.close()
                continue
            try:
                return await self._exchange(conn, raw)
            except UpstreamClosedEarly:
                continue  # closed while idle, before a byte of answer: on a fresh one
        conn = _Conn(*await asyncio.open_connection(self.host, self.port))
        return await self._exchange(conn, raw)

    async def _exchange(self, conn: _Conn, raw: bytes) -> Answer:
        answer = Answer()
        parser = httptools.HttpResponseParser(answer)
        try:
            conn.writer.write(raw)
            first = True
            while not answer.done:
                data = await conn.reader.read(65536)
                if not data:
                    if first:
                        raise UpstreamClosedEarly
                    raise ConnectionResetError("the service closed the connection mid-answer")
                first = False
                parser.feed_data(data)
        except BaseException:
            conn.close()
            raise
        answer.status = parser.get_status_code()
        if parser.should_keep_alive() and len(self.idle) < MAX_IDLE:
            conn.used = time.monotonic()
            self.idle.append(conn)
        else:
            conn.close()
        return answer

    def close(self) -> None:
        idle, self.idle = self.idle, []
        for conn in idle:
            conn.close()
