"""The delinquency ladder's rules (pure, no I/O).

A bill that is past due climbs the ladder one step at a time, in order: reminder, first notice,
second notice (with the late charge, per the policy's `at_steps`), shut-off notice. A step is
due `days` after the bill's due date, and never sooner after the step before it than the policy
spaces them (so a bill that falls behind late, e.g. after a returned payment, still gets each
letter with the policy's time between them). The shut-off notice names the disconnect date:
the first business day that is both `disconnect_after_days` after the due date (SB 998: at least
60 days delinquent) and `shutoff_notice_business_days` business days after the notice (SB 998:
at least 7).

The daily statement (`repository.ADVANCE`) applies these rules set-based; `next_step` and
`disconnect_on` here are the same rules for one bill, and the tests hold the two to each other.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from services.collections.notices.domain import NoticeRequest
from services.collections.policy.calendar import BusinessCalendar
from services.collections.policy.domain import Ladder

STEPS: tuple[str, ...] = ("reminder", "first_notice", "second_notice", "shutoff_notice")
#: Where a notice's id comes from: the same bill and step always give the same id, so billing
#: posts its late charge once however often it is announced.
NOTICE_NAMESPACE = uuid.UUID("5b0f7a52-3c1e-4d0a-9a57-1adde4c0a998")


def schedule(p: Ladder) -> tuple[tuple[str, int], ...]:
    """Each step with its days after the due date, in order."""
    return (("reminder", p.reminder_days), ("first_notice", p.first_notice_days),
            ("second_notice", p.second_notice_days), ("shutoff_notice", p.shutoff_notice_days))


def notice_id(bill_id: uuid.UUID, step: str) -> uuid.UUID:
    """The late charge's (and its letter's) id for one bill and step."""
    return uuid.uuid5(NOTICE_NAMESPACE, f"{bill_id}:{step}")


@dataclass(frozen=True, slots=True)
class Taken:
    step: str
    taken_on: date


def next_step(p: Ladder, due_date: date, taken: list[Taken], today: date) -> str | None:
    """The step a past-due bill takes today, if any (one step a day at most)."""
    sched = schedule(p)
    done = {t.step for t in taken}
    for i, (step, days) in enumerate(sched):
        if step in done:
            continue
        if today < due_date + timedelta(days=days):
            return None
        if i:
            prev_step, prev_days = sched[i - 1]
            prev = next((t for t in taken if t.step == prev_step), None)
            if prev is None or today < prev.taken_on + timedelta(days=days - prev_days):
                return None
        return step
    return None


def disconnect_on(p: Ladder, cal: BusinessCalendar, due_date: date, notice_on: date) -> date:
    """The date a shut-off notice given on `notice_on` names: SB 998's 60 days delinquent
    (the policy's `disconnect_after_days`, at least 60) and 7 business days' written notice
    (the policy's `shutoff_notice_business_days`, at least 7), on a business day."""
    earliest = max(due_date + timedelta(days=p.disconnect_after_days),
                   cal.add_business_days(notice_on, p.shutoff_notice_business_days))
    return cal.next_business_day(earliest)


def business_days(cal: BusinessCalendar, p: Ladder, today: date
                  ) -> tuple[date, list[date], list[date]]:
    """What the daily statement needs of the calendar: the earliest date a notice given today
    allows, and for each day from it on, the next business day (inclusive)."""
    first = cal.add_business_days(today, p.shutoff_notice_business_days)
    # A shut-off notice is taken at least `shutoff_notice_days` after the due date, so the
    # date it names is at most `disconnect_after_days - shutoff_notice_days` after `first`.
    span = max(p.disconnect_after_days - p.shutoff_notice_days, 0) + 40
    days = [first + timedelta(days=i) for i in range(span)]
    return first, days, [cal.next_business_day(d) for d in days]


def letter(account_id: uuid.UUID, bill_id: uuid.UUID, step: str, past_due: Decimal,
           disconnect: date | None, late_charge: Decimal | None) -> NoticeRequest:
    """The letter a step sends (the kind is the step's name): the amount past due, the
    disconnect date a shut-off notice names, the late charge a step assessed (a `late_charge`
    detail row). Referenced by the bill, so each bill gets each letter once."""
    return NoticeRequest(
        account_id=account_id, kind=step, reference=f"bill:{bill_id}", amount=past_due,
        action_on=disconnect, bill_id=bill_id,
        details=(("late_charge", str(late_charge)),) if late_charge else ())
