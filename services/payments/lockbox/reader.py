"""Reading a bank's lockbox file: size limits, layout detection, structure, totals, identity.

`read_lockbox` streams the file line by line (bytes, or a binary file object such as an upload's
spooled file), so memory follows the number of payments, not the file's size. It either returns
a `LockboxFile` whose counts and totals tie out, or raises one refusal naming every bad line:
`LockboxTooLarge` (413), `LockboxMalformed` or `LockboxTotalsMismatch` (422) — Problem
subclasses a router turns into RFC 9457 bodies as they are. Nothing of the remitters' bank
accounts survives it but routing, last four and a keyed hash.

The import use case (service.py) calls it on the uploaded file in a worker thread (it is CPU
work), then `domain.compare` against earlier imports, then `domain.classify`.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from typing import IO

from services.payments.lockbox import csvlayout, fixedwidth
from services.payments.lockbox.domain import (
    MAX_BYTES,
    MAX_DETAILS,
    FileIdentity,
    Layout,
    LineErrors,
    LockboxFile,
    LockboxMalformed,
    LockboxTooLarge,
    LockboxTotalsMismatch,
    detail_token,
)

_BOM = b"\xef\xbb\xbf"


def _lines(source: bytes | IO[bytes] | Iterable[bytes], max_bytes: int) -> Iterable[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if len(data) > max_bytes:
            raise LockboxTooLarge(f"the file is {len(data)} bytes; the limit is {max_bytes}")
        return data.splitlines()
    return source


def _numbered(raw_lines: Iterable[bytes], max_bytes: int, hasher: hashlib._Hash,
              errors: LineErrors) -> Iterator[tuple[int, str]]:
    """Non-blank lines, numbered as the bank's editor shows them, trailing blanks dropped."""
    size = 0
    for n, raw in enumerate(raw_lines, 1):
        size += len(raw) + 1
        if size > max_bytes:
            raise LockboxTooLarge(f"the file is larger than the limit of {max_bytes} bytes")
        if n == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM):]
        line = raw.rstrip()
        if not line:
            continue
        hasher.update(line)
        hasher.update(b"\n")
        try:
            yield n, line.decode("ascii")
        except UnicodeDecodeError:
            errors.add(n, "not plain ASCII text")


def read_lockbox(source: bytes | IO[bytes] | Iterable[bytes], *, secret: bytes,
                 layout: Layout | None = None, max_bytes: int = MAX_BYTES,
                 max_details: int = MAX_DETAILS) -> LockboxFile:
    """The file, checked; `secret` keys the remitter hash (a district setting, never logged)."""
    hasher = hashlib.sha256()
    decoding = LineErrors()
    numbered = _numbered(_lines(source, max_bytes), max_bytes, hasher, decoding)
    first = next(numbered, None)
    if first is None:
        raise LockboxMalformed("the lockbox file is empty", errors=decoding.errors or None)
    if layout is None:
        if csvlayout.looks_like_csv(first[1]):
            layout = Layout.CSV
        elif first[1][:1] == fixedwidth.HEADER:
            layout = Layout.FIXED
        else:
            raise LockboxMalformed(
                "not a lockbox file we accept: the first line is neither a fixed-width file "
                "header (1) nor CSV column names including record_type (docs/lockbox.md)",
                field=f"line {first[0]}")
    lines = itertools.chain([first], numbered)
    parser = csvlayout.parse if layout is Layout.CSV else fixedwidth.parse
    parsed = parser(lines, secret, max_details)

    bad = parsed.malformed
    if decoding.count:
        for e in decoding.errors:
            bad.add(int(e.field.split()[-1]), e.message)
    if parsed.created is None and not bad.count:
        bad.add(first[0], "the file header has no creation date")
    bad.raise_if_any(LockboxMalformed)
    parsed.mismatched.raise_if_any(LockboxTotalsMismatch)

    assert parsed.created is not None
    details = hashlib.sha256()
    for r in sorted(parsed.remittances, key=lambda r: (r.batch, r.item)):
        details.update(detail_token(r))
    identity = FileIdentity(
        origin=parsed.origin, destination=parsed.destination, file_id=parsed.file_id,
        created=parsed.created, content_hash=hasher.hexdigest(),
        fingerprint=details.hexdigest()[:32])
    return LockboxFile(layout=layout, identity=identity, batches=tuple(parsed.batches),
                       remittances=tuple(parsed.remittances), count=parsed.count,
                       total=parsed.total)
