"""The bank's ACH return file: R01 reverses the debit's payment once and keeps autopay, R03
reverses and ends it telling the customer why, a returned prenote ends it before any money
moves, a notification of change corrects the account, and the same file twice changes nothing.

Return files are laid out by achkit (PyPI), not by our writer: its addenda records are made
type 99 (returns) or 98 (changes) afterwards, as in test_ach_returns.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import achkit
import pytest
from sqlalchemy import text

from tests.payments.autopay_helpers import (
    BANK_NUMBER,
    CAL,
    RUN_ON,
    WELLS_FARGO_CA,
    bill_due,
    cut,
    enrol_bank,
    events,
    run,
)
from tests.payments.helpers import Acct, make_account, table_count

DISTRICT_BANK = "122000247"


def return_file(*entries: tuple[str, str, int, str]) -> bytes:
    """(code, original trace, cents, account number) per entry: R.. a return, C.. a change
    (then `account number` is the corrected one)."""
    f = achkit.AchFile.create(origin_dfi=DISTRICT_BANK, company_id="1953123456",
                              origin_name="DEMO WATER DIST", destination_name="WELLS FARGO")
    b = f.batch(sec="PPD", description="WATER BILL", effective_date="2026-12-01")
    for code, trace, cents, number in entries:
        if code.startswith("R"):
            info = code + trace.ljust(15) + " " * 6 + WELLS_FARGO_CA[:8] + " " * 44
        else:
            info = code + trace.ljust(15) + " " * 6 + WELLS_FARGO_CA[:8] + number.ljust(29)
        b.debit(name="Maria Lopez", routing=WELLS_FARGO_CA, account=BANK_NUMBER,
                amount_cents=cents, id_number="100027457", addenda=info.ljust(80))
    text = f.render()
    assert achkit.validate(text)["ok"]
    return "\n".join(("799" if r[3:6].startswith("R") else "798") + r[3:]
                     if r.startswith("705") else r for r in text.split("\n")).encode("ascii")


async def _sent_debit(client: Any, feed: Any, auth: Any) -> tuple[Acct, dict[str, Any], date]:
    a = await make_account(feed, name="Maria Lopez")
    assert (await enrol_bank(client, auth("csr1"), a.id)).status_code == 201
    await bill_due(feed, a, "84.17", "84.17", RUN_ON + timedelta(days=3))
    await run(client, auth("billing_tech"), RUN_ON)
    await cut(client, auth("billing_tech"), RUN_ON)
    day = RUN_ON + timedelta(days=20)
    out = await cut(client, auth("billing_tech"), day)
    [debit] = out["debits"]
    return a, debit, date.fromisoformat(out["file"]["effective_on"])


@pytest.fixture
def returned_on(monkeypatch: pytest.MonkeyPatch) -> date:
    """The bank's return file arrives two banking days after the debits settled: the returns
    core checks a return date against the utility's today, which the test moves there."""
    on = CAL.add_banking_days(RUN_ON + timedelta(days=20), 4)
    monkeypatch.setattr("services.payments.returns.service.utility_today", lambda: on)
    return on


async def import_returns(client: Any, auth: Any, content: bytes, on: date) -> Any:
    return await client.post("/api/payments/autopay/returns",
                             files={"file": ("returns.ach", content, "text/plain")},
                             data={"received_on": on.isoformat()},
                             headers=auth("billing_tech"))


async def test_an_nsf_return_reverses_the_payment_once_and_keeps_autopay(
        client, feed, bound, auth, returned_on):
    a, debit, _ = await _sent_debit(client, feed, auth)
    content = return_file(("R01", debit["trace_number"], 8417, BANK_NUMBER))
    r = await import_returns(client, auth, content, returned_on)
    assert r.status_code == 201, r.text
    [line] = r.json()["lines"]
    assert (line["code"], line["outcome"], line["payment_id"], line["amount"]) == (
        "R01", "reversed_enrolment_kept", debit["payment_id"], "84.17")
    [returned] = await events(bound, "payments.PaymentReturned")
    assert (returned["payment_id"], returned["account_id"], returned["amount"],
            returned["reason"], returned["return_code"], returned["date"]) == (
        debit["payment_id"], a.id, "84.17", "ach_return", "R01", returned_on.isoformat())
    enrolment = (await client.get(f"/api/payments/autopay/accounts/{a.id}",
                                  headers=auth("csr1"))).json()
    assert enrolment["status"] == "active"
    assert await events(bound, "payments.AutopayCancelled") == []
    again = await import_returns(client, auth, content, returned_on)
    assert again.status_code == 201 and again.json()["duplicate"] is True
    assert again.json()["id"] == r.json()["id"]
    assert len(await events(bound, "payments.PaymentReturned")) == 1
    assert await table_count(bound, "autopay_return_imports") == 1


