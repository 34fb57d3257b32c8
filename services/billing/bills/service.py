"""Use cases of bills: read, explain, statement PDF, print-vendor file, run reports."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.auth import Principal
from kernel.csvexport import Export
from kernel.errors import NotFound
from services.billing.bills import domain
from services.billing.bills import repository as repo
from services.billing.bills import statement_service as statement
from services.billing.bills.schemas import (
    AccountBill,
    BillOut,
    ConsumptionRow,
    Explanation,
    LineOut,
    RegisterRow,
)

#: The staff route already checked the caller's role; the statement needs no other authority.
STAFF = Principal("billing", "billing_tech", "Statement")
PRINT_COLUMNS = ("account_number", "name", "line1", "line2", "city", "state", "postal_code",
                 "bill_date", "due_date", "period_start", "period_end", "bill_total",
                 "bill_id", "print")


def _visible(b: repo.Bill | None, who: Principal | None) -> repo.Bill:
    """A portal customer sees the issued bills of the accounts in their token; a draft, a
    bill of another account and an unknown id all answer the same 404 (ids cannot be probed)."""
    if b is None or (who is not None and who.role == "customer" and (
            str(b.account_id) not in who.accounts or b.status == "draft")):
        raise NotFound("No such bill", field="bill_id")
    return b


async def get(s: AsyncSession, bill_id: uuid.UUID, who: Principal | None = None) -> BillOut:
    b = _visible(await repo.bill(s, bill_id), who)
    ls = await repo.lines(s, bill_id)
    return BillOut(id=b.id, run_id=b.run_id, account_id=b.account_id,
                   account_number=b.account_number, period_start=b.period_start,
                   period_end=b.period_end, bill_date=b.bill_date, due_date=b.due_date,
                   status=b.status, total=b.total, flags=list(b.flags), replaces=b.replaces,
                   replaced_by=b.replaced_by, messages=list(b.messages),
                   lines=[LineOut.model_validate(ln, from_attributes=True) for ln in ls])


async def explain(s: AsyncSession, bill_id: uuid.UUID,
                  who: Principal | None = None) -> Explanation:
    b = _visible(await repo.bill(s, bill_id), who)
    ls = await repo.lines(s, bill_id)
    dl = [domain.Line(ln.service, ln.kind, ln.description, ln.seg_start, ln.seg_end,
                      ln.quantity, ln.unit_price, ln.tier, ln.version_name, ln.amount)
          for ln in ls]
    water = [ln.quantity for ln in ls if ln.kind == "volume" and ln.service == "water"]
    text_ = domain.explain(dl, b.period_start, b.period_end, b.total,
                           sum(water, Decimal(0)) if water else None)
    if b.replaces:
        text_.append(f"This bill replaces bill {b.replaces}, which was cancelled.")
    if b.status == "cancelled":
        text_.append(f"This bill was cancelled ({b.cancel_reason}); see {b.replaced_by}.")
    return Explanation(bill_id=bill_id, text=text_)


async def statement_pdf(s: AsyncSession, bill_id: uuid.UUID,
                        who: Principal | None = None) -> bytes:
    """The statement PDF (statement_service.py; a customer sees only their own final bills)."""
    return await statement.pdf(s, who or STAFF, bill_id)


async def print_file(s: AsyncSession, run_id: uuid.UUID) -> str:
    """The print vendor's CSV for a finalised run, sorted by postal code (paperless rows are
    present with print=N so the vendor's counts reconcile with the register)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(PRINT_COLUMNS)
    for r in await repo.print_rows(s, run_id):
        m = r.mailing or {}
        w.writerow([domain.stub_number(r.number), r.name, m.get("line1", ""),
                    m.get("line2", "") or "", m.get("city", ""), m.get("state", ""),
                    m.get("postal_code", ""), r.bill_date, r.due_date, r.period_start,
                    r.period_end, f"{r.total:.2f}", r.id, "N" if r.paperless else "Y"])
    return out.getvalue()


async def register(s: AsyncSession, run_id: uuid.UUID) -> list[RegisterRow]:
    return await repo.register(s, run_id)


def register_export(run_id: uuid.UUID) -> Export:
    """The whole register of a run, for a CSV download."""
    return repo.register_export(run_id)


async def consumption(s: AsyncSession, run_id: uuid.UUID) -> list[ConsumptionRow]:
    return await repo.consumption(s, run_id)


#: How far back an account's bill history reaches by default: a year, and the year before it.
HISTORY_MONTHS = 24


async def of_account(s: AsyncSession, account_id: uuid.UUID, since: date | None,
                     today: date, who: Principal | None = None) -> list[AccountBill]:
    """The account's issued bills: Account 360 lists them and charts their water use, the
    portal lists them with their statements."""
    if who is not None and who.role == "customer" and str(account_id) not in who.accounts:
        raise NotFound("No such account", field="account_id")
    start = since or domain.months_before(today, HISTORY_MONTHS)
    return [AccountBill.model_validate(r, from_attributes=True)
            for r in await repo.of_account(s, account_id, start)]
