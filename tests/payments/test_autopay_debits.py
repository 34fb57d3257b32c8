"""Autopay debits from bills: the amount is the balance due when the debit is created, the
budget amount for budget billing, nothing when nothing is due; the run is safe to repeat; a
card is charged through the processor on its date and posts through the webhook."""

from __future__ import annotations

from datetime import timedelta

from kernel.clock import utc_now
from tests.payments.autopay_helpers import (
    RUN_ON,
    balance_now,
    bill_due,
    cut,
    enrol_card,
    events,
    run,
    sandbox,  # noqa: F401 (fixture)
)
from tests.payments.helpers import make_account, posted_events, table_count

DUE = RUN_ON + timedelta(days=5)


async def test_the_debit_is_the_balance_after_a_payment_made_since_the_bill(
        client, feed, bound, auth, sandbox):  # noqa: F811
    a = await make_account(feed)
    assert (await enrol_card(client, auth("csr1"), a.id)).status_code == 201
    bill = await bill_due(feed, a, "120.00", "120.00", DUE)
    await balance_now(feed, a, "70.00", amount="-50.00")  # paid 50.00 at the counter since
    out = await run(client, auth("billing_tech"), RUN_ON)
    [debit] = out["scheduled"]
    assert (debit["bill_id"], debit["amount"], debit["debit_on"]) == (
        bill, "70.00", DUE.isoformat())
    [notice] = await events(bound, "payments.AutopayDebitScheduled")
    assert notice == {"debit_id": debit["id"], "account_id": a.id, "bill_id": bill,
                      "amount": "70.00", "debit_on": DUE.isoformat(), "method": "card"}


async def test_an_adjustment_since_the_bill_lowers_the_debit_too(
        client, feed, bound, auth, sandbox):  # noqa: F811
    a = await make_account(feed)
    await enrol_card(client, auth("csr1"), a.id)
    await bill_due(feed, a, "88.40", "88.40", DUE)
    await balance_now(feed, a, "60.00", kind="adjustment", amount="-28.40")
    [debit] = (await run(client, auth("billing_tech"), RUN_ON))["scheduled"]
    assert debit["amount"] == "60.00"


async def test_nothing_due_schedules_no_debit(client, feed, bound, auth, sandbox):  # noqa: F811
    a = await make_account(feed)
    await enrol_card(client, auth("csr1"), a.id)
    bill = await bill_due(feed, a, "55.00", "55.00", DUE)
    await balance_now(feed, a, "0.00", amount="-55.00")
    out = await run(client, auth("billing_tech"), RUN_ON)
    assert out["scheduled"] == []
    assert out["skipped"] == [{"account_id": a.id, "bill_id": bill, "reason": "nothing_due"}]
    assert await table_count(bound, "autopay_debits") == 0
    assert await events(bound, "payments.AutopayDebitScheduled") == []


async def test_a_budget_billed_account_is_debited_its_budget_amount(
        client, feed, bound, auth, sandbox):  # noqa: F811
    """billing.BillIssued carries the bill's actual total and the balance after it, which for
    a budget-billed account includes the `budget_deferral` (budget minus actual): a 140.00 bill
    on a 95.00 budget leaves 95.00 due. The budget amount itself is not in the event."""
    a = await make_account(feed)
    await enrol_card(client, auth("csr1"), a.id)
    await bill_due(feed, a, "140.00", "95.00", DUE)
    [debit] = (await run(client, auth("billing_tech"), RUN_ON))["scheduled"]
    assert debit["amount"] == "95.00"


async def test_a_bill_not_yet_within_the_lead_days_waits_and_the_run_is_safe_to_repeat(
        client, feed, bound, auth, sandbox):  # noqa: F811
    a = await make_account(feed)
    await enrol_card(client, auth("csr1"), a.id)
    await bill_due(feed, a, "40.00", "40.00", RUN_ON + timedelta(days=30))
    assert (await run(client, auth("billing_tech"), RUN_ON))["scheduled"] == []
    later = RUN_ON + timedelta(days=21)
    assert len((await run(client, auth("billing_tech"), later))["scheduled"]) == 1
    again = await run(client, auth("billing_tech"), later)
    assert again["scheduled"] == [] and again["charged"] == []
    assert await table_count(bound, "autopay_debits") == 1
    assert len(await events(bound, "payments.AutopayDebitScheduled")) == 1


