"""Collections' field orders (pure): door tags, disconnects for non-payment and reconnects.

A door tag is left at the residence so that a customer SB 998 could not reach has 48 hours'
notice: it is scheduled on the last day that gives them whatever the hour it is left
(`door_tag_day`), created a few days ahead so a supervisor approves it before release. A
disconnect order is created and released on the day the shut-off notice names (or the first
day after it the guardrails allow) and completed only through collections, which checks the
guardrails again that day. A reconnect follows a cure, with the reconnection fee.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from services.collections.policy.domain import (
    LOW_INCOME_CAP_AFTER_HOURS,
    LOW_INCOME_CAP_OFFICE_HOURS,
    Reconnection,
    capped,
)

KINDS: tuple[str, ...] = ("door_tag", "disconnect", "reconnect")
#: The kinds of accounts' service orders that carry out collections' orders.
ACCOUNTS_KIND: dict[str, str] = {
    "door_tag": "door_tag", "disconnect": "disconnect_nonpayment", "reconnect": "reconnect",
}
OPEN: frozenset[str] = frozenset({"awaiting_approval", "created", "released"})
#: Days before its day that a door tag waits for a supervisor's approval.
DOOR_TAG_APPROVAL_DAYS = 2


def reference(order_id: object) -> str:
    """The reference accounts' order carries (`collections.ServiceOrderRequested`)."""
    return f"collections:{order_id}"


def order_id_of(reference: str | None) -> str | None:
    if not reference or not reference.startswith("collections:"):
        return None
    return reference.removeprefix("collections:")


def door_tag_days(hours: int) -> int:
    """How many days before the disconnect date the door tag is left: a tag left at any hour
    of that day has given `hours` hours by the start of the disconnect date."""
    return math.ceil(hours / 24) + 1


def door_tag_day(disconnect_on: date, hours: int) -> date:
    return disconnect_on - timedelta(days=door_tag_days(hours))


def may_approve(status: str, requested_by: str, approver: str) -> str | None:
    """Why the door tag cannot be approved (None: it can)."""
    if status != "awaiting_approval":
        return f"The door tag is {status}"
    if requested_by == approver:
        return "Nobody approves their own door tag"
    return None


def reconnection_fee(rule: Reconnection, low_income: bool, after_hours: bool) -> Decimal:
    """The district's fee; for a low-income household never above SB 998's cap (indexed) nor
    the policy's low-income fee."""
    fee = rule.after_hours_fee if after_hours else rule.office_hours_fee
    if low_income:
        cap = capped(LOW_INCOME_CAP_AFTER_HOURS if after_hours else LOW_INCOME_CAP_OFFICE_HOURS,
                     rule.cap_index)
        own = rule.low_income_after_hours_fee if after_hours else rule.low_income_office_hours_fee
        fee = min(fee, own, cap)
    return fee


@dataclass(frozen=True, slots=True)
class Month:
    month: int
    disconnections: int = 0
    restorations: int = 0


def by_month(disconnected: Iterable[date], restored: Iterable[date], year: int) -> list[Month]:
    """The annual SB 998 report's rows: disconnections for non-payment and restorations of
    service after them, month by month (all twelve, zeros included)."""
    d = [0] * 12
    r = [0] * 12
    for day in disconnected:
        if day.year == year:
            d[day.month - 1] += 1
    for day in restored:
        if day.year == year:
            r[day.month - 1] += 1
    return [Month(m + 1, d[m], r[m]) for m in range(12)]
