"""The delinquency policy: the shipped file loads; every SB 998 floor refuses a policy that
would break it, naming the rule; the business-day calendar and the late-charge formula."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from services.collections.policy import domain
from services.collections.policy.calendar import BusinessCalendar
from services.collections.policy.domain import LateCharge, PolicyRefused, late_charge
from services.collections.policy.service import DEFAULT_PATH, parse

D = Decimal
SHIPPED = DEFAULT_PATH.read_text()


def with_setting(section: str, name: str, value: str) -> str:
    """The shipped policy with one setting changed (the line `name = ...` in `[section]`)."""
    head, sep, rest = SHIPPED.partition(f"[{section}]")
    assert sep, section
    rest, n = re.subn(rf"(?m)^{name}\s*=.*$", f"{name} = {value}", rest, count=1)
    assert n == 1, name
    return head + sep + rest


def test_the_shipped_policy_loads_and_keeps_every_floor():
    p = parse(SHIPPED)
    assert p.ladder.disconnect_after_days >= 60 and domain.breaches(p) == []
    assert p.calendar.closures == ()


@pytest.mark.parametrize(("section", "name", "bad", "good", "rule"), [
    ("ladder", "disconnect_after_days", "59", "60", "sb998.delinquent_60_days"),
    ("ladder", "shutoff_notice_business_days", "6", "7", "sb998.notice_7_business_days"),
    ("ladder", "door_tag_hours", "47", "48", "sb998.visit_48_hours"),
    ("reconnection", "low_income_office_hours_fee", '"50.01"', '"50.00"',
     "sb998.low_income_reconnection_office_hours"),
    ("reconnection", "low_income_after_hours_fee", '"150.01"', '"150.00"',
     "sb998.low_income_reconnection_after_hours"),
    ("reconnection", "low_income_interest_waiver_months", "13", "12",
     "sb998.low_income_interest_waiver_12_months"),
    ("tenants", "multi_unit_notice_days", "9", "10", "sb998.tenant_notice_10_days"),
    ("tenants", "detached_house_notice_days", "6", "7", "sb998.tenant_notice_detached_7_days"),
    ("arrangements", "broken_after_days", "59", "60", "sb998.broken_arrangement_60_days"),
    ("arrangements", "final_notice_business_days", "4", "5",
     "sb998.broken_arrangement_final_notice_5_business_days"),
])
def test_a_policy_below_an_sb998_floor_is_refused_with_the_rule_it_breaks(
        section, name, bad, good, rule):
    with pytest.raises(PolicyRefused) as refused:
        parse(with_setting(section, name, bad))
    assert refused.value.rule == rule
    assert [b.rule for b in refused.value.breaches] == [rule]
    assert rule in str(refused.value) and name in str(refused.value)
    assert domain.breaches(parse(with_setting(section, name, good))) == []  # the floor itself


def test_the_low_income_caps_are_indexed_by_configuration():
    indexed = with_setting("reconnection", "cap_index", '"1.1"')
    p = parse(with_setting("reconnection", "low_income_office_hours_fee", '"55.00"')
              .replace('cap_index = "1"', 'cap_index = "1.1"'))
    assert p.reconnection.low_income_office_hours_fee == D("55.00")
    with pytest.raises(PolicyRefused) as refused:
        parse(indexed.replace('low_income_after_hours_fee = "150.00"',
                              'low_income_after_hours_fee = "165.01"'))
    assert refused.value.rule == "sb998.low_income_reconnection_after_hours"
    assert "165.00" in str(refused.value)


def test_every_broken_rule_is_listed_and_the_first_named():
    text = with_setting("ladder", "disconnect_after_days", "45")
    text = text.replace("multi_unit_notice_days = 10", "multi_unit_notice_days = 3")
    with pytest.raises(PolicyRefused) as refused:
        parse(text)
    rules = [b.rule for b in refused.value.breaches]
    assert refused.value.rule == "sb998.delinquent_60_days"
    # 45 days also puts disconnection before the shut-off notice (day 50)
    assert rules == ["sb998.delinquent_60_days", "sb998.tenant_notice_10_days",
                     "policy.ladder_order"]


@pytest.mark.parametrize(("text", "says"), [
    (SHIPPED.replace('percent = "1.5"', "percent = 1.5"), "as a string"),
    (SHIPPED + "\n[ladder_extra]\nx = 1\n", "ladder_extra"),
    (SHIPPED.replace("door_tag_hours = 48", "door_tag_hour = 48"), "door_tag_hour"),
    ("[ladder\n", "policy"),
])
def test_a_file_that_is_not_a_policy_is_refused_as_invalid(text, says):
    with pytest.raises(PolicyRefused) as refused:
        parse(text)
    assert refused.value.rule == "policy.invalid" and says in str(refused.value)


def test_late_charge_minimum_above_its_maximum_is_refused():
    with pytest.raises(PolicyRefused) as refused:
        parse(with_setting("late_charge", "minimum", '"60.00"'))
    assert refused.value.rule == "policy.late_charge_range"


def test_the_service_refuses_to_start_on_a_policy_that_breaks_a_floor(tmp_path: Path,
                                                                       monkeypatch):
    from kernel.settings import get_settings
    from services.collections.app import create_app
    from services.collections.policy import service

    bad = tmp_path / "policy.toml"
    bad.write_text(with_setting("ladder", "shutoff_notice_business_days", "5"))
    monkeypatch.setenv("TAPLINE_COLLECTIONS_POLICY", str(bad))
    get_settings.cache_clear()
    try:
        assert service.policy_path() == bad
        with pytest.raises(PolicyRefused) as refused:
            create_app()
        assert refused.value.rule == "sb998.notice_7_business_days"
    finally:
        monkeypatch.delenv("TAPLINE_COLLECTIONS_POLICY")
        get_settings.cache_clear()
    assert service.policy_path() == DEFAULT_PATH


# ---- the business-day calendar -----------------------------------------------------------------

def test_weekends_california_holidays_and_office_closures_are_not_business_days():
    cal = BusinessCalendar(closures=[date(2026, 12, 24)])
    assert cal.is_business_day(date(2026, 3, 30))
    assert not cal.is_business_day(date(2026, 3, 31))      # Cesar Chavez Day (California)
    assert not cal.is_business_day(date(2026, 11, 27))     # the day after Thanksgiving
    assert not cal.is_business_day(date(2026, 7, 3))       # Independence Day, observed
    assert not cal.is_business_day(date(2026, 3, 28))      # a Saturday
    assert not cal.is_business_day(date(2026, 12, 24))     # the office is closed
    assert cal.holiday_name(date(2026, 12, 24)) == "office closed"
    assert cal.holiday_name(date(2026, 3, 31)) == "Cesar Chavez Day"
    assert BusinessCalendar().is_business_day(date(2026, 12, 24))


def test_seven_business_days_of_notice_skip_the_weekend_and_the_holiday():
    cal = BusinessCalendar()
    # a notice on Thursday 26 March 2026: Fri 27, Mon 30, (Tue 31 holiday), Wed 1 .. Tue 7 April
    assert cal.add_business_days(date(2026, 3, 26), 7) == date(2026, 4, 7)
    assert cal.business_days_between(date(2026, 3, 26), date(2026, 4, 6)) == 6
    assert cal.business_days_between(date(2026, 3, 26), date(2026, 4, 7)) == 7
    assert cal.add_business_days(date(2026, 4, 7), -7) == date(2026, 3, 26)
    assert cal.next_business_day(date(2026, 11, 26)) == date(2026, 11, 30)


# ---- late charge -------------------------------------------------------------------------------

@pytest.mark.parametrize(("rule", "past_due", "current", "prior", "expected"), [
    (LateCharge(method="flat", flat=D("10.00")), "80.00", "0", "0", "10.00"),
    (LateCharge(method="flat", flat=D("10.00")), "0.00", "0", "0", "0.00"),
    (LateCharge(method="percent_of_past_due", percent=D("1.5")), "123.30", "0", "0", "1.85"),
    (LateCharge(method="percent_of_past_due", percent=D("1.5"), minimum=D("5.00")),
     "123.30", "0", "0", "5.00"),
    (LateCharge(method="percent_of_past_due", percent=D("10"), maximum=D("25.00")),
     "400.00", "0", "0", "25.00"),
    # 2% of 45.25 = 0.905 -> 0.91 and 1% of 100.50 = 1.005 -> 1.01, each half-up at its line
    (LateCharge(method="current_and_prior", current_percent=D("2"), prior_percent=D("1")),
     "100.50", "45.25", "100.50", "1.92"),
])
def test_the_late_charge_formula(rule, past_due, current, prior, expected):
    assert late_charge(rule, D(past_due), D(current), D(prior)) == D(expected)
