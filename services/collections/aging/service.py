"""Use cases of aging: one account's aging, and the monthly aging report over the district.

Aging is never stored: it is the pure rule (`domain.aging`) over the copy's entries and a day,
so it is current as soon as an event has changed the entries, and the same entries give the
same aging on every replay.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.errors import NotFound
from kernel.settings import get_settings
from services.collections.aging import domain, report
from services.collections.aging import repository as repo
from services.collections.aging.schemas import (
    AccountAging,
    AgingReport,
    Buckets,
    ReportRow,
    ReportTotals,
)


async def account_aging(s: AsyncSession, account_id: uuid.UUID, today: date) -> AccountAging:
    rows = await repo.entries(s, account_id)
    if not rows and not await repo.known(s, account_id):
        raise NotFound("No such account (an account appears once accounts or billing has "
                       "announced it)", field="account_id")
    a = domain.aging([domain.Entry(r.amount, r.posted_on, r.due_date) for r in rows], today)
    return AccountAging(account_id=account_id, as_of=today, buckets=Buckets(**a.buckets),
                        unapplied_credit=a.unapplied_credit, balance=a.balance,
                        past_due=a.past_due, days_past_due=a.days_past_due,
                        oldest_due_date=a.oldest_due,
                        billing_balance=await repo.announced_balance(s, account_id))


def _aged(r: repo.AccountAged, as_of: date) -> domain.Aging:
    return domain.Aging(as_of=as_of, buckets={k: getattr(r, k) for k in domain.BUCKETS},
                        unapplied_credit=r.unapplied_credit, oldest_due=r.oldest_due)


async def aged(s: AsyncSession, account_ids: Sequence[uuid.UUID],
               as_of: date) -> dict[uuid.UUID, domain.Aging]:
    """Many accounts' aging at once, set-based (the report's statement, for those accounts):
    what the SB 998 guardrails ask for every disconnect candidate of a day."""
    return {r.account_id: _aged(r, as_of)
            for r in await repo.aged_some(s, account_ids, as_of)}


async def aging_report(s: AsyncSession, as_of: date, with_rows: bool = True) -> AgingReport:
    """Every account's aging as of the day, set-based in one statement (the domain's rule, in
    SQL; a property test proves both agree to the cent). Without rows, the totals alone, summed
    in the database: the same figures without a row per account (a district's chart, the
    month's roll)."""
    totals = domain.Totals()
    out: list[ReportRow] = []
    if not with_rows:
        totals = _totals(await repo.aged_totals(s, as_of))
    for r in await repo.aged_accounts(s, as_of) if with_rows else []:
        a = _aged(r, as_of)
        totals.add(a)
        if with_rows and (a.balance or a.unapplied_credit):
            out.append(ReportRow(account_id=r.account_id, number=r.number, name=r.name,
                                 status=r.status, buckets=Buckets(**a.buckets),
                                 unapplied_credit=a.unapplied_credit, balance=a.balance,
                                 days_past_due=a.days_past_due))
    check = await repo.announced_check(s)
    return AgingReport(
        as_of=as_of,
        totals=ReportTotals(accounts=totals.accounts, buckets=Buckets(**totals.buckets),
                            unapplied_credit=totals.unapplied_credit, balance=totals.balance),
        billing_announced_total=check.announced_total, accounts_behind=check.accounts_behind,
        rows=out)


def _totals(t: repo.DistrictAged) -> domain.Totals:
    buckets = {k: getattr(t, k) for k in domain.BUCKETS}
    return domain.Totals(accounts=t.accounts, buckets=buckets,
                         unapplied_credit=t.unapplied_credit,
                         balance=sum(buckets.values(), domain.ZERO) - t.unapplied_credit)


def _report_totals(t: domain.Totals) -> ReportTotals:
    return ReportTotals(accounts=t.accounts, buckets=Buckets(**t.buckets),
                        unapplied_credit=t.unapplied_credit, balance=t.balance)


async def totals_on_two_days(s: AsyncSession, first: date,
                             second: date) -> tuple[ReportTotals, ReportTotals, Decimal]:
    """The district's totals at a month's opening and closing (one statement for both, the
    same figures as two reports without rows), and what billing last announced in all."""
    one, two = await repo.aged_totals_two_days(s, first, second)
    check = await repo.announced_check(s)
    return (_report_totals(_totals(one)), _report_totals(_totals(two)),
            check.announced_total)


async def aging_csv(s: AsyncSession, as_of: date) -> list[str]:
    """The report as CSV chunks, computed in the request's transaction and streamed after it."""
    return list(report.csv_chunks(await aging_report(s, as_of)))


async def aging_pdf(s: AsyncSession, as_of: date) -> bytes:
    return report.pdf(get_settings().utility_name, await aging_report(s, as_of))
