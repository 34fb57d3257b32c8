"""The daily sweep decides every arrangement in one SQL statement (`arrangements/repository.py:
SWEEP`); the rule is `arrangements/domain.py` (`paid_toward`, `allocate`, `decide`). Drawn
ledgers (bills with due dates, deferrals and cancellations, credits and debits, some posted after
the day) under a drawn arrangement must give the same verdict and the same paid part of every
instalment in both, to the cent."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from services.collections.arrangements import domain
from services.collections.arrangements import repository as repo
from tests.collections.test_aging_sql_agrees import (
    START,
    Bill,
    Ledger,
    ledgers,
    python_entries,
    store,
)

parts = st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("200.00"), places=2),
                 min_size=1, max_size=5)


ARREARS = Ledger([Bill(Decimal("100.00"), 0, 10, None, None)], [(Decimal("-50.00"), 100)])


# a credit posted on the day the arrangement is made counts toward it
@example(lg=ARREARS, made=100, gaps=[10] * 5, amounts=[Decimal("50.00")], offset=110)
# broken on the 60th day after the short instalment's due date, not the 59th
@example(lg=ARREARS, made=101, gaps=[10] * 5, amounts=[Decimal("50.00")], offset=171)
@example(lg=ARREARS, made=101, gaps=[10] * 5, amounts=[Decimal("50.00")], offset=170)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(lg=ledgers, made=st.integers(0, 200), gaps=st.lists(st.integers(1, 45), min_size=5,
                                                                max_size=5),
       amounts=parts, offset=st.integers(0, 450))
async def test_sql_and_python_decide_every_arrangement_alike(service_apps, lg, made, gaps,
                                                              amounts, offset):
    made_on = START + timedelta(days=made)
    today = START + timedelta(days=offset)
    xs, due = [], made_on
    for gap, amount in zip(gaps, amounts, strict=False):
        due += timedelta(days=gap)
        xs.append(domain.Instalment(due, amount))
    total = sum((x.amount for x in xs), Decimal("0"))
    account_id = uuid.uuid4()
    a = repo.Arrangement(id=uuid.uuid4(), account_id=account_id, kind="alternative",
                         status="active", total=total, made_on=made_on, completed_on=None,
                         broken_on=None, cancelled_on=None, cancel_reason=None,
                         created_by="t", changed_by=None, created_at=None)  # type: ignore[arg-type]
    async with service_apps["collections"].state.db.session() as s:
        try:
            await store(s, str(account_id), lg)
            await repo.insert(s, a, "k", "csr2", xs)
            changed = await repo.sweep(s, today, broken_after_days=60, may_break=True,
                                       who="t", account_id=account_id)
            payload = (await s.execute(text(
                "SELECT payload FROM outbox WHERE key = :k"),
                {"k": f"account:{account_id}"})).scalar_one_or_none()
        finally:
            await s.rollback()
    entries = [domain.Entry(e.amount, e.posted_on, e.due_date) for e in python_entries(lg)]
    paid = domain.paid_toward(entries, made_on, today, total)
    want = domain.decide(total, paid, xs, today, 60)
    got = changed[0].status if changed else "active"
    assert got == want, (paid, today)
    if changed:
        assert changed[0].paid == paid
        assert [Decimal(x["paid"]) for x in payload["instalments"]] == domain.allocate(paid, xs)
    else:
        assert payload is None
