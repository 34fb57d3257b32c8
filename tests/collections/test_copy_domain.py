"""Turning events into the copy's rows (pure): the dates, languages and addresses collections
decides on."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from services.collections.copy import domain


def test_a_cancellation_is_dated_as_billing_says_else_by_the_utility_s_day():
    late_evening = datetime(2026, 3, 3, 6, 30, tzinfo=UTC)  # 22:30 on 2 March in California
    assert domain.cancelled_on({"cancelled_on": "2026-03-01"}, late_evening,
                               "America/Los_Angeles") == date(2026, 3, 1)
    assert domain.cancelled_on({}, late_evening, "America/Los_Angeles") == date(2026, 3, 2)


def test_notices_are_in_the_account_s_language_else_the_customer_s_else_english():
    assert domain.language_of("es", "vi") == "es"
    assert domain.language_of(None, "vi") == "vi"
    assert domain.language_of(None, None) == "en"


def test_one_place_written_two_ways_is_the_same_address_and_a_po_box_is_not():
    premise = {"line1": "12 Oak St.", "city": "Town", "postal_code": "95000"}
    assert domain.same_address(premise, {"line1": "12  OAK ST", "city": "town",
                                         "postal_code": "95000-1234", "state": "CA"})
    assert not domain.same_address(premise, {"line1": "PO Box 12", "city": "Town",
                                             "postal_code": "95000"})
    assert not domain.same_address(premise, {**premise, "line2": "Unit 4"})


def test_a_bill_without_a_deferral_and_an_entry_keep_their_decimals():
    b = domain.bill_row({"id": "b", "account_id": "a", "bill_date": "2026-02-01",
                         "due_date": "2026-02-22", "total": "41.205"})
    assert (b.total, b.budget_deferral, b.replaces) == (Decimal("41.205"), None, None)
    e = domain.entry_row({"id": "e", "account_id": "a", "kind": "payment", "amount": "-0.10",
                          "posted_on": "2026-02-03T00:00:00"})
    assert (e.amount, e.posted_on, e.reference) == (Decimal("-0.10"), date(2026, 2, 3), None)


def test_a_transfer_carries_the_stopped_and_the_started_agreements():
    sa = {"account_id": "a", "premise_id": "p", "service": "water", "start_date": "2025-01-01"}
    rows = domain.agreement_rows("accounts.ServiceTransferred", {
        "stopped": [{**sa, "id": "1", "status": "stopped", "stop_date": "2026-01-31"}],
        "started": [{**sa, "id": "2", "premise_id": "q"}]})
    assert [(r.id, r.premise_id, r.status, r.stop_date) for r in rows] == [
        ("1", "p", "stopped", date(2026, 1, 31)), ("2", "q", "active", None)]
