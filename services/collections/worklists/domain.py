"""The CSR II call list, the pure rules: what a call can end in, and promises to pay.

A **promise** is the customer's word on a call to pay `amount` by `promised_on`. While it is
open and its day has not passed it holds the ladder (the ladder reads `promises`: status
`open` and `promised_on >= today`). It is `kept` as soon as the credits posted from the day it
was made up to its day cover it (a payment less any payment returned meanwhile; other credits
count too), `broken` the day after its date when they do not, `cancelled` by staff with a
reason or when a newer promise replaces it. One open promise per account.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

OUTCOMES = ("reached", "left_message", "no_answer", "wrong_number", "promise_made", "refused")

#: The furthest day a promise may name: a promise holds the ladder until its day, so it is a
#: short hold, not an arrangement (those have their own schedule and letters).
MAX_PROMISE_DAYS = 30


class CallError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class PromiseTerms:
    promised_on: date
    amount: Decimal


def checked_call(outcome: str, promise: PromiseTerms | None, today: date) -> None:
    """A call that says `promise_made` carries the promise, and only such a call does; the
    promise is for a positive amount, due from today to `MAX_PROMISE_DAYS` ahead."""
    if outcome not in OUTCOMES:
        raise CallError(f"Unknown outcome (one of {', '.join(OUTCOMES)})", "outcome")
    if outcome == "promise_made" and promise is None:
        raise CallError("A promise made names its date and amount", "promise")
    if outcome != "promise_made" and promise is not None:
        raise CallError("Only a call with the outcome promise_made takes a promise", "promise")
    if promise is None:
        return
    if promise.amount <= 0:
        raise CallError("A promise is for a positive amount", "promise.amount")
    if promise.promised_on < today:
        raise CallError("A promise cannot be for a day already past", "promise.promised_on")
    if promise.promised_on > today + timedelta(days=MAX_PROMISE_DAYS):
        raise CallError(f"A promise is at most {MAX_PROMISE_DAYS} days ahead (longer: make "
                        "an arrangement)", "promise.promised_on")


@dataclass(frozen=True, slots=True)
class Credit:
    amount: Decimal
    kind: str
    posted_on: date


def covered(credits: Sequence[Credit], made_on: date, promised_on: date,
            today: date) -> Decimal:
    """What the credits posted from `made_on` up to the promise's day (or today, if sooner)
    have paid toward it: credits, less payments returned in that time."""
    end = min(promised_on, today)
    return -sum((c.amount for c in credits
                 if made_on <= c.posted_on <= end
                 and (c.amount < 0 or c.kind == "payment_reversal")), Decimal("0"))


def promise_status(amount: Decimal, paid: Decimal, promised_on: date, today: date) -> str:
    if paid >= amount:
        return "kept"
    if today > promised_on:
        return "broken"
    return "open"


def promise_payload(promise_id: uuid.UUID, account_id: uuid.UUID, status: str,
                    promised_on: date, amount: Decimal, made_on: date,
                    changed_on: date) -> dict[str, Any]:
    """`collections.PromiseChanged`: the promise's new state."""
    return {"promise_id": str(promise_id), "account_id": str(account_id), "status": status,
            "promised_on": promised_on.isoformat(), "amount": str(amount),
            "made_on": made_on.isoformat(), "changed_on": changed_on.isoformat()}


def cycle_of(premise: dict[str, Any]) -> str | None:
    c = premise.get("cycle")
    return None if c in (None, "") else str(c)
