"""The refund and transfer rules on their own (no database)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal as D

from kernel.approval import approval_refusal, needs_approval
from services.payments.refunds import domain
from services.payments.transfers.domain import remaining


def test_a_deposit_refunds_all_of_itself_the_rest_after_a_balance_owed_or_nothing() -> None:
    # billing's balance after it applied a $100 deposit
    assert domain.deposit_refund(D("100.00"), D("-100.00"), D("0")) == D("100.00")
    assert domain.deposit_refund(D("100.00"), D("-70.00"), D("0")) == D("70.00")  # $30 owed
    assert domain.deposit_refund(D("100.00"), D("50.00"), D("0")) == D("0.00")  # $150 owed
    # an older credit of $20 stays for its own refund; other refunds' claims come first
    assert domain.deposit_refund(D("100.00"), D("-120.00"), D("0")) == D("100.00")
    assert domain.deposit_refund(D("100.00"), D("-100.00"), D("40.00")) == D("60.00")
    assert domain.deposit_refund(D("100.00"), None, D("0")) == D("0.00")


def test_refunds_fit_the_credit_in_order_and_the_rest_are_named_with_what_was_left() -> None:
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    r1, r2, r3 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    over = domain.fits([(r1, a, D("60.00")), (r2, a, D("50.00")), (r3, b, D("10.00"))],
                       {a: D("-100.00"), b: D("-10.00")}, {b: D("0.00")})
    assert over == [(r2, a, D("50.00"), D("40.00"))]
    assert domain.fits([(r3, b, D("10.00"))], {b: D("-10.00")}, {b: D("0.01")}) == [
        (r3, b, D("10.00"), D("9.99"))]


def test_a_payment_transfers_only_what_reversals_and_other_transfers_left() -> None:
    assert remaining(D("50.00"), D("0"), D("10.00")) == D("40.00")
    assert remaining(D("50.00"), D("30.00"), D("20.00")) == D("0.00")
    assert remaining(D("50.00"), D("50.00"), D("10.00")) == D("0.00")


def test_nobody_approves_their_own_and_approvers_stay_within_their_authority() -> None:
    assert needs_approval(D("25.01"), D("25.00")) and not needs_approval(D("25.00"), D("25.00"))
    assert approval_refusal("sam", D("1000"), "sam", D("5")) == "nobody approves their own request"
    assert "above your authority" in (approval_refusal("chris", D("100"), "carla", D("100.01"))
                                      or "")
    assert approval_refusal("chris", D("100"), "carla", D("100.00")) is None


def test_the_check_request_file_carries_payee_address_and_approver() -> None:
    r = domain.Refund(
        id=uuid.uuid4(), account_id=uuid.uuid4(), account_number="300000014", amount=D("12.50"),
        source="credit_balance", reason='Overpaid, "twice"', status="approved",
        requested_by="carla", requested_role="csr1", idempotency_key="k", deposit_event_id=None,
        approved_by="sam", approved_at=datetime.now(UTC), rejected_by=None,
        rejection_reason=None, check_request_id=None, issued_on=None, ledger_posted=False,
        voided_by=None, void_reason=None, voided_at=None, created_at=datetime.now(UTC))
    text = domain.check_request_csv([
        domain.CheckLine(r, "Zoë O'Neil", {"line1": "1 Main St", "line2": "", "city": "Ukiah",
                                           "state": "CA", "postal_code": "95482"}),
        domain.CheckLine(r, "No Address", None)])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(domain.CSV_HEADER)
    assert rows[1] == [str(r.id), "Zoë O'Neil", "1 Main St", "", "Ukiah", "CA", "95482",
                       "300000014", "12.50", 'Overpaid, "twice"', "sam"]
    assert rows[2][1:7] == ["No Address", "", "", "", "", ""]
    payload = domain.issued_payload(r, date(2026, 3, 1), uuid.UUID(int=7))
    assert (payload["amount"], payload["date"], payload["source"]) == ("12.50", "2026-03-01",
                                                                       "credit_balance")


def test_billing_references_name_the_refund_and_the_released_deposit() -> None:
    rid = uuid.uuid4()
    assert domain.refund_reference(f"refund:{rid}") == rid
    assert domain.refund_reference(f"refund-void:{rid}") is None
    assert domain.refund_reference("refund:not-a-uuid") is None
    assert domain.deposit_reference(f"deposit:{rid}") == rid
    assert domain.deposit_reference(None) is None
