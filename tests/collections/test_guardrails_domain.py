"""SB 998's guardrails as pure rules: each rule is tried against a disconnection it forbids and
refuses it by name with the day it next allows it; the same facts a day later (or with the
fact changed) pass. No database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from services.collections.guardrails.domain import (
    RULES,
    Facts,
    Household,
    next_allowed,
    refusals,
    tenants_of,
    visit_allows_on,
)
from services.collections.policy.calendar import BusinessCalendar

CAL = BusinessCalendar()
# Tuesday 2026-03-17: a business day, 75 days after a bill due 2026-01-01.
DAY = date(2026, 3, 17)
OK = Facts(past_due=Decimal("120.00"), oldest_due=date(2026, 1, 1),
           shutoff_notice_on=date(2026, 3, 2), disconnect_on=DAY,
           door_tag_left_at=datetime(2026, 3, 13, 15, 0, tzinfo=UTC))


def rules(f: Facts, day: date = DAY) -> list[str]:
    return [r.rule for r in refusals(f, day, CAL)]


def only(f: Facts, day: date = DAY):
    found = refusals(f, day, CAL)
    assert len(found) == 1, found
    return found[0]


def test_a_disconnection_every_rule_allows_is_allowed():
    assert refusals(OK, DAY, CAL) == []
    assert next_allowed([], DAY, CAL) == DAY


def test_under_60_days_delinquent_is_refused_until_the_60th_day():
    f = replace(OK, oldest_due=date(2026, 1, 20))  # 56 days on DAY
    r = only(f)
    assert r.rule == "sb998.delinquent_60_days"
    assert r.next_on == date(2026, 3, 21)
    assert rules(f, date(2026, 3, 23)) == []  # the Monday after: 62 days


def test_nothing_past_due_is_never_disconnected():
    r = only(replace(OK, past_due=Decimal("0.00"), oldest_due=None))
    assert (r.rule, r.next_on) == ("sb998.delinquent_60_days", None)


def test_a_notice_given_under_7_business_days_before_is_refused():
    f = replace(OK, shutoff_notice_on=date(2026, 3, 10))  # Tue: 5 business days by DAY
    r = only(f)
    assert r.rule == "sb998.notice_7_business_days"
    assert r.next_on == date(2026, 3, 19)
    assert rules(f, date(2026, 3, 19)) == []


def test_business_days_skip_a_california_holiday():
    # Released Thursday 2026-03-26; Cesar Chavez Day (Tue 2026-03-31) is not a business day.
    f = replace(OK, shutoff_notice_on=date(2026, 3, 26), disconnect_on=None,
                door_tag_left_at=datetime(2026, 4, 2, 9, tzinfo=UTC))
    assert only(f, date(2026, 4, 6)).next_on == date(2026, 4, 7)
    assert rules(f, date(2026, 4, 7)) == []


def test_no_notice_at_all_is_refused():
    r = only(replace(OK, shutoff_notice_on=None))
    assert (r.rule, r.next_on) == ("sb998.notice_7_business_days", None)


def test_not_before_the_date_the_notice_names():
    r = only(replace(OK, disconnect_on=date(2026, 3, 18)))
    assert (r.rule, r.next_on) == ("sb998.notice_named_date", date(2026, 3, 18))


def test_a_door_tag_left_under_48_hours_before_is_refused():
    f = replace(OK, door_tag_left_at=datetime(2026, 3, 15, 15, 0, tzinfo=UTC))
    r = only(f)
    assert r.rule == "sb998.visit_48_hours"
    assert r.next_on == date(2026, 3, 18)  # 48 hours end 03-17 15:00: the whole 18th is after


def test_48_hours_ending_at_midnight_allow_that_day():
    assert visit_allows_on(datetime(2026, 3, 15, 0, 0, tzinfo=UTC)) == date(2026, 3, 17)
    assert visit_allows_on(datetime(2026, 3, 15, 0, 1, tzinfo=UTC)) == date(2026, 3, 18)


def test_no_door_tag_when_the_customer_was_not_reached_is_refused():
    r = only(replace(OK, door_tag_left_at=None))
    assert (r.rule, r.next_on) == ("sb998.visit_48_hours", None)


def test_a_customer_reached_after_the_notice_needs_no_door_tag():
    f = replace(OK, door_tag_left_at=None,
                household=Household(reached_on=date(2026, 3, 5)))
    assert rules(f) == []
    # reached before this notice: that call was about something else
    assert rules(replace(f, household=Household(reached_on=date(2026, 2, 1)))) == [
        "sb998.visit_48_hours"]


def test_an_open_appeal_is_refused_with_no_date():
    r = only(replace(OK, open_appeals=1))
    assert (r.rule, r.next_on) == ("sb998.open_appeal", None)


@pytest.mark.parametrize("day,why", [
    (date(2026, 3, 21), "weekend"), (date(2026, 3, 22), "weekend"),
    (date(2026, 3, 31), "Chavez"), (date(2026, 11, 27), "Thanksgiving"),
])
def test_weekends_and_california_holidays_are_refused(day, why):
    f = replace(OK, disconnect_on=None)
    r = only(f, day)
    assert r.rule == "sb998.closed_day"
    assert why in r.message or why == "weekend" and "weekend" in r.message
    assert r.next_on == CAL.next_business_day(day) and r.next_on > day


def test_a_day_the_office_is_closed_is_refused():
    cal = BusinessCalendar([DAY])
    found = refusals(OK, DAY, cal)
    assert [r.rule for r in found] == ["sb998.closed_day"]
    assert found[0].next_on == date(2026, 3, 18)


def test_medical_financial_and_willing_refuse_and_offer_an_arrangement():
    h = Household(medical_certified_on=date(2026, 3, 1), medical_expires_on=date(2026, 5, 30),
                  financially_unable=True, willing_to_arrange=True)
    r = only(replace(OK, household=h))
    assert (r.rule, r.offer, r.next_on) == (
        "sb998.medical_financial_willing", "arrangement", date(2026, 5, 31))
    # any one of the three missing: SB 998 does not forbid it
    for partial in (replace(h, financially_unable=False), replace(h, willing_to_arrange=False),
                    replace(h, medical_certified_on=None)):
        assert rules(replace(OK, household=partial)) == []
    # the certification lapsed
    assert rules(replace(OK, household=replace(h, medical_expires_on=date(2026, 3, 16)))) == []


def test_an_arrangement_being_kept_is_refused():
    r = only(replace(OK, arrangement="active"))
    assert (r.rule, r.next_on) == ("sb998.arrangement_kept", None)
    assert rules(replace(OK, arrangement="completed")) == []


def test_a_broken_arrangement_needs_its_final_notice_5_business_days_before():
    broken = replace(OK, arrangement="broken", broken_on=date(2026, 3, 2),
                     shutoff_notice_on=None, disconnect_on=None)
    r = only(broken)
    assert (r.rule, r.next_on) == ("sb998.broken_arrangement_final_notice", None)
    posted = replace(broken, final_notice_on=date(2026, 3, 12))  # Thu: 3 business days
    r = only(posted)
    assert (r.rule, r.next_on) == ("sb998.broken_arrangement_final_notice", date(2026, 3, 19))
    assert rules(posted, date(2026, 3, 19)) == []


def test_a_broken_arrangements_final_notice_posted_at_the_premise_is_its_visit():
    broken = replace(OK, arrangement="broken", broken_on=date(2026, 3, 2),
                     shutoff_notice_on=None, disconnect_on=None, door_tag_left_at=None)
    assert rules(broken) == ["sb998.visit_48_hours", "sb998.broken_arrangement_final_notice"]
    assert rules(replace(broken, final_notice_on=date(2026, 3, 10))) == []
    # without a broken arrangement, a notice is no visit
    assert "sb998.visit_48_hours" in rules(replace(OK, door_tag_left_at=None))


def test_tenants_of_a_landlord_customer_need_10_days_notice_7_in_a_detached_house():
    multi = replace(OK, landlord_tenants="multi_unit", tenant_notice_on=date(2026, 3, 9))
    r = only(multi)
    assert (r.rule, r.next_on) == ("sb998.tenant_notice", date(2026, 3, 19))
    detached = replace(multi, landlord_tenants="detached")
    assert rules(detached) == []  # 8 days >= 7
    assert only(replace(detached, tenant_notice_on=None)).rule == "sb998.tenant_notice"


def test_which_premises_have_tenants_to_tell():
    assert tenants_of(True, "multi_family", 4) == "multi_unit"
    assert tenants_of(True, "single_family", 1) == "detached"
    assert tenants_of(False, "multi_family", 4) is None
    assert tenants_of(True, "commercial", 1, residential=False) is None


def test_every_refusal_names_one_of_the_rules_and_the_latest_day_wins():
    f = replace(OK, oldest_due=date(2026, 1, 20), shutoff_notice_on=date(2026, 3, 10),
                open_appeals=0)
    found = refusals(f, DAY, CAL)
    assert {r.rule for r in found} <= set(RULES)
    assert next_allowed(found, DAY, CAL) == date(2026, 3, 23)  # Sat 21st -> Monday
    assert next_allowed(refusals(replace(f, open_appeals=2), DAY, CAL), DAY, CAL) is None


def test_each_named_rule_has_a_test_here():
    import inspect
    import sys

    text = inspect.getsource(sys.modules[__name__])
    assert all(rule in text for rule in RULES)