async def test_a_card_debit_is_charged_once_on_its_date_and_posts_through_the_webhook(
        client, feed, bound, auth, sandbox):  # noqa: F811
    a = await make_account(feed)
    await enrol_card(client, auth("csr1"), a.id)
    await bill_due(feed, a, "64.10", "64.10", DUE)
    first = await run(client, auth("billing_tech"), RUN_ON)
    assert first["charged"] == [] and sandbox.messages == []
    on_due = await run(client, auth("billing_tech"), DUE)
    [charged] = on_due["charged"]
    assert (charged["status"], charged["amount"]) == ("charged", "64.10")
    assert (await run(client, auth("billing_tech"), DUE))["charged"] == []
    [message] = sandbox.messages  # one charge, whatever the retries
    r = await client.post("/api/payments/webhooks/sandbox", content=message.body,
                          headers={**sandbox.signed(message, utc_now()),
                                   "content-type": "application/json"})
    assert r.json()["outcome"] == "posted"
    [posted] = await posted_events(bound)
    assert (posted.payload["payment"]["channel"], posted.payload["payment"]["amount"],
            posted.payload["payment"]["tender"]) == ("processor", "64.10", "card")


async def test_a_card_debit_on_a_bill_paid_before_its_date_is_dropped(
        client, feed, bound, auth, sandbox):  # noqa: F811
    a = await make_account(feed)
    await enrol_card(client, auth("csr1"), a.id)
    await bill_due(feed, a, "64.10", "64.10", DUE)
    await run(client, auth("billing_tech"), RUN_ON)
    await balance_now(feed, a, "0.00", amount="-64.10")
    out = await run(client, auth("billing_tech"), DUE)
    assert out["charged"] == []
    [dropped] = out["dropped"]
    assert (dropped["status"], dropped["drop_reason"]) == ("dropped", "nothing_due")
    assert sandbox.messages == []


async def test_cancelling_autopay_drops_what_was_scheduled(
        client, feed, bound, auth, sandbox):  # noqa: F811
    a = await make_account(feed)
    await enrol_card(client, auth("csr1"), a.id)
    await bill_due(feed, a, "30.00", "30.00", DUE)
    await run(client, auth("billing_tech"), RUN_ON)
    await client.post(f"/api/payments/autopay/accounts/{a.id}/cancel",
                      json={"reason": "moving out"}, headers=auth("csr1"))
    debits = (await client.get(f"/api/payments/autopay/accounts/{a.id}/debits",
                               headers=auth("csr1"))).json()
    assert [(d["status"], d["drop_reason"]) for d in debits] == [
        ("dropped", "enrolment_cancelled")]
    assert (await run(client, auth("billing_tech"), DUE))["charged"] == []
    assert (await cut(client, auth("billing_tech"), DUE))["file"] is None


async def test_a_declined_card_debit_is_marked_failed_and_not_charged_again(
        client, feed, bound, auth, sandbox):  # noqa: F811
    a = await make_account(feed)
    assert (await enrol_card(client, auth("csr1"), a.id,
                             token="pm_card_chargeDeclined")).status_code == 201
    await bill_due(feed, a, "20.00", "20.00", DUE)
    [failed] = (await run(client, auth("billing_tech"), DUE))["charged"]
    assert (failed["status"], failed["drop_reason"]) == ("failed", "card_declined")
    assert (await run(client, auth("billing_tech"), DUE))["charged"] == []
    assert [m.event_type for m in sandbox.messages] == ["payment.failed"]
    assert await posted_events(bound) == []
