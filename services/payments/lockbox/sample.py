"""Valid sample lockbox files, in either layout, from one description of the checks.

Used by the tests, the benchmark (tests/perf/bench_lockbox_parse.py) and, next, the demo's
"a lockbox file imported with one unmatched line". The remitters' bank accounts are made up here
and exist only inside the generated file; the reader reduces them to last four.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from kernel.checkdigit import printed, with_check_digit
from services.payments.lockbox import csvlayout, fixedwidth
from services.payments.lockbox.domain import Layout


@dataclass(frozen=True)
class SampleCheck:
    """One mailed check: the stub's account as the bank read it, and the check's MICR line."""

    account: str  # as printed on the stub ("10002745-7") or as misread
    amount: Decimal
    check_number: str
    routing: str = ""
    remitter_account: str = ""


@dataclass(frozen=True)
class SampleBatch:
    number: int
    deposit_date: date
    checks: tuple[SampleCheck, ...]
    lockbox: str = "0042117"


@dataclass(frozen=True)
class SampleFile:
    file_id: str = "LBX20261127A"
    created: date = date(2026, 11, 27)
    created_time: str = "0615"
    origin: str = "121000248"  # the bank's routing number
    destination: str = "TAPLINE01"
    batches: tuple[SampleBatch, ...] = field(default_factory=tuple)

    def render(self, layout: Layout = Layout.FIXED, *, crlf: bool = False) -> bytes:
        rows = [(b.number, b.lockbox, b.deposit_date,
                 [(i, c.amount, c.account, c.routing, c.remitter_account, c.check_number)
                  for i, c in enumerate(b.checks, 1)])
                for b in self.batches]
        if layout is Layout.CSV:
            lines = csvlayout.render_lines(destination=self.destination, origin=self.origin,
                                           created=self.created, file_id=self.file_id,
                                           batches=rows)
        else:
            lines = fixedwidth.render_lines(destination=self.destination, origin=self.origin,
                                            created=self.created, created_time=self.created_time,
                                            file_id=self.file_id, batches=rows)
        end = "\r\n" if crlf else "\n"
        return "".join(line + end for line in lines).encode("ascii")

    def with_check(self, batch: int, item: int, **changes: object) -> SampleFile:
        """The same file with one check changed (item counts from 1), e.g. a misread account."""
        batches = list(self.batches)
        b = batches[batch]
        checks = list(b.checks)
        checks[item - 1] = replace(checks[item - 1], **changes)  # type: ignore[arg-type]
        batches[batch] = replace(b, checks=tuple(checks))
        return replace(self, batches=tuple(batches))


def routing_number(rng: random.Random) -> str:
    """A routing number that passes the ABA checksum (3-7-1 weights), like a real check's."""
    prefix = rng.choice(["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"])
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(6))
    weights = (3, 7, 1, 3, 7, 1, 3, 7)
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + str((10 - total % 10) % 10)


def sample_accounts(count: int, start: int = 10_000_000) -> list[str]:
    """Account numbers as accounts issues them: eight digits and a Luhn check digit."""
    return [with_check_digit(f"{start + i:08d}") for i in range(count)]


def sample_file(count: int, *, accounts: Sequence[str] | None = None, seed: int = 1,
                batch_size: int = 250, deposit_date: date = date(2026, 11, 27),
                file_id: str = "LBX20261127A") -> SampleFile:
    """`count` valid checks over `accounts` (numbers with check digit), in batches."""
    rng = random.Random(seed)
    accounts = list(accounts) if accounts else sample_accounts(min(count, 5_000) or 1)
    banks = [routing_number(rng) for _ in range(50)]
    batches: list[SampleBatch] = []
    for start in range(0, count, batch_size):
        checks = []
        for _ in range(min(batch_size, count - start)):
            with_micr = rng.random() < 0.9
            checks.append(SampleCheck(
                account=printed(rng.choice(accounts)),
                amount=Decimal(rng.randrange(500, 60_000)).scaleb(-2),
                check_number=str(rng.randrange(100, 99_999)),
                routing=rng.choice(banks) if with_micr else "",
                remitter_account=str(rng.randrange(10**7, 10**12)) if with_micr else ""))
        batches.append(SampleBatch(number=len(batches) + 1, deposit_date=deposit_date,
                                   checks=tuple(checks)))
    return SampleFile(file_id=file_id, created=deposit_date, batches=tuple(batches))
