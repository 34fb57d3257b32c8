"""Deposits: the move-in decision, the refund review, refund or credit (flush only)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict
from kernel.outbox import Event, publish
from services.accounts.customers import service as customers
from services.accounts.deposits import domain, repository
from services.accounts.deposits.schemas import (
    DepositOut,
    DepositTx,
    DueDeposit,
    ReleaseIn,
    ReviewOut,
)


async def decide_at_move_in(
    session: AsyncSession, who: Principal, account_id: uuid.UUID, customer_id: uuid.UUID,
    premise_kind: str, on: date, *, is_owner: bool, letter_of_credit: bool,
    waive_reason: str | None,
) -> domain.Decision:
    """Apply the configured policy; a required deposit is held on the account from `on`
    (billing charges it from the `deposit_decision` on `accounts.AccountChanged`)."""
    policy = domain.load_policy()
    since = domain.months_before(on, policy.good_history_months)
    history = await repository.good_history_elsewhere(session, customer_id, since)
    decision = domain.decide(policy, premise_kind, is_owner=is_owner,
                             letter_of_credit=letter_of_credit, good_history_elsewhere=history,
                             waive_reason=waive_reason)
    kind = "required" if decision.required else "waived"
    await repository.add_transaction(session, account_id, kind, decision.amount, on,
                                     decision.reason, who.sub)
    if decision.required:
        before = await customers.get_account(session, account_id)
        current = before.deposit_held
        await repository.set_held(session, account_id, current + decision.amount,
                                  before.deposit_held_since or on)
    await audit.record(session, who, f"deposit.{kind}", "account", str(account_id),
                       after={"amount": decision.amount, "reason": decision.reason})
    return decision


async def status(session: AsyncSession, account_id: uuid.UUID) -> DepositOut:
    account = await customers.get_account(session, account_id)
    txs = [DepositTx.model_validate(dict(r._mapping))
           for r in await repository.transactions(session, account_id)]
    return DepositOut(account_id=account_id, held=account.deposit_held,
                      held_since=account.deposit_held_since, transactions=txs)


async def review(session: AsyncSession, who: Principal, today: date) -> ReviewOut:
    """Find held deposits due back and announce each once (`accounts.DepositDueForRefund`)."""
    months = domain.load_policy().good_history_months
    rows = await repository.candidates(session, domain.months_before(today, months))
    due = [r for r in rows if domain.due_for_refund(r.deposit_held, r.deposit_held_since,
                                                     r.last_mark, today, months)]
    fresh = [r for r in due if r.deposit_refund_announced_on is None]
    events = [Event("accounts.DepositDueForRefund", f"account:{r.id}", {
        "account_id": str(r.id), "amount": f"{r.deposit_held:.2f}",
        "held_since": r.deposit_held_since.isoformat()}) for r in fresh]
    await publish(session, events, who.sub)
    if fresh:
        await repository.mark_announced(session, [r.id for r in fresh], today)
        for r in fresh:
            await audit.record(session, who, "deposit.due_for_refund", "account", str(r.id),
                               after={"amount": r.deposit_held, "today": today})
    return ReviewOut(today=today, announced_now=len(fresh), due=[
        DueDeposit(account_id=r.id, account_number=r.number, amount=r.deposit_held,
                   held_since=r.deposit_held_since,
                   announced=r.deposit_refund_announced_on is not None or r in fresh)
        for r in due])


async def release(session: AsyncSession, who: Principal, account_id: uuid.UUID,
                  body: ReleaseIn) -> DepositOut:
    """Refund the held deposit to the customer, or credit it to the account."""
    before = await customers.get_account(session, account_id, lock=True)
    if before.deposit_held <= 0:
        raise Conflict("No deposit is held on this account", field="account_id")
    amount = before.deposit_held
    kind = "refunded" if body.method == "refund" else "credited"
    await repository.add_transaction(session, account_id, kind, amount, body.on_date,
                                     body.reason, who.sub)
    await repository.set_held(session, account_id, Decimal("0.00"), None)
    after = await customers.get_account(session, account_id)
    await audit.record(session, who, f"deposit.{kind}", "account", str(account_id),
                       before=before, after=after, reason=body.reason)
    await publish(session, [customers.account_event(after, deposit_release={
        "amount": f"{amount:.2f}", "method": body.method, "on_date": body.on_date.isoformat()})],
        who.sub)
    return await status(session, account_id)


async def record_mark(session: AsyncSession, account_id: uuid.UUID, kind: str, on: date,
                      event_id: uuid.UUID) -> None:
    await repository.add_mark(session, account_id, kind, on, event_id)
