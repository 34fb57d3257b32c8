"""The delinquency ladder: a past-due bill climbs reminder, first notice, second notice (with
the late charge) and shut-off notice on the policy's days, each once, each an event; a cure
stops it the same day, a returned payment restarts it where it was; holds stop it."""

from __future__ import annotations

from datetime import date

import pytest

from tests.collections.ladder_helpers import billed, days_after, events, pay, run_day, steps

DUE = "2026-03-02"  # a Monday


@pytest.fixture
def admin(auth):
    return auth("admin", "ada")


async def test_a_past_due_bill_takes_each_step_on_its_day_and_each_once(client, feed, bound,
                                                                        admin):
    a, bill = await billed(feed, "100.00", DUE)
    assert (await run_day(client, admin, days_after(DUE, 4)))["ladder"]["reminder"] == 0
    for n in (5, 20, 35, 50):
        await run_day(client, admin, days_after(DUE, n))
    got = await steps(bound, a.id)
    assert [(s[0], s[1], s[2]) for s in got] == [
        ("reminder", days_after(DUE, 5), "taken"),
        ("first_notice", days_after(DUE, 20), "taken"),
        ("second_notice", days_after(DUE, 35), "taken"),
        ("shutoff_notice", days_after(DUE, 50), "taken")]
    taken = await events(bound, "collections.LadderStepTaken", a.id)
    assert [e["step"] for e in taken] == ["reminder", "first_notice", "second_notice",
                                          "shutoff_notice"]
    assert {e["bill_id"] for e in taken} == {bill}
    assert taken[0]["amount_past_due"] == "100.00"


async def test_running_the_day_again_takes_nothing_new(client, feed, bound, admin):
    a, _ = await billed(feed, "100.00", DUE)
    first = await run_day(client, admin, days_after(DUE, 5))
    again = await run_day(client, admin, days_after(DUE, 5))
    assert (first["ran"], again["ran"]) == (True, False)
    assert again["ladder"] == first["ladder"]
    assert len(await events(bound, "collections.LadderStepTaken", a.id)) == 1


async def test_a_late_job_still_spaces_the_letters_as_the_policy_does(client, feed, bound,
                                                                      admin):
    a, _ = await billed(feed, "100.00", DUE)
    await run_day(client, admin, days_after(DUE, 40))  # nothing ran for 40 days
    await run_day(client, admin, days_after(DUE, 41))
    await run_day(client, admin, days_after(DUE, 55))
    assert [s[0] for s in await steps(bound, a.id)] == ["reminder", "first_notice"]
    assert (await steps(bound, a.id))[1][1] == days_after(DUE, 55)


async def test_a_payment_that_cures_the_delinquency_stops_the_ladder_the_same_day(
        client, feed, bound, admin):
    a, _ = await billed(feed, "100.00", DUE)
    await run_day(client, admin, days_after(DUE, 5))
    await run_day(client, admin, days_after(DUE, 20))
    await pay(feed, a, "-100.00", str(days_after(DUE, 34)))
    out = await run_day(client, admin, days_after(DUE, 35))
    assert out["ladder"]["second_notice"] == 0 and out["cured_accounts"] == 1
    assert {s[2] for s in await steps(bound, a.id)} == {"cured"}
    cured = await events(bound, "collections.DelinquencyCured", a.id)
    assert cured == [{"account_id": a.id, "cured_on": str(days_after(DUE, 35))}]
    await run_day(client, admin, days_after(DUE, 50))
    assert len(await steps(bound, a.id)) == 2


async def test_a_partial_payment_does_not_stop_the_ladder(client, feed, bound, admin):
    a, _ = await billed(feed, "100.00", DUE)
    await run_day(client, admin, days_after(DUE, 5))
    await pay(feed, a, "-60.00", str(days_after(DUE, 10)))
    await run_day(client, admin, days_after(DUE, 20))
    got = await steps(bound, a.id)
    assert [(s[0], s[2]) for s in got] == [("reminder", "taken"), ("first_notice", "taken")]
    second = (await events(bound, "collections.LadderStepTaken", a.id))[1]
    assert second["amount_past_due"] == "40.00"


