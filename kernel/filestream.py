"""A file built in a spooled temporary file (a print file, a print batch) streamed as the
response, then closed: the body is never held in memory whole, and the temporary file goes
away when the client has it or has hung up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from fastapi.responses import StreamingResponse

CHUNK = 256 * 1024


def chunks(f: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := f.read(CHUNK):
            yield chunk
    finally:
        f.close()


def attachment(f: IO[bytes], media_type: str, filename: str) -> StreamingResponse:
    """`f` rewound, sent as a download named `filename`."""
    return StreamingResponse(chunks(f), media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
