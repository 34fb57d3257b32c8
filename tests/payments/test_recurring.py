"""Scheduled and recurring payments: the daily run charges each (schedule, date) once, even
when it runs twice or on two processes at once; a balance-due schedule takes nothing when
nothing is owed; a gone method stops its schedule with the reason."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from kernel.auth import Principal
from kernel.clock import utility_today
from kernel.webhooks import WebhookSecret
from services.payments.posting.domain import is_token
from services.payments.processors.base import MethodKind
from services.payments.processors.sandbox import SandboxProcessor
from services.payments.recurring import service as recurring
from tests.events.helpers import database
from tests.payments.helpers import issue_bill, make_account, outbox, table_count
from tests.payments.portal_helpers import P, charges, customer, ledger, sandbox, save_method

__all__ = ["sandbox"]
RUN = "/api/payments/recurring/run"
#: Future dates (a schedule starts today or later), far enough to be any test day's future.
START = utility_today() + timedelta(days=40)
def first_5th_after(d: date) -> date:
    y, m = (d.year, d.month) if d.day <= 5 else ((d.year + (d.month == 12)), d.month % 12 + 1)
    return date(y, m, 5)


FIFTH = first_5th_after(START)


async def run(client: Any, auth: Any, today: date) -> list[dict[str, Any]]:
    r = await client.post(RUN, json={"today": today.isoformat()}, headers=auth("system", "jobs"))
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def schedule(client: Any, me: dict[str, str], account_id: str, method_id: str,
                   key: str = "s-1", **body: Any) -> dict[str, Any]:
    doc = {"method_id": method_id, "kind": "monthly", "day_of_month": 5,
           "start_on": START.isoformat(), "amount_rule": "fixed", "amount": "40.00", **body}
    r = await client.post(f"{P}/{account_id}/schedules", json=doc,
                          headers={**me, "Idempotency-Key": key})
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def test_a_monthly_schedule_charges_on_its_day_once_though_the_job_runs_twice(
        client, feed, auth, bound, pump, sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    m = await save_method(client, me, a.id)
    s = await schedule(client, me, a.id, m["id"])
    scheduled = await outbox(bound, "payments.RecurringPaymentScheduled")
    assert [(x["schedule_id"], x["amount"], x["day_of_month"], x["method_display"])
            for x in scheduled] == [(s["id"], "40.00", 5, "visa •••• 4242")]

    assert await run(client, auth, FIFTH - timedelta(days=1)) == []
    (charged,) = await run(client, auth, FIFTH)
    assert (charged["schedule_id"], charged["outcome"], charged["amount"]) == (
        s["id"], "succeeded", "40.00")
    assert await run(client, auth, FIFTH) == []  # the job again: nothing twice
    assert await run(client, auth, FIFTH + timedelta(days=1)) == []  # nor in its catch-up
    assert len(charges(sandbox)) == 1
    posted = await outbox(bound, "payments.PaymentPosted")
    assert [(p["payment"]["account_id"], p["payment"]["amount"], p["payment"]["channel"])
            for p in posted] == [(a.id, "40.00", "processor")]
    await pump("payments", "billing")
    assert [e for e in await ledger(client, auth, a.id) if e[0] == "payment"] == [
        ("payment", "-40.00")]

    next_month = first_5th_after(FIFTH + timedelta(days=1))
    assert [i["outcome"] for i in await run(client, auth, next_month)] == ["succeeded"]
    (listed,) = (await client.get(f"{P}/{a.id}/schedules", headers=me)).json()
    assert [(c["charge_on"], c["outcome"]) for c in listed["charges"]] == [
        (next_month.isoformat(), "succeeded"), (FIFTH.isoformat(), "succeeded")]


async def test_a_balance_due_schedule_takes_the_balance_and_nothing_when_none_is_owed(
        client, feed, auth, bound, sandbox):
    owing, paid_up, in_credit = [await make_account(feed) for _ in range(3)]
    for acct, balance in ((owing, "61.07"), (paid_up, "0.00"), (in_credit, "-12.00")):
        await issue_bill(feed, acct, "61.07", balance)
        me = customer(auth, acct.id, sub=f"c-{acct.id}")
        m = await save_method(client, me, acct.id, key=f"m-{acct.id}")
        await schedule(client, me, acct.id, m["id"], key=f"s-{acct.id}",
                       amount_rule="balance", amount=None)
    items = {i["account_id"]: (i["outcome"], i["reason"], i["amount"])
             for i in await run(client, auth, FIFTH)}
    assert items == {owing.id: ("succeeded", None, "61.07"),
                     paid_up.id: ("skipped", "nothing_due", None),
                     in_credit.id: ("skipped", "nothing_due", None)}
    assert [c["amount"] for c in charges(sandbox)] == ["61.07"]
    assert await run(client, auth, FIFTH) == []  # a skip is recorded once too
    # the skipped schedules stay active for next month
    assert await table_count(bound, "recurring_schedules", "status = 'active'") == 3


async def test_a_removed_method_charges_nothing_and_says_why(client, feed, auth, bound,
                                                             sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    m = await save_method(client, me, a.id)
    s = await schedule(client, me, a.id, m["id"])
    await client.delete(f"{P}/{a.id}/methods/{m['id']}", headers=me)
    assert await run(client, auth, FIFTH) == []
    assert charges(sandbox) == []
    (listed,) = (await client.get(f"{P}/{a.id}/schedules", headers=me)).json()
    assert (listed["id"], listed["status"], listed["stop_reason"]) == (
        s["id"], "stopped", "method_removed")


async def test_a_method_the_processor_no_longer_knows_is_skipped_and_stops_the_schedule(
        client, feed, auth, bound, service_apps, sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    # the sandbox's tokens are random hex: one with a long run of digits could be a number,
    # and is refused before it is kept (tests/payments/test_methods.py), so take another
    token = next(t for t in (sandbox.tokenize(MethodKind.CARD, "1881") for _ in range(100))
                 if is_token(t))
    m = await save_method(client, me, a.id, token=token)
    s = await schedule(client, me, a.id, m["id"])
    # the processor forgets it (the card was deleted there; here: a sandbox restarted)
    service_apps["payments"].state.processor = SandboxProcessor([WebhookSecret.generate()])
    (item,) = await run(client, auth, FIFTH)
    assert (item["outcome"], item["reason"]) == ("skipped", "method_gone")
    cancelled = await outbox(bound, "payments.RecurringPaymentCancelled")
    assert [(c["schedule_id"], c["reason"], c["effective_on"]) for c in cancelled] == [
        (s["id"], "method_gone", FIFTH.isoformat())]
    assert await run(client, auth, first_5th_after(FIFTH + timedelta(days=1))) == []


async def test_a_payment_scheduled_for_a_date_is_charged_that_day_then_completed(
        client, feed, auth, bound, sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    m = await save_method(client, me, a.id)
    s = await schedule(client, me, a.id, m["id"], kind="once", day_of_month=None,
                       amount="12.34")
    assert await run(client, auth, START - timedelta(days=1)) == []
    assert [i["outcome"] for i in await run(client, auth, START)] == ["succeeded"]
    assert await run(client, auth, START + timedelta(days=1)) == []
    (listed,) = (await client.get(f"{P}/{a.id}/schedules", headers=me)).json()
    assert (listed["id"], listed["status"]) == (s["id"], "completed")
    assert [c["amount"] for c in charges(sandbox)] == ["12.34"]


async def test_a_cancelled_schedule_charges_nothing(client, feed, auth, bound, sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    m = await save_method(client, me, a.id)
    s = await schedule(client, me, a.id, m["id"])
    r = await client.delete(f"{P}/{a.id}/schedules/{s['id']}", headers=me)
    assert (r.json()["status"], r.json()["stop_reason"]) == ("cancelled", "customer")
    assert await run(client, auth, FIFTH) == []
    cancelled = await outbox(bound, "payments.RecurringPaymentCancelled")
    assert [(c["reason"], c["cancelled_by"]) for c in cancelled] == [("customer", "cust-1")]


async def test_a_declined_card_is_recorded_and_posts_nothing(client, feed, auth, bound,
                                                             sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    m = await save_method(client, me, a.id, token="pm_card_chargeDeclined")
    await schedule(client, me, a.id, m["id"])
    (item,) = await run(client, auth, FIFTH)
    assert (item["outcome"], item["reason"]) == ("declined", "card_declined")
    assert await table_count(bound, "payments") == 0
    assert await run(client, auth, FIFTH) == []


async def test_a_monthly_schedule_past_its_end_ends(client, feed, auth, bound, sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    m = await save_method(client, me, a.id)
    await schedule(client, me, a.id, m["id"], end_on=FIFTH.isoformat())
    assert [i["outcome"] for i in await run(client, auth, FIFTH)] == ["succeeded"]
    later = first_5th_after(FIFTH + timedelta(days=1))
    r = await client.post(RUN, json={"today": later.isoformat()}, headers=auth("system", "jobs"))
    assert r.json()["items"] == [] and len(r.json()["ended"]) == 1
    assert len(charges(sandbox)) == 1


async def test_bad_schedules_are_refused_and_write_nothing(client, feed, auth, bound, sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    m = await save_method(client, me, a.id)
    for i, body in enumerate([
        {"start_on": (utility_today() - timedelta(days=1)).isoformat()},
        {"day_of_month": 0}, {"day_of_month": 32}, {"amount": "0.00"}, {"amount": "1.001"},
        {"amount_rule": "balance"}, {"end_on": (START - timedelta(days=1)).isoformat()},
        {"method_id": str(uuid.uuid4())}, {"kind": "weekly"},
    ]):
        doc = {"method_id": m["id"], "kind": "monthly", "day_of_month": 5,
               "start_on": START.isoformat(), "amount_rule": "fixed", "amount": "40.00", **body}
        r = await client.post(f"{P}/{a.id}/schedules", json=doc,
                              headers={**me, "Idempotency-Key": f"bad-{i}"})
        assert r.status_code in (404, 422), (body, r.text)
    assert await table_count(bound, "recurring_schedules") == 0


async def test_two_runs_at_once_charge_each_occurrence_once(fresh_database):
    """Two payments processes run the job for the same day at the same time, each in its own
    transaction on its own connection: the claim makes one wait for the other."""
    db = database(fresh_database, "payments")
    sandbox = SandboxProcessor([WebhookSecret.generate()])
    acct, method, sched = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    try:
        async with db.session() as s:
            await s.execute(text(
                "INSERT INTO accounts (id, number, status) VALUES (:a, '300000019', 'active')"),
                {"a": acct})
            await s.execute(text(
                "INSERT INTO saved_methods (id, account_id, processor, token, kind, display, "
                "is_default, status, saved_by, idempotency_key) VALUES (:m, :a, 'sandbox', "
                "'pm_card_visa', 'card', 'visa •••• 4242', true, 'active', 'c', 'k')"),
                {"m": method, "a": acct})
            await s.execute(text(
                "INSERT INTO recurring_schedules (id, account_id, method_id, kind, day_of_month, "
                "amount_rule, amount, start_on, status, created_by, idempotency_key) VALUES "
                "(:s, :a, :m, 'monthly', 5, 'fixed', 40.00, :d, 'active', 'c', 'k')"),
                {"s": sched, "a": acct, "m": method, "d": FIFTH - timedelta(days=3)})
            await s.commit()
        who = Principal("jobs", "system")

        async def one() -> int:
            async with db.session() as s:
                out, _ = await recurring.run(s, who, sandbox, FIFTH, 0)
                await s.commit()
                return len(out.items)

        done = await asyncio.gather(*(one() for _ in range(4)))
        assert sorted(done) == [0, 0, 0, 1]
        assert [c["amount"] for c in charges(sandbox)] == ["40.00"]
        async with db.session() as s:
            rows = (await s.execute(text(
                "SELECT outcome, amount FROM recurring_charges"))).all()
        assert [(r[0], r[1]) for r in rows] == [("succeeded", Decimal("40.00"))]
    finally:
        await db.dispose()


async def test_a_charge_the_processor_did_not_answer_is_tried_again_by_the_next_run(
        client, feed, auth, bound, service_apps, sandbox):
    from services.payments.processors.base import ProcessorUnavailable

    a = await make_account(feed)
    me = customer(auth, a.id)
    m = await save_method(client, me, a.id)
    await schedule(client, me, a.id, m["id"])
    state = service_apps["payments"].state

    class Down:
        name = "sandbox"

        def charge(self, request):
            raise ProcessorUnavailable("timed out")

    state.processor = Down()
    try:
        (item,) = await run(client, auth, FIFTH)
    finally:
        state.processor = sandbox
    assert (item["outcome"], item["reason"]) == ("retry", "processor_unavailable")
    assert await table_count(bound, "recurring_charges") == 0
    (again,) = await run(client, auth, FIFTH + timedelta(days=1))  # within the catch-up
    assert (again["charge_on"], again["outcome"]) == (FIFTH.isoformat(), "succeeded")
    assert len(charges(sandbox)) == 1


async def test_a_one_time_payment_the_job_missed_for_too_long_ends_uncharged(client, feed,
                                                                            auth, bound,
                                                                            sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    m = await save_method(client, me, a.id)
    s = await schedule(client, me, a.id, m["id"], kind="once", day_of_month=None)
    late = START + timedelta(days=6)  # the default catch-up is 5 days
    r = await client.post(RUN, json={"today": late.isoformat()}, headers=auth("system", "jobs"))
    assert (r.json()["items"], r.json()["ended"]) == ([], [s["id"]])
    assert charges(sandbox) == []
    cancelled = await outbox(bound, "payments.RecurringPaymentCancelled")
    assert [(c["schedule_id"], c["reason"]) for c in cancelled] == [(s["id"], "missed")]
