"""SB 998's rules on a disconnection for non-payment, as functions of facts and a day (pure).

Every rule that forbids the step on `today` answers with a `Refusal` naming the rule (the
names of `policy/domain.py`'s floors) and the first day it would allow the step, or None when
no day can be named (an open appeal ends when billing decides it, not on a date). The step is
allowed only when no rule refuses it. The statute's numbers are used here, not the policy's:
the policy may be stricter in what its letters promise (it is checked against these floors when
it loads), but a guardrail refuses only what the law forbids.

Applies to the three moments of a disconnect order: created, released to the field, completed
by the technician; each is checked again on its own day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from services.collections.policy.calendar import BusinessCalendar

ACTIONS: tuple[str, ...] = ("create", "release", "complete")

#: SB 998's numbers (Health and Safety Code §116900 ff.; DOMAIN.md).
DELINQUENT_DAYS = 60
NOTICE_BUSINESS_DAYS = 7
VISIT_HOURS = 48
FINAL_NOTICE_BUSINESS_DAYS = 5
TENANT_NOTICE_DAYS = 10
TENANT_NOTICE_DETACHED_DAYS = 7

RULES: tuple[str, ...] = (
    "sb998.delinquent_60_days",
    "sb998.notice_7_business_days",
    "sb998.notice_named_date",
    "sb998.visit_48_hours",
    "sb998.open_appeal",
    "sb998.closed_day",
    "sb998.medical_financial_willing",
    "sb998.arrangement_kept",
    "sb998.broken_arrangement_final_notice",
    "sb998.tenant_notice",
)


@dataclass(frozen=True, slots=True)
class Refusal:
    rule: str
    message: str
    next_on: date | None
    #: What the customer is offered instead (`arrangement` when SB 998 says one must be).
    offer: str | None = None


@dataclass(frozen=True, slots=True)
class Household:
    """The household's protections in force (see `protections/`)."""

    medical_certified_on: date | None = None
    medical_expires_on: date | None = None
    financially_unable: bool = False
    willing_to_arrange: bool = False
    reached_on: date | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the rules look at for one account, gathered by `guardrails/service.py`."""

    past_due: Decimal = Decimal("0.00")
    #: The due date of the oldest debit still open (aging's `oldest_due`).
    oldest_due: date | None = None
    #: When the written shut-off notice was released (notices), and the date it named.
    shutoff_notice_on: date | None = None
    disconnect_on: date | None = None
    #: When the last door tag was left at the residence (the technician completed it).
    door_tag_left_at: datetime | None = None
    open_appeals: int = 0
    household: Household = Household()
    #: The arrangement's standing: 'none', 'active', 'broken', 'completed'.
    arrangement: str = "none"
    broken_on: date | None = None
    final_notice_on: date | None = None
    #: The landlord is the customer: tenants must be told (multi-unit: 10 days, detached: 7).
    landlord_tenants: str | None = None  # None | 'multi_unit' | 'detached'
    tenant_notice_on: date | None = None


def medical_in_force(h: Household, today: date) -> bool:
    return (h.medical_certified_on is not None and h.medical_certified_on <= today
            and (h.medical_expires_on is None or today <= h.medical_expires_on))


def visit_allows_on(left_at: datetime, hours: int = VISIT_HOURS) -> date:
    """The first day that begins at least `hours` after the door tag was left (in the zone of
    `left_at`): a disconnection any time that day keeps the 48 hours."""
    end = left_at + timedelta(hours=hours)
    midnight = end.hour == 0 and end.minute == 0 and end.second == 0 and end.microsecond == 0
    return end.date() if midnight else end.date() + timedelta(days=1)


def refusals(f: Facts, today: date, cal: BusinessCalendar) -> list[Refusal]:
    """Every rule that forbids disconnecting on `today`, in the order a supervisor reads them."""
    out: list[Refusal] = []
    broken = f.arrangement == "broken"

    # 60 days delinquent.
    if f.past_due <= 0 or f.oldest_due is None:
        out.append(Refusal("sb998.delinquent_60_days", "Nothing is past due", None))
    elif (today - f.oldest_due).days < DELINQUENT_DAYS:
        allowed = f.oldest_due + timedelta(days=DELINQUENT_DAYS)
        out.append(Refusal("sb998.delinquent_60_days",
                           f"Delinquent {(today - f.oldest_due).days} days (since "
                           f"{f.oldest_due}); SB 998 needs {DELINQUENT_DAYS}", allowed))

    # The written notice at least 7 business days before (a broken arrangement's own final
    # notice takes its place: below).
    if not broken:
        if f.shutoff_notice_on is None:
            out.append(Refusal("sb998.notice_7_business_days",
                               "No shut-off notice has been released", None))
        else:
            given = cal.business_days_between(f.shutoff_notice_on, today)
            if given < NOTICE_BUSINESS_DAYS:
                out.append(Refusal(
                    "sb998.notice_7_business_days",
                    f"The shut-off notice released {f.shutoff_notice_on} has given {given} "
                    f"business days; SB 998 needs {NOTICE_BUSINESS_DAYS}",
                    cal.add_business_days(f.shutoff_notice_on, NOTICE_BUSINESS_DAYS)))
        if f.disconnect_on is not None and today < f.disconnect_on:
            out.append(Refusal("sb998.notice_named_date",
                               f"The notice names {f.disconnect_on}; not before it",
                               f.disconnect_on))

    # 48 hours' notice left at the residence, when the customer was not reached. A broken
    # arrangement's final notice is itself posted at the premise: that posting is the visit.
    reached = (f.household.reached_on is not None and f.shutoff_notice_on is not None
               and f.household.reached_on >= f.shutoff_notice_on
               and f.household.reached_on <= today)
    posted = broken and f.final_notice_on is not None and f.final_notice_on <= today
    if not reached and not posted:
        if f.door_tag_left_at is None:
            out.append(Refusal("sb998.visit_48_hours",
                               "The customer was not reached and no door tag has been left",
                               None))
        else:
            allowed = visit_allows_on(f.door_tag_left_at)
            if today < allowed:
                out.append(Refusal("sb998.visit_48_hours",
                                   f"The door tag was left {f.door_tag_left_at:%Y-%m-%d %H:%M}; "
                                   f"SB 998 needs {VISIT_HOURS} hours", allowed))

    if f.open_appeals:
        out.append(Refusal("sb998.open_appeal",
                           f"{f.open_appeals} appeal(s) or bill investigation(s) open", None))

    if not cal.is_business_day(today):
        why = "a weekend" if today.weekday() >= 5 else (cal.holiday_name(today) or "closed")
        out.append(Refusal("sb998.closed_day", f"{today} is {why}",
                           cal.next_business_day(today)))

    h = f.household
    if medical_in_force(h, today) and h.financially_unable and h.willing_to_arrange:
        ends = h.medical_expires_on + timedelta(days=1) if h.medical_expires_on else None
        out.append(Refusal("sb998.medical_financial_willing",
                           "Medical certification, financial inability and willingness to "
                           "arrange: an arrangement must be offered instead", ends,
                           offer="arrangement"))

    if f.arrangement == "active":
        out.append(Refusal("sb998.arrangement_kept", "An arrangement is being kept", None))
    elif broken:
        if f.final_notice_on is None:
            out.append(Refusal("sb998.broken_arrangement_final_notice",
                               f"The arrangement broke {f.broken_on}; no final notice has been "
                               "posted at the premise", None))
        else:
            given = cal.business_days_between(f.final_notice_on, today)
            if given < FINAL_NOTICE_BUSINESS_DAYS:
                out.append(Refusal(
                    "sb998.broken_arrangement_final_notice",
                    f"The final notice posted {f.final_notice_on} has given {given} business "
                    f"days; SB 998 needs {FINAL_NOTICE_BUSINESS_DAYS}",
                    cal.add_business_days(f.final_notice_on, FINAL_NOTICE_BUSINESS_DAYS)))

    if f.landlord_tenants is not None:
        days = (TENANT_NOTICE_DAYS if f.landlord_tenants == "multi_unit"
                else TENANT_NOTICE_DETACHED_DAYS)
        if f.tenant_notice_on is None:
            out.append(Refusal("sb998.tenant_notice",
                               "The landlord is the customer and the tenants have not been "
                               "given notice", None))
        elif (today - f.tenant_notice_on).days < days:
            out.append(Refusal("sb998.tenant_notice",
                               f"Tenants were given notice {f.tenant_notice_on}; SB 998 needs "
                               f"{days} days", f.tenant_notice_on + timedelta(days=days)))
    return out


def next_allowed(found: list[Refusal], today: date, cal: BusinessCalendar) -> date | None:
    """The first day every refusal names as allowed, moved to a business day (None when one
    refusal names no day: a fact must change first). Today when nothing refuses."""
    if not found:
        return today
    if any(r.next_on is None for r in found):
        return None
    day = max(r.next_on for r in found if r.next_on is not None)
    return cal.next_business_day(day)


def tenants_of(landlord_is_customer: bool, kind: str | None, dwelling_units: int | None,
               residential: bool = True) -> str | None:
    """Whether tenants must be told before disconnecting: only where the landlord (the owner of
    the premise) is the customer; a building of several dwellings is `multi_unit`, a house of
    one is `detached`."""
    if not landlord_is_customer or not residential:
        return None
    if (dwelling_units or 1) > 1 or kind in ("multi_family", "mobile_home_park"):
        return "multi_unit"
    return "detached"
