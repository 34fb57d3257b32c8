"""Closed accounts still owing after the closing bill (pure, no I/O): where each case stands
and what comes next, the agency's referral file and the payments file it sends back.

A case is worked in this order (docs/collections.md, "Closed accounts"): a balance transfer to
the same customer's active account is offered first (staff confirms); else collection letter 1,
letter 2 after `letter_2_days`, then the referral to the agency after `referral_days`; what the
agency collects is recorded back; what cannot be collected is written off with a supervisor's
approval. A case ends when the balance is transferred, paid, or written off.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from services.collections.policy.domain import ClosedAccounts

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

OPEN_STATUSES: tuple[str, ...] = ("transfer_offered", "letters", "referred")


@dataclass(frozen=True, slots=True)
class Stage:
    """Where an open case stands: `step` is the next thing to happen and `on` the day it is due
    (None: waits for staff)."""

    step: str
    on: date | None


def next_step(p: ClosedAccounts, status: str, opened_on: date, letter_1_on: date | None,
              letter_2_on: date | None, offer_declined: bool) -> Stage:
    """What comes next for a case (the daily step takes letters on their day; the referral and
    the write-off are staff's)."""
    if status == "transfer_offered" and not offer_declined:
        return Stage("transfer_or_letter_1", opened_on + timedelta(days=p.transfer_offer_days))
    if status in ("transfer_offered", "letters"):
        if letter_1_on is None:
            return Stage("letter_1", opened_on)
        if letter_2_on is None:
            return Stage("letter_2", letter_1_on + timedelta(days=p.letter_2_days))
        return Stage("referral", letter_2_on + timedelta(days=p.referral_days))
    if status == "referred":
        return Stage("agency_collecting", None)
    return Stage("ended", None)


def commission(amount: Decimal, percent: Decimal) -> Decimal:
    """The agency's commission on what it collected, half-up to the cent."""
    return (amount * percent / 100).quantize(CENT, ROUND_HALF_UP)


# ---- the referral file -----------------------------------------------------------------------

#: What collection agencies ask for with each account.
REFERRAL_COLUMNS: tuple[str, ...] = (
    "account_number", "name", "mailing_line1", "mailing_line2", "city", "state", "postal_code",
    "phones", "emails", "language", "amount", "last_payment_date", "closed_date",
    "referred_date",
)


@dataclass(frozen=True, slots=True)
class Referred:
    number: str
    name: str
    mailing: dict[str, object]
    phones: list[str]
    emails: list[str]
    language: str
    amount: Decimal
    last_payment_on: date | None
    closed_on: date | None
    referred_on: date


def _address(doc: str | None) -> dict[str, object]:
    v = json.loads(doc or "{}")
    return v if isinstance(v, dict) else {}


def strings(doc: str | None) -> list[str]:
    """A JSON list of strings (phones, e-mails) as the copy keeps it."""
    v = json.loads(doc or "[]")
    return [str(x) for x in v] if isinstance(v, list) else []


def mailing_of(account_mailing: str | None, customer_mailing: str | None) -> dict[str, object]:
    """The last known mailing address: the account's when it has one, else the customer's."""
    a = _address(account_mailing)
    return a if a.get("line1") else _address(customer_mailing)


def referral_csv(rows: Iterable[Referred]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(REFERRAL_COLUMNS)
    for r in rows:
        m = r.mailing
        w.writerow([r.number, r.name, m.get("line1") or "", m.get("line2") or "",
                    m.get("city") or "", m.get("state") or "", m.get("postal_code") or "",
                    ";".join(r.phones), ";".join(r.emails), r.language, f"{r.amount:.2f}",
                    r.last_payment_on.isoformat() if r.last_payment_on else "",
                    r.closed_on.isoformat() if r.closed_on else "", r.referred_on.isoformat()])
    return buf.getvalue()


def recall_csv(rows: Iterable[tuple[str, str, date, date, str]]) -> str:
    """Accounts the agency is to stop collecting (paid, transferred or written off)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["account_number", "name", "referred_date", "recalled_date", "reason"])
    for number, name, referred_on, recalled_on, status in rows:
        w.writerow([number, name, referred_on.isoformat(), recalled_on.isoformat(), status])
    return buf.getvalue()


# ---- the agency's payments file --------------------------------------------------------------

#: The columns of the file the agency sends back (a header line first; `commission` may be
#: empty: the policy's percentage then applies).
PAYMENT_COLUMNS: tuple[str, ...] = ("account", "amount", "commission", "paid_on", "reference")


@dataclass(frozen=True, slots=True)
class AgencyLine:
    line: int
    account_number: str
    amount: Decimal
    fee: Decimal | None
    received_on: date
    reference: str


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    message: str


def account_number(v: str) -> str:
    """Account numbers as the copy keeps them (agencies print them with dashes or spaces)."""
    return "".join(v.replace("-", "").split())


def _money(v: str, positive: bool) -> Decimal:
    try:
        d = Decimal(v.strip().replace("$", "").replace(",", ""))
    except InvalidOperation as e:
        raise ValueError(f"{v!r} is not an amount") from e
    if not d.is_finite() or d != d.quantize(CENT):
        raise ValueError(f"{v!r} is not an amount in dollars and cents")
    if d < 0 or (positive and d == 0):
        raise ValueError(f"{v!r} must be {'more than' if positive else 'at least'} 0")
    return d.quantize(CENT)


def parse_payments(text: str) -> tuple[list[AgencyLine], list[LineError]]:
    """The agency's payments file, each line checked; every error is listed (the file is
    refused whole when one line is wrong, so nothing is half-recorded)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    out: list[AgencyLine] = []
    errors: list[LineError] = []
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != list(PAYMENT_COLUMNS):
        return [], [LineError(1, f"the first line must be the header "
                                 f"{','.join(PAYMENT_COLUMNS)}")]
    seen: set[str] = set()
    for n, row in enumerate(reader, start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(PAYMENT_COLUMNS):
            errors.append(LineError(n, f"{len(row)} fields, {len(PAYMENT_COLUMNS)} expected"))
            continue
        acct, amount, fee, paid_on, ref = (c.strip() for c in row)
        try:
            line = AgencyLine(n, account_number(acct), _money(amount, True),
                              _money(fee, False) if fee else None, date.fromisoformat(paid_on),
                              ref)
        except ValueError as e:
            errors.append(LineError(n, str(e)))
            continue
        if not line.account_number or not ref or len(ref) > 100:
            errors.append(LineError(n, "account and reference (at most 100 characters) are "
                                       "needed"))
        elif ref in seen:
            errors.append(LineError(n, f"reference {ref!r} appears twice in the file"))
        else:
            seen.add(ref)
            out.append(line)
    if not out and not errors:
        errors.append(LineError(1, "the file has no payments"))
    return out, errors


def payment_id(reference: str) -> uuid.UUID:
    """A payment's id from the agency's reference: the same line sent again is the same
    payment (and billing posts it once, by that id)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"tapline:agency-payment:{reference}")


def fees(lines: Sequence[AgencyLine], percent: Decimal) -> list[Decimal]:
    return [ln.fee if ln.fee is not None else commission(ln.amount, percent) for ln in lines]
