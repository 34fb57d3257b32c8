"""A body over the configured limit is answered 413 before a route acts on it
(kernel/bodylimit.py), whether its length is declared or it arrives in chunks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
from fastapi import FastAPI, File, UploadFile

from kernel.bodylimit import BodyLimit
from kernel.errors import install_error_handlers

LIMIT = 64 * 1024
BOUNDARY = "tapline-test-boundary"


def _app(stored: list[int]) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/scans")
    async def upload(file: Annotated[UploadFile, File()]) -> dict[str, int]:
        data = await file.read()
        stored.append(len(data))  # what a route would write
        return {"bytes": len(data)}

    app.add_middleware(BodyLimit, max_bytes=LIMIT)
    return app


def _form(size: int) -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"scan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode() \
        + b"%" * size + f"\r\n--{BOUNDARY}--\r\n".encode()


async def _in_chunks(body: bytes) -> AsyncIterator[bytes]:
    for i in range(0, len(body), 4096):
        yield body[i:i + 4096]


async def test_an_upload_over_the_limit_is_refused_and_the_route_writes_nothing():
    stored: list[int] = []
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(stored)),
                                 base_url="http://svc") as client:
        declared = await client.post("/scans", content=_form(LIMIT), headers=headers)
        chunked = await client.post("/scans", content=_in_chunks(_form(LIMIT)),
                                    headers=headers)
        small = await client.post("/scans", content=_in_chunks(_form(1000)), headers=headers)
    for r in (declared, chunked):
        assert r.status_code == 413, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert body["code"] == "request-too-large" and body["status"] == 413
        assert body["instance"] == "/scans" and f"{LIMIT} bytes" in body["detail"]
    assert small.status_code == 200 and small.json() == {"bytes": 1000}
    assert stored == [1000]
