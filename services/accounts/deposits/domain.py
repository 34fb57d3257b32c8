"""Deposit rules (no I/O): the move-in decision by a configurable policy, and when a held
deposit is due back (12 consecutive months of good payment history)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

POLICY_ENV = "TAPLINE_ACCOUNTS_DEPOSIT_POLICY"


@dataclass(frozen=True)
class DepositPolicy:
    """Amounts by premise kind; who is exempt. Override with TAPLINE_ACCOUNTS_DEPOSIT_POLICY,
    a JSON object with any of these fields, e.g. '{"amounts": {"single_family": "150"}}'."""

    amounts: dict[str, Decimal] = field(default_factory=lambda: {
        "single_family": Decimal("100.00"), "multi_family": Decimal("100.00"),
        "commercial": Decimal("250.00"), "irrigation": Decimal("150.00"),
        "fire": Decimal("0.00"),
    })
    waive_for_owner: bool = True
    waive_for_letter_of_credit: bool = True
    waive_for_good_history: bool = True
    good_history_months: int = 12


@dataclass(frozen=True)
class Decision:
    amount: Decimal
    reason: str

    @property
    def required(self) -> bool:
        return self.amount > 0


def load_policy(raw: str | None = None) -> DepositPolicy:
    raw = raw if raw is not None else os.environ.get(POLICY_ENV)
    if not raw:
        return DepositPolicy()
    doc = json.loads(raw)
    base = DepositPolicy()
    amounts = {**base.amounts, **{k: Decimal(str(v)) for k, v in doc.get("amounts", {}).items()}}
    return DepositPolicy(
        amounts=amounts,
        waive_for_owner=bool(doc.get("waive_for_owner", base.waive_for_owner)),
        waive_for_letter_of_credit=bool(
            doc.get("waive_for_letter_of_credit", base.waive_for_letter_of_credit)),
        waive_for_good_history=bool(
            doc.get("waive_for_good_history", base.waive_for_good_history)),
        good_history_months=int(doc.get("good_history_months", base.good_history_months)),
    )


def decide(policy: DepositPolicy, premise_kind: str, *, is_owner: bool, letter_of_credit: bool,
           good_history_elsewhere: bool, waive_reason: str | None = None) -> Decision:
    """The deposit a move-in requires, and why."""
    amount = policy.amounts.get(premise_kind, Decimal("0.00"))
    if amount <= 0:
        return Decision(Decimal("0.00"), f"no deposit for {premise_kind} service")
    if is_owner and policy.waive_for_owner:
        return Decision(Decimal("0.00"), "owner of the premise")
    if letter_of_credit and policy.waive_for_letter_of_credit:
        return Decision(Decimal("0.00"), "letter of credit from a prior utility")
    if good_history_elsewhere and policy.waive_for_good_history:
        return Decision(Decimal("0.00"), "good payment history on another account")
    if waive_reason:
        return Decision(Decimal("0.00"), f"waived: {waive_reason}")
    return Decision(amount, f"policy deposit for {premise_kind} service")


def months_before(day: date, months: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(y, m, d)
        except ValueError:
            continue
    raise ValueError("unreachable")


def due_for_refund(held: Decimal, held_since: date | None, last_mark: date | None,
                   today: date, months: int = 12) -> bool:
    """Held for `months` and no returned payment or late charge in the last `months`."""
    if held <= 0 or held_since is None:
        return False
    window_start = months_before(today, months)
    if held_since > window_start:
        return False
    return last_mark is None or last_mark <= window_start
