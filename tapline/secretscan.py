"""Find payment secrets and passwords in logs and database dumps (run after the test suite).

What counts, precisely (each chosen so that our own data is not a false alarm):

- **card number**: 13–19 digits, written together or in groups split by single spaces or
  dashes, that pass the Luhn test and start like a card network's number (Visa 4, Mastercard
  51–55 and 2221–2720, Amex 34/37, Discover 6011/644–649/65, Diners 300–305/36/38/39,
  JCB 3528–3589, UnionPay 62). A run touching a letter or digit (hex, a UUID, a longer number)
  is not one. Our own 9-digit account numbers, amounts, phone numbers, epoch timestamps (1…)
  are not cards.
- **bank account**: 5–17 digits (four alone, "last four", are allowed) as the value of a field
  named for one: `bank_account[_number]`, `dda`, `ach_account`, `checking_account`,
  `savings_account` (any case, JSON, `key=value`, `key: value`, or a column of a pg_dump COPY
  block); or of `account_number`/`acct_no` only where a labelled, checksum-valid ABA routing
  number (`routing_number`, `aba`, `rtn`) is within 80 bytes or the same COPY row has a routing
  column — our own 9-digit utility account numbers are no secret. A MICR check line
  (⑆routing⑆ account⑈) counts too. (US accounts: ACH is how utilities draft; no IBANs.)
- **password**: one of the given passwords as a whole token (not inside a longer word).

Findings carry the file and byte offset, and only a masked form of what was found.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

_CARD_RUN = re.compile(rb"(?<![0-9A-Za-z])\d(?:[ -]?\d){12,}(?![0-9A-Za-z])")
_BANK_NAME = re.compile(r"bank_?account(?:_?(?:number|no|num))?|dda|ach_?account"
                        r"|checking_?account|savings_?account", re.I)
_ACCOUNT_NAME = re.compile(r"account_?(?:number|no|num)|acct_?(?:number|no|num)?", re.I)
_ROUTING_NAME = re.compile(r"routing(?:_?(?:number|no|num))?|aba|rtn", re.I)
_VALUE = rb"[\"']?\s*[:=]\s*[\"']?(\d[\d -]{3,30}\d)(?![0-9A-Za-z])"
_BANK_FIELD = re.compile(rb"(?<![A-Za-z0-9_])(?:" + _BANK_NAME.pattern.encode() + rb")" + _VALUE,
                         re.I)
_ACCOUNT_FIELD = re.compile(rb"(?<![A-Za-z0-9_])(?:" + _ACCOUNT_NAME.pattern.encode() + rb")"
                            + _VALUE, re.I)
_ROUTING_FIELD = re.compile(rb"(?<![A-Za-z0-9_])(?:" + _ROUTING_NAME.pattern.encode()
                            + rb")[\"']?\s*[:=]\s*[\"']?(\d{9})(?![0-9A-Za-z])", re.I)
# Where each field pattern can start: found with bytes.find, which is far faster than letting
# a case-insensitive pattern try every position of a large dump.
_BANK_WORDS = (b"bank", b"dda", b"ach", b"checking", b"savings")
_ACCOUNT_WORDS = (b"account", b"acct")
_ROUTING_WORDS = (b"routing", b"aba", b"rtn")
_MICR = re.compile("\u2446(\\d{9})\u2446\\s*([\\d ]{5,20}?)\\s*\u2448".encode())
_COPY = re.compile(rb"^COPY \S+ \(([^)]*)\) FROM stdin;\n", re.M)
_NEAR = 80
_WORD = re.compile(rb"[A-Za-z0-9_-]")
_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class Finding:
    path: str
    offset: int
    kind: str
    masked: str

    def __str__(self) -> str:
        return f"{self.path}:{self.offset}: {self.kind} {self.masked}"


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_network(digits: str) -> bool:
    """The number starts like an issued card of its length (ISO/IEC 7812 issuer ranges)."""
    n = len(digits)
    two, four = int(digits[:2]), int(digits[:4])
    if digits[0] == "4":
        return n in (13, 16, 19)
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return n == 16
    if two in (34, 37):
        return n == 15
    if four == 6011 or two == 65 or 644 <= int(digits[:3]) <= 649 or two == 62:
        return 16 <= n <= 19
    if 3528 <= four <= 3589:
        return 16 <= n <= 19
    if 300 <= int(digits[:3]) <= 305 or two in (36, 38, 39):
        return 14 <= n <= 19
    return False


def is_card_number(digits: str) -> bool:
    return 13 <= len(digits) <= 19 and card_network(digits) and luhn_ok(digits)


def aba_routing_ok(digits: str) -> bool:
    if len(digits) != 9 or not digits.isdigit():
        return False
    prefix = int(digits[:2])
    if not (prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80):
        return False
    d = [int(c) for c in digits]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0


def mask(value: str) -> str:
    """Enough to find the value again in the file, not enough to use it."""
    keep = value[-4:] if len(value) > 6 else value[-2:]
    return "*" * (len(value) - len(keep)) + keep


def _cards(data: bytes) -> Iterator[tuple[int, str, str]]:
    for m in _CARD_RUN.finditer(data):
        run = m.group().decode()
        if run.isdigit():
            if is_card_number(run):
                yield m.start(), "card number", mask(run)
            continue
        # Grouped the way cards are printed (4-4-4-4, 4-6-5, ...): a run of groups starting
        # with four digits, none longer than six (a UUID's 8-4-4-4-12 never qualifies). Any
        # whole groups in a row may be the card: a date or an amount may sit next to it.
        groups = re.split(r"[ -]", run)
        starts, pos = [], 0
        for g in groups:
            starts.append(pos)
            pos += len(g) + 1
        for i in range(len(groups)):
            if len(groups[i]) != 4:
                continue
            digits = ""
            for j in range(i, len(groups)):
                if len(groups[j]) > 6:
                    break
                digits += groups[j]
                if len(digits) > 19:
                    break
                if is_card_number(digits):
                    yield m.start() + starts[i], "card number", mask(digits)
                    break


def _bank_digits(raw: bytes) -> str | None:
    digits = re.sub(rb"[ -]", b"", raw).decode()
    return digits if 5 <= len(digits) <= 17 else None


def _at_words(pattern: re.Pattern[bytes], data: bytes, lower: bytes,
              words: tuple[bytes, ...]) -> Iterator[re.Match[bytes]]:
    for word in words:
        pos = lower.find(word)
        while pos >= 0:
            m = pattern.match(data, pos)
            if m:
                yield m
            pos = lower.find(word, pos + 1)


def _bank(data: bytes) -> Iterator[tuple[int, str, str]]:
    lower = data.lower()
    for m in _at_words(_BANK_FIELD, data, lower, _BANK_WORDS):
        digits = _bank_digits(m.group(1))
        if digits:
            yield m.start(1), "bank account", mask(digits)
    routings = [r.start(1) for r in _at_words(_ROUTING_FIELD, data, lower, _ROUTING_WORDS)
                if aba_routing_ok(r.group(1).decode())]
    for r in routings:
        for m in _ACCOUNT_FIELD.finditer(data, max(0, r - _NEAR - 40), r + _NEAR + 40):
            digits = _bank_digits(m.group(1))
            if digits and abs(m.start(1) - r) <= _NEAR:
                yield m.start(1), "bank account (next to a routing number)", mask(digits)
    if "\u2446".encode() in data:
        for m in _MICR.finditer(data):
            if aba_routing_ok(m.group(1).decode()):
                digits = _bank_digits(m.group(2))
                if digits:
                    yield m.start(2), "bank account (check line)", mask(digits)
    yield from _dump_columns(data)


def _dump_columns(data: bytes) -> Iterator[tuple[int, str, str]]:
    """pg_dump's COPY blocks name their columns once in the header, not on each row."""
    if b"COPY " not in data:
        return
    for head in _COPY.finditer(data):
        columns = [c.strip().strip('"').lower() for c in head.group(1).decode().split(",")]
        routing = any(_ROUTING_NAME.fullmatch(c) for c in columns)
        wanted = [i for i, c in enumerate(columns)
                  if _BANK_NAME.fullmatch(c) or (routing and _ACCOUNT_NAME.fullmatch(c))]
        if not wanted:
            continue
        end = data.find(b"\n\\.\n", head.end())
        end = len(data) if end < 0 else end
        pos = head.end()
        for line in data[head.end():end].split(b"\n"):
            cells = line.split(b"\t")
            for i in wanted:
                if i < len(cells) and re.fullmatch(rb"[\d -]+", cells[i]):
                    digits = _bank_digits(cells[i])
                    if digits:
                        cell_at = pos + sum(len(c) + 1 for c in cells[:i])
                        yield cell_at, f"bank account (column {columns[i]})", mask(digits)
            pos += len(line) + 1


