"""Late charges (pure): which ladder steps assess one, how much (the policy's formula,
`policy.domain.late_charge`), and who may reverse it.

A charge belongs to one bill and one step, and its id (the `notice_id` billing posts it under)
is derived from them, so it is charged once however often the step is seen. A reversal within
the requester's dollar authority is made at once; above it, it waits for an approver whose
authority covers it and who is not the requester (kernel/approval.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.collections.ladder.domain import notice_id
from services.collections.policy.domain import LateCharge, late_charge


@dataclass(frozen=True, slots=True)
class StepFacts:
    """What the ladder knows of a bill when it takes a step."""

    account_id: uuid.UUID
    bill_id: uuid.UUID
    step: str
    open_amount: Decimal   # what is still open of this bill
    prior: Decimal         # what is open of the account's older debits


@dataclass(frozen=True, slots=True)
class Charge:
    notice_id: uuid.UUID
    account_id: uuid.UUID
    bill_id: uuid.UUID
    step: str
    amount: Decimal
    assessed_on: date


def charges(rule: LateCharge, steps: list[StepFacts], today: date) -> list[Charge]:
    """The charges the steps taken today assess: at the policy's `at_steps`, by its formula
    over the past-due bill (`current_and_prior`: this bill's open amount as the current
    charges, the account's older open debits as the prior balance); nothing of zero."""
    out: list[Charge] = []
    for f in steps:
        if f.step not in rule.at_steps:
            continue
        amount = late_charge(rule, f.open_amount, f.open_amount, f.prior)
        if amount > 0:
            out.append(Charge(notice_id(f.bill_id, f.step), f.account_id, f.bill_id, f.step,
                              amount, today))
    return out


def reversal_amount(charged: Decimal, asked: Decimal | None) -> Decimal:
    """The amount a reversal takes back: the whole charge unless less is asked; never more."""
    amount = charged if asked is None else asked
    if amount <= 0 or amount > charged:
        raise ValueError(f"a reversal is more than 0 and at most the charge ({charged})")
    return amount
