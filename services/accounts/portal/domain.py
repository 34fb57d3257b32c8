"""The rules of a registration proof: an account number plus one fact from a bill.

Pure functions, unit-tested without a database. A proof names the account and either the
amount of its last bill or the ZIP code of a premise it is served at; both facts are printed on
every bill, so the person holding the bill can register and a stranger who knows only the
account number (it is on envelopes, receipts, door tags) cannot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

#: Accounts whose holder may register or link them; a closed account has no portal.
OPEN_STATUSES = frozenset({"active", "pending"})

_NOT_DIGITS = re.compile(r"[\s-]")


def account_number(text: str) -> str:
    """The number as stored: a bill prints it grouped (`1000-0042`); people type it either way."""
    return _NOT_DIGITS.sub("", text)


def zip5(text: str | None) -> str | None:
    """The five-digit ZIP code of a ZIP or ZIP+4."""
    if not text:
        return None
    digits = text.strip()[:5]
    return digits if len(digits) == 5 and digits.isdigit() else None


def proof_holds(status: str, last_total: Decimal | None, service_zips: Iterable[str | None],
                amount: Decimal | None, zip_code: str | None) -> bool:
    """Does the fact given match the account? Exactly one fact is given (the schema says so)."""
    if status not in OPEN_STATUSES:
        return False
    if amount is not None:
        return last_total is not None and last_total == amount
    wanted = zip5(zip_code)
    return wanted is not None and wanted in {zip5(z) for z in service_zips}


@dataclass(frozen=True)
class BillFact:
    bill_id: str
    account_id: str
    bill_date: date
    total: Decimal
    replaces: str | None


def bill_fact(payload: dict[str, Any]) -> BillFact:
    """`billing.BillIssued`'s bill, as much of it as a proof needs."""
    bill = payload["bill"]
    return BillFact(
        bill_id=str(bill["id"]), account_id=str(bill["account_id"]),
        bill_date=date.fromisoformat(str(bill["bill_date"])[:10]),
        total=Decimal(str(bill["total"])),
        replaces=str(bill["replaces"]) if bill.get("replaces") else None,
    )
