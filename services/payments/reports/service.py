"""Payments' reports: receipts by tender for a month, and the payments received."""

from __future__ import annotations

from datetime import date

from fastapi import Response
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.csvexport import Export
from kernel.reporttable import Catalogue, download
from kernel.settings import get_settings
from services.payments.reports import domain, report
from services.payments.reports import repository as repo
from services.payments.reports.schemas import (
    LedgerTieOut,
    ReceiptsByTender,
    ReceivedOut,
    TenderLine,
)


async def receipts_by_tender(s: AsyncSession, month: str) -> ReceiptsByTender:
    start, end = domain.month_range(month)
    rows = await repo.by_tender(s, start, end, domain.TENDERS)
    lines = [TenderLine(tender=r.tender, receipts=r.receipts, amount=r.amount,
                        returns=r.returns, returned=r.returned, net=r.amount - r.returned)
             for r in rows]
    total = TenderLine(
        tender="total", receipts=sum(x.receipts for x in lines),
        amount=sum((x.amount for x in lines), start=domain.ZERO),
        returns=sum(x.returns for x in lines),
        returned=sum((x.returned for x in lines), start=domain.ZERO),
        net=sum((x.net for x in lines), start=domain.ZERO))
    tie = await repo.ledger_tie(s, start, end)
    return ReceiptsByTender(
        month=month, start=start, end=end, lines=lines, total=total,
        ledger=LedgerTieOut(payments=tie.payments, reversals=tie.reversals,
                            receipts_less_ledger=total.amount - tie.payments,
                            returns_less_ledger=total.returned - tie.reversals))


def catalogue() -> Catalogue:
    return report.CATALOGUE


async def receipts_by_tender_file(s: AsyncSession, month: str, fmt: str) -> Response:
    table = report.receipts_table(await receipts_by_tender(s, month))
    return download(table, get_settings().utility_name, "pdf" if fmt == "pdf" else "csv",
                    f"receipts-by-tender-{month}")


async def received(s: AsyncSession, start: date, end: date, tender: str | None, limit: int,
                   offset: int) -> list[ReceivedOut]:
    return [ReceivedOut.model_validate(r, from_attributes=True)
            for r in await repo.received(s, start, end, tender, limit, offset)]


def received_export(start: date, end: date, tender: str | None) -> Export:
    return repo.received_export(start, end, tender)
