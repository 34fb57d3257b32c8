"""The fixed-width lockbox layout (docs/lockbox.md): 80-column records 1, 5, 6, (4,) 7, 9.

Modelled on the BAI lockbox transmission most banks offer (file header, lockbox/batch header,
detail, batch total, file trailer), with our own columns. `parse` reads numbered lines and
never keeps a remitter's bank account: each detail's MICR account is reduced on the spot.
`render` writes the layout (sample files, tests, the demo and the benchmark).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from services.payments.lockbox import scanline
from services.payments.lockbox.domain import (
    MAX_DETAILS,
    BatchTotals,
    LockboxTooLarge,
    Remittance,
    reduce_remitter,
)
from services.payments.lockbox.parsed import (
    FieldInvalid,
    Parsed,
    read_cents,
    read_date,
    read_int,
)

WIDTH = 80
HEADER, BATCH, DETAIL, BATCH_END, TRAILER = "1", "5", "6", "7", "9"


def parse(lines: Iterable[tuple[int, str]], secret: bytes,
          max_details: int = MAX_DETAILS) -> Parsed:
    out = Parsed()
    bad = out.malformed.add
    seen_header = seen_trailer = False
    batch: int | None = None  # the open batch, between its 5 and its 7
    batch_lockbox = ""
    batch_date = date.min
    batch_count = 0
    batch_total = Decimal(0)
    batch_items: set[int] = set()
    batch_numbers: set[int] = set()
    for n, line in lines:
        if len(line) > WIDTH:
            bad(n, f"record is longer than {WIDTH} characters")
            continue
        kind = line[:1]
        try:
            if not seen_header and kind != HEADER:
                bad(n, "the file must start with a file header record (1)")
                seen_header = True
            if seen_trailer:
                bad(n, "record after the file trailer (9)")
            elif kind == DETAIL:
                if batch is None:
                    bad(n, "detail record (6) outside a batch")
                    continue
                line_batch = read_int(line[1:5], "batch number (2-5)")
                if line_batch != batch:
                    bad(n, "detail's batch number (2-5) differs from its batch header's")
                    continue
                item = read_int(line[5:10], "item number (6-10)")
                if item in batch_items:
                    bad(n, "item number (6-10) repeated in the batch")
                    continue
                batch_items.add(item)
                amount = read_cents(line[10:20], "amount (11-20)")
                remitter = reduce_remitter(line[30:39], line[39:56], secret)
                out.remittances.append(Remittance(
                    n, batch, item, batch_date, line[20:30].strip(), amount,
                    line[56:66].strip(), remitter))
                batch_count += 1
                batch_total += amount
                if len(out.remittances) > max_details:
                    raise LockboxTooLarge(
                        f"more than {max_details} detail records; split the file")
            elif kind == scanline.RECORD:
                scanline.attach(out, line, batch)
            elif kind == BATCH:
                if batch is not None:
                    bad(n, "batch header (5) before the previous batch's trailer (7)")
                number = read_int(line[1:5], "batch number (2-5)")
                if number in batch_numbers:
                    bad(n, "batch number (2-5) repeated in the file")
                batch, batch_lockbox = number, line[5:15].strip()
                batch_date = read_date(line[15:23], "deposit date (16-23)")
                batch_numbers.add(number)
                batch_count, batch_total, batch_items = 0, Decimal(0), set()
            elif kind == BATCH_END:
                if batch is None:
                    bad(n, "batch trailer (7) without a batch header")
                    continue
                if read_int(line[1:5], "batch number (2-5)") != batch:
                    bad(n, "batch trailer's number (2-5) differs from its header's")
                count = read_int(line[5:10], "item count (6-10)")
                total = read_cents(line[10:22], "batch total (11-22)")
                if count != batch_count:
                    out.mismatched.add(n, f"batch {batch} trailer says {count} item(s), "
                                          f"the batch has {batch_count}")
                if total != batch_total:
                    out.mismatched.add(n, f"batch {batch} trailer says {total}, "
                                          f"its items add up to {batch_total}")
                out.batches.append(BatchTotals(batch, batch_lockbox, batch_date,
                                               batch_count, batch_total))
                out.count += batch_count
                out.total += batch_total
                batch = None
            elif kind == HEADER:
                if seen_header:
                    bad(n, "a second file header (1)")
                    continue
                seen_header = True
                out.destination = line[3:13].strip()
                out.origin = line[13:22].strip()
                out.created = read_date(line[22:30], "creation date (23-30)")
                out.file_id = line[34:54].strip()
            elif kind == TRAILER:
                seen_trailer = True
                if batch is not None:
                    bad(n, f"file trailer (9) while batch {batch} is still open")
                batches = read_int(line[1:5], "batch count (2-5)")
                count = read_int(line[5:12], "item count (6-12)")
                total = read_cents(line[12:26], "file total (13-26)")
                if batches != len(out.batches):
                    out.mismatched.add(n, f"file trailer says {batches} batch(es), "
                                          f"the file has {len(out.batches)}")
                if count != out.count:
                    out.mismatched.add(n, f"file trailer says {count} item(s), "
                                          f"the file has {out.count}")
                if total != out.total:
                    out.mismatched.add(n, f"file trailer says {total}, "
                                          f"the items add up to {out.total}")
            else:
                bad(n, "unknown record type (column 1 must be 1, 4, 5, 6, 7 or 9)")
        except FieldInvalid as e:
            bad(n, str(e))
    if not seen_trailer:
        out.malformed.add(0, "the file has no file trailer (9): it may be cut short")
    return out


# ---- writing ------------------------------------------------------------------------------------


def _cents(amount: Decimal, width: int) -> str:
    cents = int((amount * 100).to_integral_value())
    return ("-" + str(-cents).zfill(width - 1)) if cents < 0 else str(cents).zfill(width)


def render_lines(*, destination: str, origin: str, created: date, created_time: str,
                 file_id: str, batches: Iterable[tuple[int, str, date, list[tuple[
                     int, Decimal, str, str, str, str]]]]) -> Iterator[str]:
    """Lines of a file: batches of (number, lockbox, deposit date, items), each item
    (item, amount, account as printed, routing, remitter account, check number)."""
    yield (f"101{destination:<10.10}{origin:<9.9}{created:%Y%m%d}{created_time:<4.4}"
           f"{file_id:<20.20}").ljust(WIDTH)
    n_batches = n_items = 0
    grand = Decimal(0)
    for number, lockbox, deposit, items in batches:
        yield f"5{number:04d}{lockbox:<10.10}{deposit:%Y%m%d}".ljust(WIDTH)
        total = Decimal(0)
        for item, amount, account, routing, remitter, check in items:
            yield (f"6{number:04d}{item:05d}{_cents(amount, 10)}{account:<10.10}{routing:<9.9}"
                   f"{remitter:<17.17}{check:<10.10}").ljust(WIDTH)
            total += amount
        yield f"7{number:04d}{len(items):05d}{_cents(total, 12)}".ljust(WIDTH)
        n_batches += 1
        n_items += len(items)
        grand += total
    yield f"9{n_batches:04d}{n_items:07d}{_cents(grand, 14)}".ljust(WIDTH)
