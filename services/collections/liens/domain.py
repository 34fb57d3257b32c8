"""Tax-roll liens (pure, no I/O): which owners' accounts are listed, the certification
statement, and the certified list's CSV.

A district may place delinquent charges for service on the property tax roll, as a lien on the
parcel, when the account holder owns it (the copy's `premises.owner_account_id` is the
account). Each year: the owners are told (a `lien_notice` letter, at least `notice_days` before
the list), the list of parcels (APN) and amounts is certified and sent to the county, the
county records it, and a lien is released (a `lien_release` letter) once paid.

What a lien covers is the account's past-due amount on the day of the notice (`as_of`): the
debits due before that day less every credit, credits paying the oldest debits first (aging's
rule, docs/collections.md), so later bills never enlarge it and payments reduce it until it is
paid.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

#: The columns of the certified list the county receives (one row per parcel, by APN).
LIST_COLUMNS: tuple[str, ...] = ("apn", "account_number", "owner_name", "service_address",
                                 "amount", "tax_year")


@dataclass(frozen=True, slots=True)
class Listed:
    apn: str
    number: str
    owner_name: str
    service_address: str
    amount: Decimal


def default_tax_year(today: date) -> int:
    """The roll a lien noticed or listed in a calendar year goes on: the fiscal year that
    begins on July 1 of that year (2026 = the 2026-27 roll; notices in spring, the list to the
    county by August 10)."""
    return today.year


def address_line(doc: str | None) -> str:
    """The service address on one line, from the copy's JSON."""
    v = json.loads(doc or "{}")
    address: dict[str, object] = v if isinstance(v, dict) else {}
    parts = [str(address.get(k) or "") for k in ("line1", "line2", "city")]
    return ", ".join(p for p in parts if p)


def list_csv(rows: Iterable[Listed], tax_year: int) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(LIST_COLUMNS)
    count, total = 0, Decimal("0.00")
    for r in rows:
        w.writerow([r.apn, r.number, r.owner_name, r.service_address, f"{r.amount:.2f}",
                    tax_year])
        count += 1
        total += r.amount
    w.writerow(["TOTAL", f"{count} parcels", "", "", f"{total:.2f}", tax_year])
    return buf.getvalue()


def certification(utility: str, county: str, title: str, tax_year: int, parcels: int,
                  total: Decimal, as_of: date, notice_days: int) -> str:
    """The statement the list is certified with."""
    return (f"I, the undersigned {title} of {utility}, certify that the foregoing list of "
            f"{parcels} parcels, totalling ${total:,.2f}, is a true and correct statement of "
            f"charges for water and sewer service that were delinquent and remain unpaid as of "
            f"{as_of:%B %-d, %Y}; that the owner of each parcel was given written notice at "
            f"least {notice_days} days before this list was certified; and that these amounts "
            f"are to be placed on the {tax_year}-{(tax_year + 1) % 100:02d} secured property "
            f"tax roll of the {county} as liens on the parcels listed.")


def delinquent(due: Decimal, old: Decimal, credit: Decimal,
               minimum: Decimal) -> Decimal | None:
    """What an owner's account puts on the roll, or None: the debits due before the day less
    every credit (credits pay the oldest first, so this is the past-due part, aging's rule),
    when some of the debits `minimum_days_past_due` old are still unpaid and the past-due part
    is at least `minimum`."""
    amount = due - credit
    return amount if old - credit > 0 and amount >= minimum else None


def owed(amount: Decimal, as_of: date, debits: Iterable[tuple[date, Decimal]],
         credit: Decimal) -> Decimal:
    """What is still owed of a lien: its debits (due before its `as_of`) less every credit so
    far, at most its amount (later bills never enlarge it), never below nothing."""
    covered = sum((d for due, d in debits if due < as_of), Decimal("0.00"))
    return max(Decimal("0.00"), min(amount, covered - credit))
