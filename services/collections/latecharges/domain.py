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
from services.collections.policy.domain import ZERO, LateCharge, interest_part, late_charge


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
    #: Interest left out of `amount` (SB 998's low-income waiver), else zero.
    waived_interest: Decimal = ZERO


def charges(rule: LateCharge, steps: list[StepFacts], today: date,
            waivable: frozenset[uuid.UUID] = frozenset()) -> list[Charge]:
    """The charges the steps taken today assess: at the policy's `at_steps`, by its formula
    over the past-due bill (`current_and_prior`: this bill's open amount as the current
    charges, the account's older open debits as the prior balance); nothing of zero.

    An account in `waivable` (a low-income household whose last waiver is older than the
    policy's months) has the interest of its first charge today left out: one waiver, however
    many of its bills step today. A charge that was all interest is then no charge, and its
    waiver is still used (`assess_steps` also says whose)."""
    return assess_steps(rule, steps, today, waivable)[0]


def assess_steps(rule: LateCharge, steps: list[StepFacts], today: date,
                 waivable: frozenset[uuid.UUID] = frozenset()
                 ) -> tuple[list[Charge], list[uuid.UUID]]:
    """`charges`, and the accounts whose waiver these charges used."""
    out: list[Charge] = []
    waived: list[uuid.UUID] = []
    for f in steps:
        if f.step not in rule.at_steps:
            continue
        amount = late_charge(rule, f.open_amount, f.open_amount, f.prior)
        interest = ZERO
        if f.account_id in waivable and f.account_id not in waived:
            interest = interest_part(rule, f.open_amount, f.open_amount, f.prior)
            if interest > 0:
                waived.append(f.account_id)
                amount -= interest
        if amount > 0:
            out.append(Charge(notice_id(f.bill_id, f.step), f.account_id, f.bill_id, f.step,
                              amount, today, interest))
    return out, waived


def reversal_amount(charged: Decimal, asked: Decimal | None) -> Decimal:
    """The amount a reversal takes back: the whole charge unless less is asked; never more."""
    amount = charged if asked is None else asked
    if amount <= 0 or amount > charged:
        raise ValueError(f"a reversal is more than 0 and at most the charge ({charged})")
    return amount
