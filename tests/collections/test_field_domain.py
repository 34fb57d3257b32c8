"""Field orders' pure rules: when a door tag is left, the reconnection fee with SB 998's
low-income caps (indexed), the annual report's months."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from services.collections.field import domain
from services.collections.guardrails.domain import visit_allows_on
from services.collections.policy.domain import Reconnection


def test_a_door_tag_left_any_hour_of_its_day_gives_48_hours_by_the_disconnect_date():
    d = date(2026, 3, 17)
    tag = domain.door_tag_day(d, 48)
    assert tag == date(2026, 3, 14)
    for hour in (0, 8, 17, 23):
        assert visit_allows_on(datetime.combine(tag, datetime.min.time(), UTC)
                               + timedelta(hours=hour, minutes=59)) <= d
    assert domain.door_tag_day(d, 72) == date(2026, 3, 13)


def test_the_fee_is_the_districts_and_low_income_households_pay_at_most_the_cap():
    r = Reconnection(office_hours_fee=Decimal("75.00"), after_hours_fee=Decimal("200.00"))
    assert domain.reconnection_fee(r, False, False) == Decimal("75.00")
    assert domain.reconnection_fee(r, False, True) == Decimal("200.00")
    assert domain.reconnection_fee(r, True, False) == Decimal("50.00")
    assert domain.reconnection_fee(r, True, True) == Decimal("150.00")


def test_the_caps_are_indexed_and_a_lower_district_fee_stays_lower():
    r = Reconnection(office_hours_fee=Decimal("80.00"), after_hours_fee=Decimal("240.00"),
                     low_income_office_hours_fee=Decimal("53.10"),
                     low_income_after_hours_fee=Decimal("159.30"), cap_index=Decimal("1.062"))
    assert domain.reconnection_fee(r, True, False) == Decimal("53.10")
    assert domain.reconnection_fee(r, True, True) == Decimal("159.30")
    cheap = Reconnection(office_hours_fee=Decimal("30.00"), after_hours_fee=Decimal("90.00"))
    assert domain.reconnection_fee(cheap, True, False) == Decimal("30.00")


def test_only_the_supervisor_who_did_not_request_it_approves_a_door_tag():
    assert domain.may_approve("awaiting_approval", "collections-daily", "sam") is None
    assert domain.may_approve("awaiting_approval", "sam", "sam") is not None
    assert domain.may_approve("released", "collections-daily", "sam") is not None


def test_the_annual_report_has_twelve_months_and_counts_only_its_year():
    months = domain.by_month([date(2026, 3, 2), date(2026, 3, 9), date(2025, 12, 31)],
                             [date(2026, 4, 1)], 2026)
    assert len(months) == 12
    assert (months[2].disconnections, months[3].restorations) == (2, 1)
    assert sum(m.disconnections for m in months) == 2
