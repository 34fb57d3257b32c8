"""The CSV lockbox layout (docs/lockbox.md): rows H (header), D (detail), T (trailer).

The first line names the columns, in any order; a row fills the columns its record type uses.
`parse` reduces each MICR account on the spot, as the fixed-width parser does, and both produce
the same `Remittance`s for the same checks. `render` writes the layout.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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
    read_date,
    read_dollars,
    read_int,
)

COLUMNS = ("record_type", "file_id", "origin", "destination", "created", "lockbox", "batch",
           "item", "deposit_date", "account", "amount", "check_number", "routing",
           "remitter_account", "count", "total")
#: Columns a bank may add: the stub's scanline as its reader captured it (scanline.py).
OPTIONAL = ("scanline",)
REQUIRED = ("record_type", "created", "batch", "item", "deposit_date", "account", "amount",
            "count", "total")


@dataclass(slots=True)
class _Batch:
    """CSV has no batch records: a batch's totals are what its rows add up to."""

    lockbox: str
    deposit: date
    count: int
    total: Decimal


def looks_like_csv(first_line: str) -> bool:
    """The column names line: record_type among comma-separated names, anywhere."""
    return "record_type" in (c.strip().strip('"').lower() for c in first_line.split(","))


def parse(lines: Iterable[tuple[int, str]], secret: bytes,
          max_details: int = MAX_DETAILS) -> Parsed:
    out = Parsed()
    bad = out.malformed.add
    numbered = iter(lines)
    first = next(numbered, None)
    if first is None:
        bad(0, "the file is empty")
        return out
    names = [c.strip().lower() for c in next(csv.reader([first[1].lstrip("\ufeff")]))]
    missing = [c for c in REQUIRED if c not in names]
    unknown = [c for c in names if c not in COLUMNS and c not in OPTIONAL]
    if missing or unknown or len(set(names)) != len(names):
        bad(first[0], "column names: " + "; ".join(
            [f"missing {', '.join(missing)}"] * bool(missing)
            + [f"unknown {', '.join(unknown)}"] * bool(unknown)
            + ["a column is named twice"] * (len(set(names)) != len(names))))
        return out
    width = len(names)
    at = {name: names.index(name) for name in names}
    empty = width  # index of a padding cell for optional columns that are absent

    def col(name: str) -> int:
        return at.get(name, empty)

    i_type, i_file, i_origin, i_dest = col("record_type"), col("file_id"), col("origin"), \
        col("destination")
    i_created, i_lockbox, i_batch, i_item = col("created"), col("lockbox"), col("batch"), \
        col("item")
    i_date, i_account, i_amount, i_check = col("deposit_date"), col("account"), col("amount"), \
        col("check_number")
    i_routing, i_remitter, i_count, i_total = col("routing"), col("remitter_account"), \
        col("count"), col("total")
    i_scan = col("scanline")

    numbers: list[int] = []

    def texts() -> Iterator[str]:
        for n, text in numbered:
            numbers.append(n)
            yield text

    seen_header = seen_trailer = False
    items: set[tuple[int, int]] = set()
    batches: dict[int, _Batch] = {}
    for row in csv.reader(texts()):
        n = numbers[-1]
        if len(row) != width:
            bad(n, f"{len(row)} cells where the header names {width}")
            continue
        row.append("")
        kind = row[i_type].strip().upper()
        try:
            if not seen_header and kind != "H":
                bad(n, "the first row after the column names must be the header (H)")
                seen_header = True
            if seen_trailer:
                bad(n, "row after the trailer (T)")
            elif kind == "D":
                batch = read_int(row[i_batch], "batch")
                item = read_int(row[i_item], "item")
                if (batch, item) in items:
                    bad(n, "batch and item repeated in the file")
                    continue
                items.add((batch, item))
                deposit = read_date(row[i_date].strip(), "deposit_date")
                amount = read_dollars(row[i_amount], "amount")
                remitter = reduce_remitter(row[i_routing], row[i_remitter], secret)
                account = scanline.account_for(row[i_account].strip(), row[i_scan])
                out.remittances.append(Remittance(
                    n, batch, item, deposit, account, amount,
                    row[i_check].strip(), remitter))
                if len(out.remittances) > max_details:
                    raise LockboxTooLarge(
                        f"more than {max_details} detail rows; split the file")
                totals = batches.get(batch)
                if totals is None:
                    batches[batch] = _Batch(row[i_lockbox].strip(), deposit, 1, amount)
                else:
                    totals.count += 1
                    totals.total += amount
                out.count += 1
                out.total += amount
            elif kind == "H":
                if seen_header and out.created is not None:
                    bad(n, "a second header (H)")
                    continue
                seen_header = True
                out.created = read_date(row[i_created].strip(), "created")
                out.file_id = row[i_file].strip()
                out.origin = row[i_origin].strip()
                out.destination = row[i_dest].strip()
            elif kind == "T":
                seen_trailer = True
                count = read_int(row[i_count], "count")
                total = read_dollars(row[i_total], "total")
                if count != out.count:
                    out.mismatched.add(n, f"trailer says {count} payment(s), "
                                          f"the file has {out.count}")
                if total != out.total:
                    out.mismatched.add(n, f"trailer says {total}, "
                                          f"the payments add up to {out.total}")
            else:
                bad(n, "unknown record_type (H, D or T)")
        except FieldInvalid as e:
            bad(n, str(e))
    if not seen_trailer:
        bad(0, "the file has no trailer (T): it may be cut short")
    out.batches = [BatchTotals(b, t.lockbox, t.deposit, t.count, t.total)
                   for b, t in sorted(batches.items())]
    return out


def render_lines(*, destination: str, origin: str, created: date, file_id: str,
                 batches: Iterable[tuple[int, str, date, list[tuple[
                     int, Decimal, str, str, str, str]]]]) -> Iterator[str]:
    """Lines of a file from the same batches `fixedwidth.render_lines` takes."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="")

    def line(cells: list[str]) -> str:
        buf.seek(0)
        buf.truncate()
        w.writerow(cells)
        return buf.getvalue()

    yield line(list(COLUMNS))
    blank = dict.fromkeys(COLUMNS, "")
    yield line(list({**blank, "record_type": "H", "file_id": file_id, "origin": origin,
                     "destination": destination, "created": created.isoformat()}.values()))
    count, total = 0, Decimal(0)
    for number, lockbox, deposit, items in batches:
        for item, amount, account, routing, remitter, check in items:
            yield line(list({**blank, "record_type": "D", "lockbox": lockbox,
                             "batch": str(number), "item": str(item),
                             "deposit_date": deposit.isoformat(), "account": account,
                             "amount": f"{amount:f}", "check_number": check,
                             "routing": routing, "remitter_account": remitter}.values()))
            count += 1
            total += amount
    yield line(list({**blank, "record_type": "T", "count": str(count),
                     "total": f"{total:f}"}.values()))
