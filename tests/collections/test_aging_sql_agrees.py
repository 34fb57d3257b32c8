"""The report ages the district in one SQL statement (`aging/repository.py: AGING`); the rule
is `aging/domain.py: aging`. Drawn ledgers (bills with due dates and budget deferrals, some
cancelled, and announced entries of either sign, some posted after the day) must age alike in
both, account by account, to the cent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from services.collections.aging import domain
from services.collections.aging import repository as repo

START = date(2025, 6, 1)
money = st.decimals(min_value=Decimal("-250.00"), max_value=Decimal("250.00"), places=2)
positive = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("250.00"), places=2)
day = st.integers(min_value=0, max_value=300)


@dataclass(frozen=True)
class Bill:
    total: Decimal
    posted: int
    due_after: int
    deferral: Decimal | None
    cancelled: int | None  # days after START, or not cancelled


@dataclass(frozen=True)
class Ledger:
    bills: list[Bill]
    entries: list[tuple[Decimal, int]]


bills = st.builds(Bill, positive, day, st.integers(min_value=0, max_value=30),
                  st.one_of(st.none(), money.filter(bool)), st.one_of(st.none(), day))
ledgers = st.builds(Ledger, st.lists(bills, max_size=6),
                    st.lists(st.tuples(money.filter(bool), day), max_size=8))


def python_entries(lg: Ledger) -> list[domain.Entry]:
    out = []
    for b in lg.bills:
        on, due = START + timedelta(days=b.posted), START + timedelta(days=b.posted + b.due_after)
        out.append(domain.Entry(b.total, on, due))
        if b.deferral is not None:
            out.append(domain.Entry(b.deferral, on, due))
        if b.cancelled is not None:
            off = START + timedelta(days=b.cancelled)
            out.append(domain.Entry(-b.total, off))
            if b.deferral is not None:
                out.append(domain.Entry(-b.deferral, off))
    out += [domain.Entry(amount, START + timedelta(days=d)) for amount, d in lg.entries]
    return out


async def store(s, account_id: str, lg: Ledger) -> None:
    for b in lg.bills:
        on = START + timedelta(days=b.posted)
        await s.execute(text(
            "INSERT INTO bills (id, account_id, bill_date, due_date, total, budget_deferral, "
            "status, cancelled_on) VALUES (:id, :a, :on, :due, :t, :bd, :st, :off)"),
            {"id": uuid.uuid4(), "a": account_id, "on": on,
             "due": on + timedelta(days=b.due_after), "t": b.total, "bd": b.deferral,
             "st": "open" if b.cancelled is None else "cancelled",
             "off": None if b.cancelled is None else START + timedelta(days=b.cancelled)})
    for amount, d in lg.entries:
        await s.execute(text(
            "INSERT INTO ledger_entries (id, account_id, kind, amount, posted_on) "
            "VALUES (:id, :a, :k, :amt, :on)"),
            {"id": uuid.uuid4(), "a": account_id, "k": "payment" if amount < 0 else "late_charge",
             "amt": amount, "on": START + timedelta(days=d)})


SAME_DAY = Ledger([Bill(Decimal("30.00"), 10, 20, None, None),
                   Bill(Decimal("10.00"), 12, 18, Decimal("-5.00"), 40)],
                  [(Decimal("-25.00"), 50), (Decimal("7.50"), 60)])


#: a debit at every bucket edge (0, 1, 30, 31 ... 120, 121 days past due on day 300)
EDGES = Ledger([Bill(Decimal(k + 1), 300 - k, 0, None, None)
                for k in (0, 1, 30, 31, 60, 61, 90, 91, 120, 121)], [(Decimal("-0.50"), 1)])


@example(ledgers_=[SAME_DAY, Ledger([], [(Decimal("-3.00"), 5)])], offset=90)
@example(ledgers_=[EDGES], offset=300)
@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(ledgers_=st.lists(ledgers, min_size=1, max_size=4),
       offset=st.integers(min_value=0, max_value=450))
async def test_sql_and_python_age_every_account_alike_to_the_cent(service_apps, ledgers_,
                                                                  offset):
    as_of = START + timedelta(days=offset)
    ids = [str(uuid.uuid4()) for _ in ledgers_]
    async with service_apps["collections"].state.db.session() as s:
        try:
            for account_id, lg in zip(ids, ledgers_, strict=True):
                await store(s, account_id, lg)
            got = {str(r.account_id): r for r in await repo.aged_accounts(s, as_of)}
            some = {str(r.account_id): r for r in await repo.aged_some(s, ids, as_of)}
            totals = await repo.aged_totals(s, as_of)
            # a month's opening and closing at once, as the roll asks for them
            earlier = as_of - timedelta(days=offset % 45)
            pair = await repo.aged_totals_two_days(s, earlier, as_of)
            apart = (await repo.aged_totals(s, earlier), totals)
        finally:
            await s.rollback()
    for account_id, lg in zip(ids, ledgers_, strict=True):
        entries = [e for e in python_entries(lg) if e.posted_on <= as_of]
        if not entries:
            assert account_id not in got
            continue
        want = domain.aging(entries, as_of)
        r = got[account_id]
        assert {k: getattr(r, k) for k in domain.BUCKETS} == want.buckets
        assert (r.unapplied_credit, r.balance, r.oldest_due) == (
            want.unapplied_credit, want.balance, want.oldest_due)
    # the same rule for a few accounts (the guardrails' question) and summed for the district
    # (the month's roll) gives the same figures
    assert some == {a: got[a] for a in ids if a in got}
    assert totals.accounts == len(got)
    for k in (*domain.BUCKETS, "unapplied_credit"):
        assert getattr(totals, k) == sum((getattr(r, k) for r in got.values()), Decimal("0.00"))
    assert pair == apart
