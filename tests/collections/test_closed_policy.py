"""The policy's sections for closed accounts, the collection agency and tax-roll liens: loaded
with the shipped file, each bound refused with its rule's name."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.collections.policy import domain
from services.collections.policy.domain import PolicyRefused
from services.collections.policy.service import parse
from tests.collections.test_policy import SHIPPED, with_setting


def test_the_shipped_policy_works_closed_accounts_the_agency_and_liens():
    p = parse(SHIPPED)
    assert (p.closed_accounts.grace_days, p.closed_accounts.letter_2_days,
            p.closed_accounts.referral_days) == (10, 30, 30)
    assert p.agency.commission_percent == Decimal("25")
    assert p.agency.fee_added_to_debt is False
    assert (p.liens.minimum_amount, p.liens.notice_days) == (Decimal("100.00"), 30)


def test_owners_are_told_at_least_ten_days_before_the_lien_list():
    with pytest.raises(PolicyRefused) as refused:
        parse(with_setting("liens", "notice_days", "9"))
    assert refused.value.rule == "policy.lien_notice_10_days"
    assert domain.breaches(parse(with_setting("liens", "notice_days", "10"))) == []


def test_an_account_too_small_to_work_is_never_referred_to_the_agency():
    with pytest.raises(PolicyRefused) as refused:
        parse(with_setting("agency", "minimum_referral", '"4.99"'))
    assert refused.value.rule == "policy.agency_minimum"
    assert domain.breaches(parse(with_setting("agency", "minimum_referral", '"5.00"'))) == []


@pytest.mark.parametrize(("section", "name", "value", "says"), [
    ("agency", "commission_percent", "25.0", "string"),
    ("agency", "commission_percent", '"101"', "less than or equal to 100"),
    ("closed_accounts", "letter_2_days", "0", "greater than or equal to 1"),
    ("agency", "fee_added_to_debt", '"maybe"', "fee_added_to_debt"),
])
def test_malformed_closed_account_settings_are_refused_as_invalid(section, name, value, says):
    with pytest.raises(PolicyRefused) as refused:
        parse(with_setting(section, name, value))
    assert refused.value.rule == "policy.invalid" and says in str(refused.value)