async def test_an_account_not_found_return_reverses_and_ends_autopay_telling_the_customer(
        client, feed, bound, auth, returned_on):
    a, debit, _ = await _sent_debit(client, feed, auth)
    r = await import_returns(client, auth, return_file(
        ("R03", debit["trace_number"], 8417, BANK_NUMBER)), returned_on)
    assert r.json()["lines"][0]["outcome"] == "reversed_enrolment_ended"
    assert len(await events(bound, "payments.PaymentReturned")) == 1
    [ended] = await events(bound, "payments.AutopayCancelled")
    assert (ended["account_id"], ended["status"], ended["return_code"], ended["display"],
            ended["effective_on"]) == (a.id, "cancelled", "R03", "checking ****6789",
                                       returned_on.isoformat())
    assert ended["reason"] == ("Your bank could not find the account. Please check the "
                               "account and routing numbers.")
    # The same bank account is not taken again.
    again = await enrol_bank(client, auth("csr1"), a.id)
    assert again.status_code == 422 and again.json()["reason"] == "returned_account"
    assert BANK_NUMBER not in again.text


async def test_a_return_repeated_in_a_later_file_changes_nothing(
        client, feed, bound, auth, returned_on):
    a, debit, _ = await _sent_debit(client, feed, auth)
    first = return_file(("R01", debit["trace_number"], 8417, BANK_NUMBER))
    assert (await import_returns(client, auth, first, returned_on)).status_code == 201
    later = return_file(("R01", debit["trace_number"], 8417, BANK_NUMBER),
                        ("R01", "122000249999999", 1000, BANK_NUMBER))
    r = await import_returns(client, auth, later, returned_on)
    assert r.json()["duplicate"] is False
    assert [x["outcome"] for x in r.json()["lines"]] == ["unmatched"]
    assert len(await events(bound, "payments.PaymentReturned")) == 1


async def test_a_returned_prenote_ends_autopay_before_any_money_moves(
        client, feed, bound, auth, returned_on):
    a = await make_account(feed)
    await enrol_bank(client, auth("csr1"), a.id)
    await bill_due(feed, a, "50.00", "50.00", RUN_ON + timedelta(days=8))
    assert len((await run(client, auth("billing_tech"), RUN_ON))["scheduled"]) == 1
    assert (await cut(client, auth("billing_tech"), RUN_ON))["file"]["prenote_count"] == 1
    prenote_trace = (await bound["payments"].execute(text(
        "SELECT prenote_trace FROM autopay_enrolments WHERE account_id = :a"),
        {"a": a.id})).scalar_one()
    r = await import_returns(client, auth, return_file(("R04", prenote_trace, 0, BANK_NUMBER)),
                             returned_on)
    assert r.json()["lines"][0]["outcome"] == "prenote_returned_enrolment_ended"
    [ended] = await events(bound, "payments.AutopayCancelled")
    assert ended["return_code"] == "R04"
    debits = (await client.get(f"/api/payments/autopay/accounts/{a.id}/debits",
                               headers=auth("csr1"))).json()
    assert [(d["status"], d["drop_reason"]) for d in debits] == [
        ("dropped", "enrolment_cancelled")]
    assert await events(bound, "payments.PaymentReturned") == []


async def test_a_notification_of_change_corrects_the_account_number_shown_masked(
        client, feed, bound, auth, returned_on):
    a, debit, _ = await _sent_debit(client, feed, auth)
    r = await import_returns(client, auth, return_file(
        ("C01", debit["trace_number"], 0, "1918171614")), returned_on)
    assert r.json()["lines"][0]["outcome"] == "corrected"
    enrolment = (await client.get(f"/api/payments/autopay/accounts/{a.id}",
                                  headers=auth("csr1"))).json()
    assert (enrolment["status"], enrolment["display"]) == ("active", "checking ****1614")
    assert "1918171614" not in r.text
    assert await events(bound, "payments.PaymentReturned") == []


async def test_a_damaged_return_file_is_refused_whole(client, bound, auth, returned_on):
    content = return_file(("R01", "122000240000001", 8417, BANK_NUMBER)).replace(
        b"000000008417", b"000000008418", 1)
    r = await import_returns(client, auth, content, returned_on)
    assert r.status_code == 422 and r.json()["code"] == "ach-return-file-invalid"
    assert await table_count(bound, "autopay_return_imports") == 0


async def test_billings_ledger_takes_the_debit_once_and_its_return_once_with_the_fee(
        client, feed, bound, auth, pump, returned_on):
    a, debit, _ = await _sent_debit(client, feed, auth)
    await cut(client, auth("billing_tech"), RUN_ON + timedelta(days=20))  # a retried cut
    await pump("payments", "billing")
    content = return_file(("R01", debit["trace_number"], 8417, BANK_NUMBER))
    for _ in range(2):
        await import_returns(client, auth, content, returned_on)
        await pump("payments", "billing")  # redelivered too
    led = (await client.get(f"/api/billing/ledger/accounts/{a.id}",
                            headers=auth("supervisor"))).json()
    assert sorted((e["kind"], e["amount"]) for e in led["entries"]) == [
        ("payment", "-84.17"), ("payment_reversal", "84.17"), ("returned_payment_fee", "25.00")]
