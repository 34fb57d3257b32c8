"""The daily statement (`ladder/repository.py: ADVANCE`) is the ladder's rule set-based; the
rule for one bill is `ladder/domain.py` (`next_step`, `disconnect_on`). Bills due on every day
of a stretch with Thanksgiving, Christmas and New Year in it, some with steps already taken
late, are advanced day by day, and each day every bill's step and shut-off date must be the
one the Python rule gives."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from sqlalchemy import text

from services.collections.ladder import domain
from services.collections.ladder import service as ladder
from services.collections.policy import service as policy

START = date(2026, 9, 1)


async def test_the_daily_statement_takes_the_step_and_names_the_date_the_rule_gives(
        bound, service_apps):
    rnd = random.Random(998)
    c = bound["collections"]
    bills: dict[uuid.UUID, date] = {}
    for i in range(90):
        due = START + timedelta(days=i)
        bid = uuid.uuid4()
        bills[bid] = due
        await c.execute(text(
            "INSERT INTO bills (id, account_id, bill_date, due_date, total, status) "
            "VALUES (:b, gen_random_uuid(), :bd, :d, 50.00, 'open')"),
            {"b": bid, "bd": due - timedelta(days=20), "d": due})
        if i < 40 and rnd.random() < 0.3:  # a reminder taken late; the ladder picks up there
            await c.execute(text(
                "INSERT INTO ladder_steps (id, account_id, bill_id, step, taken_on, "
                "amount_past_due) SELECT gen_random_uuid(), account_id, id, 'reminder', :t, "
                "50.00 FROM bills WHERE id = :b"),
                {"b": bid, "t": due + timedelta(days=rnd.randint(5, 20))})
    p = policy.policy().ladder
    cal = policy.calendar()
    day = START + timedelta(days=60)
    checked = 0
    while day <= date(2027, 1, 20):
        rows = (await c.execute(text(
            "SELECT bill_id, step, taken_on FROM ladder_steps WHERE bill_id = ANY(:b)"),
            {"b": list(bills)})).all()
        taken: dict[uuid.UUID, list[domain.Taken]] = {b: [] for b in bills}
        for r in rows:
            taken[r.bill_id].append(domain.Taken(r.step, r.taken_on))
        expected = {}
        for b, due in bills.items():
            step = domain.next_step(p, due, taken[b], day)
            if step is not None and day > due:
                expected[b] = (step, domain.disconnect_on(p, cal, due, day)
                               if step == "shutoff_notice" else None)
        async with service_apps["collections"].state.db.session() as s:
            await ladder.advance(s, day)
            await s.commit()
        got = {r.bill_id: (r.step, r.disconnect_on) for r in (await c.execute(text(
            "SELECT bill_id, step, disconnect_on FROM ladder_steps WHERE taken_on = :d "
            "AND bill_id = ANY(:b)"), {"d": day, "b": list(bills)})).all()}
        assert got == expected, day
        checked += len(got)
        day += timedelta(days=rnd.choice((1, 2, 3, 5)))
    assert checked > 250  # every bill climbed the whole ladder on some day


async def test_what_the_ladder_keeps_past_due_equals_a_recomputation_of_the_district(
        bound, service_apps, feed):
    """Runs after events (payments in full and in part, a return, a cancelled bill, a payment
    dated ahead) recompute only the accounts marked or falling due; what they leave must be
    what recomputing every account from scratch gives."""
    from tests.collections.helpers import bill_issued, entry_posted, make_account

    c = bound["collections"]
    accts = [await make_account(feed) for _ in range(6)]
    due = date(2026, 3, 2)
    for i, a in enumerate(accts):
        for m in range(3):
            d = due + timedelta(days=30 * m + i)
            b = bill_issued(a, f"{100 + 10 * i}.00", "0", due=str(d),
                            bill_date=str(d - timedelta(days=20)))
            await feed.send("billing.BillIssued", f"account:{a.id}", b)
            if i == 3 and m == 1:
                await feed.send("billing.BillCancelled", f"account:{a.id}", {
                    "bill_id": b["bill"]["id"], "account_id": a.id, "reason": "rebill",
                    "cancelled_on": str(d + timedelta(days=3)), "replaced_by": None})
    await feed.drain()
    entries = [(0, "payment", "-110.00", 12), (1, "payment", "-60.00", 20),
               (2, "payment", "-120.00", 25), (2, "payment_reversal", "120.00", 45),
               (4, "payment", "-500.00", 70), (5, "late_charge", "5.00", 40)]

    async def run(day: date) -> None:
        async with service_apps["collections"].state.db.session() as s:
            await ladder.advance(s, day)
            await s.commit()

    for n in range(0, 95, 4):
        day = due + timedelta(days=n)
        for i, kind, amount, on in entries:
            if on in (n - 3, n - 2, n - 1, n):  # delivered on the day it is dated, or ahead
                await feed.send("billing.LedgerEntryPosted", f"account:{accts[i].id}",
                                entry_posted(accts[i], kind, amount,
                                             str(due + timedelta(days=on + 2)), "0"))
        await feed.drain()
        await run(day)
    kept = sorted(tuple(r) for r in (await c.execute(text(
        "SELECT account_id::text, coalesce(bill_id::text, ''), due_date, open_amount, "
        "past_due, prior FROM ladder_open"))).all())
    await c.execute(text("DELETE FROM ladder_computed"))
    await run(due + timedelta(days=92))
    again = sorted(tuple(r) for r in (await c.execute(text(
        "SELECT account_id::text, coalesce(bill_id::text, ''), due_date, open_amount, "
        "past_due, prior FROM ladder_open"))).all())
    assert kept == again
    assert len({r[0] for r in kept}) >= 4
