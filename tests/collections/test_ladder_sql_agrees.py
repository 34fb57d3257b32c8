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
