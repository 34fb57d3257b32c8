"""Use cases of the ledger: post entries (with their event), account view with aging,
balance transfers, reconciliation."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.billing.ledger import domain
from services.billing.ledger import repository as repo
from services.billing.ledger.schemas import (
    AccountLedger,
    BudgetOffer,
    BudgetOut,
    EntryOut,
    Reconciliation,
    SettlementOut,
    TransferOut,
)


async def post(s: AsyncSession, account_id: uuid.UUID, kind: str, amount: Decimal,
               posted_on: date, reference: str | None, who: str,
               corrects: uuid.UUID | None = None) -> repo.Posted | None:
    """Post one entry and announce it (`billing.LedgerEntryPosted` with the new balance)."""
    e = await repo.post(s, account_id, kind, amount, posted_on, reference, who, corrects)
    if e is None:
        return None
    bal = await repo.balance(s, account_id)
    await publish(s, [Event("billing.LedgerEntryPosted", f"account:{account_id}", {
        "entry": {"id": str(e.id), "account_id": str(account_id), "kind": kind,
                  "amount": str(amount), "posted_on": posted_on.isoformat(),
                  "reference": reference, "corrects": str(corrects) if corrects else None},
        "balance": str(bal)})], actor=who)
    return e


async def balance(s: AsyncSession, account_id: uuid.UUID) -> Decimal:
    """The account's balance: the sum of its entries."""
    return await repo.balance(s, account_id)


async def post_run_bills(s: AsyncSession, run_id: uuid.UUID, posted_on: date,
                         due_date: date, who: str) -> int:
    """Post a run's final bills (with a `budget_deferral` for accounts on budget billing) in
    one statement, from the bills table itself; returns how many entries were written. Bills
    are announced by their `billing.BillIssued`, which carries the balance after them, not by
    `LedgerEntryPosted`."""
    return await repo.post_run_bills(s, run_id, posted_on, due_date, who)


async def reverse_bills(s: AsyncSession, bill_ids: Sequence[uuid.UUID], on: date,
                        who: str) -> None:
    """Cancelled bills: reverse each one's entry and its budget deferral (announced by
    `billing.BillCancelled`)."""
    await repo.reverse_bills(s, bill_ids, on, who)


async def account_ledger(s: AsyncSession, account_id: uuid.UUID, today: date) -> AccountLedger:
    rows = await repo.entries(s, account_id)
    if not rows and await repo.account(s, account_id) is None:
        raise NotFound("No such account", field="account_id")
    ages, credit = domain.aging(
        [domain.Entry(r.amount, r.posted_on, r.due_date, r.seq) for r in rows], today)
    return AccountLedger(account_id=account_id,
                         balance=sum((r.amount for r in rows), Decimal("0.00")),
                         aging=ages, unapplied_credit=credit,
                         entries=[EntryOut.model_validate(r, from_attributes=True)
                                  for r in rows])


async def transfer(s: AsyncSession, who: Principal, frm: uuid.UUID, to: uuid.UUID,
                   reason: str, today: date) -> TransferOut:
    """Move a closed account's balance to an active account of the same customer."""
    a, b = await repo.account(s, frm), await repo.account(s, to)
    if a is None or b is None:
        raise NotFound("No such account", field="from_account_id" if a is None
                       else "to_account_id")
    if frm == to:
        raise Unprocessable("Transfer to the same account", field="to_account_id")
    if a.status != "closed":
        raise Unprocessable("Only a closed account's balance is transferred",
                            field="from_account_id")
    if b.status != "active":
        raise Unprocessable("The receiving account is not active", field="to_account_id")
    if a.customer_id != b.customer_id:
        raise Unprocessable("Both accounts must belong to the same customer",
                            field="to_account_id")
    bal = await repo.balance(s, frm)
    if bal == 0:
        raise Unprocessable("The closed account has no balance", field="from_account_id")
    ref = f"transfer:{uuid.uuid4()}"
    out = await post(s, frm, "transfer_out", -bal, today, ref, who.sub)
    into = await post(s, to, "transfer_in", bal, today, ref, who.sub)
    if out is None or into is None:  # the reference is new: never, short of a uuid collision
        raise Conflict("This transfer was already posted")
    await audit.record(s, who, "transfer", "account", str(frm), reason=reason,
                       after={"to": to, "amount": bal})
    return TransferOut(amount=bal, out_entry_id=out.id, in_entry_id=into.id)


