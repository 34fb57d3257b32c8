"""The end-of-day report: what payments took on a day (the utility's day), by channel, tender,
drawer and batch, the day's returns and deposits, and the tie-out against billing's ledger."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.clock import utc_now
from kernel.settings import get_settings
from services.payments.bankdeposits import service as bankdeposits
from services.payments.dayend import domain, printed
from services.payments.dayend import repository as repo
from services.payments.dayend.domain import Sum, TieOut
from services.payments.dayend.schemas import (
    BankDepositCheck,
    BatchLine,
    ChannelOut,
    ChannelTenderOut,
    DayEndReport,
    DepositLine,
    DifferenceLine,
    DrawerLine,
    LockboxLine,
    MissingLine,
    ReturnLine,
    SettlementOut,
    SumOut,
    TenderOut,
    TieOutOut,
    TieOutReport,
)


def _sum(x: Sum) -> SumOut:
    return SumOut(count=x.count, total=x.total)


def _tie(t: TieOut) -> TieOutOut:
    return TieOutOut(
        payments=_sum(t.payments), ledger=_sum(t.ledger), matched=_sum(t.matched),
        missing=_sum(t.missing),
        missing_items=[MissingLine(reference=m.reference, amount=m.amount, what=m.what,
                                   since=m.since, waiting_seconds=m.waiting_seconds)
                       for m in t.missing_items],
        differences=[DifferenceLine(reference=d.reference, kind=d.kind,
                                    payments_amount=d.payments_amount,
                                    ledger_amount=d.ledger_amount,
                                    payments_date=d.payments_date, ledger_date=d.ledger_date)
                     for d in t.differences],
        differences_count=t.differences_count, balanced=t.balanced)


def _uuid(v: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(v))
    except ValueError:
        return None


async def report(s: AsyncSession, day: date, now: datetime | None = None) -> DayEndReport:
    now = now or utc_now()
    settings = get_settings()
    paid = await repo.paid(s, day)
    ledger = await repo.ledger(s, day)
    ours = {p.id for p in paid}
    others = [u for e in ledger if e.kind == "payment" and e.posted_on == day
              and e.reference not in ours and (u := _uuid(e.reference)) is not None]
    tie_paid = domain.tie_payments(day, paid, ledger, await repo.received_on(s, others), now)
    returned = await repo.returned(s, day)
    tie_ret = domain.tie_returns(day, returned, ledger, now)
    in_ledger = {e.reference for e in ledger if e.kind == "payment_reversal"}

    drawers = await repo.drawers(s, day)
    tenders = await repo.drawer_tenders(s, [d.id for d in drawers])
    batches = await repo.batches(s, day)
    deposits = await bankdeposits.of_day(s, day)

    by_ct = domain.group(paid, ("channel", "tender"))
    settlement: dict[str, Sum] = {}
    for (ch, tn), x in by_ct.items():
        k = domain.settled_by(ch, tn)
        acc = settlement.get(k, Sum())
        settlement[k] = Sum(acc.count + x.count, acc.total + x.total)
    to_deposit = settlement.get("deposit", Sum()).total
    over_short = sum((d.over_short or domain.ZERO for d in drawers), domain.ZERO)
    deposited = (sum((d.deposited or domain.ZERO for d in drawers), domain.ZERO)
                 + sum((b.deposited or domain.ZERO for b in batches), domain.ZERO))
    pending = [f"drawer {d.id}" for d in drawers if d.deposit_number is None]
    pending += [f"batch {b.id}" for b in batches if b.deposit_number is None]

    drawer_lines = []
    for d in drawers:
        taken = [TenderOut(tender=t.tender, count=t.count, total=t.total)
                 for t in tenders if t.owner == d.id]
        drawer_lines.append(DrawerLine(
            id=d.id, cashier=d.cashier, status=d.status, opened_on=d.opened_on,
            float_amount=d.float_amount, counted_cash=d.counted_cash,
            expected_cash=d.expected_cash, over_short=d.over_short,
            signed_off_by=d.signed_off_by, taken=taken,
            total=sum((t.total for t in taken), domain.ZERO),
            deposit_number=d.deposit_number, deposited=d.deposited))

    return DayEndReport(
        date=day, timezone=settings.timezone, generated_at=now, utility=settings.utility_name,
        totals=SumOut(count=len(paid), total=sum((p.amount for p in paid), domain.ZERO)),
        by_channel=[ChannelOut(channel=k[0], count=x.count, total=x.total)
                    for k, x in domain.group(paid, "channel").items()],
        by_tender=[TenderOut(tender=k[0], count=x.count, total=x.total)
                   for k, x in domain.group(paid, "tender").items()],
        by_channel_tender=[ChannelTenderOut(channel=k[0], tender=k[1],
                                            settled_by=domain.settled_by(k[0], k[1]),
                                            count=x.count, total=x.total)
                           for k, x in by_ct.items()],
        by_settlement=[SettlementOut(settled_by=k, count=x.count, total=x.total)
                       for k, x in sorted(settlement.items())],
        drawers=drawer_lines,
        batches=[BatchLine(id=b.id, keyed_by=b.keyed_by, received_on=b.received_on,
                           status=b.status, control_count=b.control_count,
                           control_total=b.control_total, count=b.count, total=b.total,
                           deposit_number=b.deposit_number, deposited=b.deposited)
                 for b in batches],
        lockbox_imports=[LockboxLine(id=i.id, file_id=i.file_id, imported_at=i.imported_at,
                                     imported_by=i.imported_by, posted_count=i.posted_count,
                                     posted_total=i.posted_total,
                                     suspense_count=i.suspense_count,
                                     suspense_total=i.suspense_total)
                         for i in await repo.lockbox_imports(s, day, settings.timezone)],
        returns=[ReturnLine(reference=r.reference, payment_id=r.payment_id, amount=r.amount,
                            reason=r.reason, in_ledger=r.reference in in_ledger)
                 for r in returned],
        deposits=[DepositLine(id=d.id, number=d.number, status=d.status,
                              cash_total=d.cash_total, checks_count=d.checks_count,
                              checks_total=d.checks_total, total=d.total,
                              bank_reference=d.bank_reference, deposited_on=d.deposited_on)
                  for d in deposits],
        bank_deposit=BankDepositCheck(
            to_deposit=to_deposit, over_short=over_short, expected=to_deposit + over_short,
            deposited=deposited, not_deposited=pending,
            balanced=not pending and deposited == to_deposit + over_short),
        tie_out=TieOutReport(
            payments=_tie(tie_paid), returns=_tie(tie_ret),
            ledger_heard_through=await repo.ledger_heard_through(s),
            billing_events_waiting=await repo.billing_waiting(s),
            balanced=tie_paid.balanced and tie_ret.balanced))


async def report_pdf(s: AsyncSession, day: date) -> bytes:
    return printed.pdf(await report(s, day))


async def report_csv(s: AsyncSession, day: date) -> str:
    return printed.csv_text(await report(s, day))