async def test_a_returned_payment_restarts_the_ladder_where_it_was(client, feed, bound, admin):
    a, _ = await billed(feed, "100.00", DUE)
    await run_day(client, admin, days_after(DUE, 5))
    await run_day(client, admin, days_after(DUE, 20))
    await pay(feed, a, "-100.00", str(days_after(DUE, 25)))
    await run_day(client, admin, days_after(DUE, 26))
    await pay(feed, a, "100.00", str(days_after(DUE, 38)), kind="payment_reversal")
    await run_day(client, admin, days_after(DUE, 39))
    got = await steps(bound, a.id)
    assert [(s[0], s[2]) for s in got] == [
        ("reminder", "taken"), ("first_notice", "taken"), ("second_notice", "taken")]
    assert got[2][1] == days_after(DUE, 39)  # not reminder again: where it was
    resumed = await events(bound, "collections.DelinquencyResumed", a.id)
    assert resumed == [{"account_id": a.id, "resumed_on": str(days_after(DUE, 39))}]


async def test_an_open_appeal_holds_the_shutoff_notice_until_it_is_decided(client, feed,
                                                                           bound, admin):
    a, bill = await billed(feed, "100.00", DUE)
    for n in (5, 20, 35):
        await run_day(client, admin, days_after(DUE, n))
    await feed.send("billing.AppealOpened", f"account:{a.id}", {
        "appeal_id": (ap := "5d1c7c2e-0000-4000-8000-000000000001"), "account_id": a.id,
        "status": "open", "bill_id": bill, "opened_on": str(days_after(DUE, 40))})
    await feed.drain()
    await run_day(client, admin, days_after(DUE, 50))
    assert [s[0] for s in await steps(bound, a.id)][-1] == "second_notice"
    await feed.send("billing.AppealDecided", f"account:{a.id}", {
        "appeal_id": ap, "account_id": a.id, "status": "decided", "bill_id": bill,
        "opened_on": str(days_after(DUE, 40)), "decision": "upheld", "credit": "0.00"})
    await feed.drain()
    await run_day(client, admin, days_after(DUE, 52))
    last = (await steps(bound, a.id))[-1]
    assert (last[0], last[1]) == ("shutoff_notice", days_after(DUE, 52))


async def test_the_shutoff_notice_names_a_date_60_days_delinquent_and_7_business_days_away(
        client, feed, bound, admin):
    # Due 2026-09-21; the notice on day 50 (2026-11-10, the day before Veterans Day) must give
    # 10 business days skipping Veterans Day and Thanksgiving with the day after it.
    due = "2026-09-21"
    a, _ = await billed(feed, "100.00", due)
    for n in (5, 20, 35, 50):
        await run_day(client, admin, days_after(due, n))
    step, taken_on, _, disconnect_on = (await steps(bound, a.id))[-1]
    assert step == "shutoff_notice" and taken_on == date(2026, 11, 10)
    from services.collections.policy.calendar import BusinessCalendar

    cal = BusinessCalendar()
    assert (disconnect_on - date.fromisoformat(due)).days >= 60
    assert cal.business_days_between(taken_on, disconnect_on) >= 10
    assert cal.is_business_day(disconnect_on)
    # 10 business days after Tue 2026-11-10, skipping Wed 11-11 (Veterans Day): Wed 11-25;
    # due + 75 = 2026-12-05, a Saturday: the next business day, Mon 2026-12-07.
    assert disconnect_on == date(2026, 12, 7)


async def test_each_step_queues_its_letter_once_naming_the_amount_charge_and_disconnect_date(
        client, feed, bound, admin):
    from sqlalchemy import text

    a, bill = await billed(feed, "100.00", DUE)  # mailed to a PO box, served at 12 Oak St
    for n in (5, 20, 35, 35, 50, 51):
        await run_day(client, admin, days_after(DUE, n))
    rows = (await bound["collections"].execute(text(
        "SELECT kind, addressee, reference, amount, action_on, details FROM notices "
        "WHERE account_id = :a ORDER BY created_on, addressee"), {"a": a.id})).all()
    disconnect = (await steps(bound, a.id))[-1][3]
    ref = f"bill:{bill}"
    assert [(r.kind, r.addressee, r.reference, str(r.amount), r.action_on) for r in rows] == [
        ("reminder", "customer", ref, "100.00", None),
        ("first_notice", "customer", ref, "100.00", None),
        ("second_notice", "customer", ref, "100.00", None),
        ("shutoff_notice", "customer", ref, "100.00", disconnect),
        ("shutoff_notice", "occupant", f"{ref}@{a.premise_id}", "100.00", disconnect)]
    assert "late_charge" in str(rows[2].details) and "5.00" in str(rows[2].details)