async def reconcile(s: AsyncSession) -> Reconciliation:
    r = await repo.reconcile(s)
    ok = (r.ledger_total == r.balances_total and r.bills_not_matching_lines == 0
          and r.final_bills_not_posted == 0 and r.cancelled_bills_not_reversed == 0)
    return Reconciliation(ok=ok, **dataclasses.asdict(r))


async def budget(s: AsyncSession, account_id: uuid.UUID,
                 who: Principal | None = None) -> BudgetOut:
    if who is not None:
        _own(who, account_id)
    bp = await repo.budget_plan(s, account_id)
    if bp is None:
        raise NotFound("The account is not on budget billing", field="account_id")
    return BudgetOut(account_id=account_id, monthly_amount=bp.monthly_amount,
                     enrolled_on=bp.enrolled_on, status=bp.status,
                     deferred=await repo.deferred(s, account_id))


def _own(who: Principal, account_id: uuid.UUID) -> None:
    """A portal customer reaches only the accounts in their token (others: 404, as unknown)."""
    if who.role == "customer" and str(account_id) not in who.accounts:
        raise NotFound("No such account", field="account_id")


async def _budget_terms(s: AsyncSession, account_id: uuid.UUID,
                        today: date) -> tuple[Decimal | None, str | None]:
    """The monthly budget amount, or why the account cannot enrol (one rule for the offer
    the portal shows and the enrolment itself)."""
    acct = await repo.account(s, account_id)
    if acct is None:
        raise NotFound("No such account", field="account_id")
    if acct.status != "active":
        return None, "Only an active account can enrol"
    amount = domain.budget_amount(await repo.last_bill_totals(s, account_id, 12))
    if amount is None or amount <= 0:
        return None, "Budget billing needs 12 months of bills"
    if await repo.returned_payments_since(s, account_id, today - timedelta(days=365)):
        return None, "A payment was returned in the last 12 months"
    return amount, None


async def budget_offer(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                       today: date) -> BudgetOffer:
    """Whether the account may enrol in budget billing today, for how much, or why not."""
    _own(who, account_id)
    plan = await repo.budget_plan(s, account_id)
    amount, reason = await _budget_terms(s, account_id, today)
    return BudgetOffer(account_id=account_id, eligible=amount is not None and plan is None,
                       monthly_amount=amount, reason=reason,
                       enrolled=plan is not None)


async def enrol_budget(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                       today: date) -> BudgetOut:
    """Budget billing: 12 months of bills and no returned payment in them; the monthly amount
    is their average. Each bill then posts a `budget_deferral` so the amount due is the budget."""
    _own(who, account_id)
    amount, reason = await _budget_terms(s, account_id, today)
    if amount is None:
        raise Unprocessable(reason or "The account cannot enrol", field="account_id")
    await repo.upsert_budget(s, account_id, amount, today, who.sub)
    await audit.record(s, who, "enrol-budget", "account", str(account_id),
                       after={"monthly_amount": amount})
    return await budget(s, account_id)


async def settle_budget(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                        today: date) -> SettlementOut:
    """Annual true-up: what was deferred becomes due (or a credit)."""
    if await repo.budget_plan(s, account_id) is None:
        raise NotFound("The account is not on budget billing", field="account_id")
    owed = await repo.deferred(s, account_id)
    if owed != 0:
        await post(s, account_id, "budget_settlement", owed, today,
                   f"settlement:{uuid.uuid4()}", who.sub)
    await audit.record(s, who, "settle-budget", "account", str(account_id),
                       after={"settled": owed})
    return SettlementOut(account_id=account_id, settled=owed,
                         balance=await repo.balance(s, account_id))