def _passwords(data: bytes, passwords: Iterable[str]) -> Iterator[tuple[int, str, str]]:
    for pw in passwords:
        needle = pw.encode()
        pos = data.find(needle)
        while pos >= 0:
            before = data[pos - 1:pos]
            after = data[pos + len(needle):pos + len(needle) + 1]
            if not (_WORD.match(before) or _WORD.match(after)):
                yield pos, "password", "*" * len(pw)
            pos = data.find(needle, pos + 1)


def scan_bytes(data: bytes, passwords: Iterable[str] = ()) -> list[tuple[int, str, str]]:
    """(offset, kind, masked value) of every secret in `data`, in file order."""
    found = {*_cards(data), *_bank(data), *_passwords(data, tuple(passwords))}
    return sorted(found)


def scan_file(path: Path, passwords: Iterable[str] = ()) -> list[Finding]:
    """Reads in large chunks that overlap, so a value across a chunk border is still seen."""
    pws = tuple(passwords)
    overlap = 128
    out: dict[tuple[int, str], Finding] = {}
    with path.open("rb") as f:
        base = 0
        tail = b""
        while True:
            chunk = f.read(_CHUNK)
            if not chunk:
                break
            data = tail + chunk
            start = base - len(tail)
            for offset, kind, masked in scan_bytes(data, pws):
                key = (start + offset, kind)
                out.setdefault(key, Finding(str(path), start + offset, kind, masked))
            base += len(chunk)
            tail = data[-overlap:]
    return sorted(out.values(), key=lambda x: x.offset)


def scan_paths(paths: Iterable[Path], passwords: Iterable[str] = (),
               skip: Iterable[Path] = ()) -> list[Finding]:
    """Every regular file under `paths` (recursively), except those under `skip`."""
    pws = tuple(p for p in passwords if p)
    skipped = [s.resolve() for s in skip]
    findings: list[Finding] = []
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for file in files:
            resolved = file.resolve()
            if any(resolved == s or s in resolved.parents for s in skipped):
                continue
            findings.extend(scan_file(file, pws))
    return findings


def main(argv: list[str] | None = None) -> int:
    """`python -m tapline.secretscan PATH...` — e.g. over a log directory or a pg_dump file."""
    args = sys.argv[1:] if argv is None else argv
    findings = scan_paths([Path(a) for a in args])
    for f in findings:
        print(f)
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
