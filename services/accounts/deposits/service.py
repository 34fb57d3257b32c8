"""Deposits: the move-in decision, the refund review, refund or credit (flush only).

The amount held is kept on the account (customers writes it); a release is recorded as
`DepositDueForRefund` and `AccountChanged`, announced by the outbox reaction."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict
from kernel.reactions import record
from services.accounts.customers import service as customers
from services.accounts.customers.facts import AccountChanged
from services.accounts.deposits import domain, repository
from services.accounts.deposits.facts import DepositDueForRefund
from services.accounts.deposits.schemas import (
    DepositOut,
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
        await customers.set_deposit_held(session, account_id,
                                          before.deposit_held + decision.amount,
                                          before.deposit_held_since or on)
    await audit.record(session, who, f"deposit.{kind}", "account", str(account_id),
                       after={"amount": decision.amount, "reason": decision.reason})
    return decision


async def status(session: AsyncSession, account_id: uuid.UUID) -> DepositOut:
    account = await customers.get_account(session, account_id)
    txs = await repository.transactions(session, account_id)
    return DepositOut(account_id=account_id, held=account.deposit_held,
                      held_since=account.deposit_held_since, transactions=txs)


async def due(session: AsyncSession, today: date) -> list[DueDeposit]:
    """Held deposits with 12 consecutive months of good payment history on `today`."""
    months = domain.load_policy().good_history_months
    rows = await repository.candidates(session, domain.months_before(today, months))
    return [DueDeposit(account_id=r.id, account_number=r.number, amount=r.deposit_held,
                       held_since=r.deposit_held_since)
            for r in rows if domain.due_for_refund(r.deposit_held, r.deposit_held_since,
                                                   r.last_mark, today, months)]


async def _release(session: AsyncSession, who: Principal, account_id: uuid.UUID, method: str,
                   on: date, reason: str | None) -> None:
    """Stop holding the deposit and announce it: billing applies it to the account
    (`accounts.DepositDueForRefund`), a refund then pays out the credit."""
    before = await customers.get_account(session, account_id, lock=True)
    if before.deposit_held <= 0:
        raise Conflict("No deposit is held on this account", field="account_id")
    amount, since = before.deposit_held, before.deposit_held_since or on
    kind = "refunded" if method == "refund" else "credited"
    await repository.add_transaction(session, account_id, kind, amount, on, reason, who.sub)
    after = await customers.set_deposit_held(session, account_id, Decimal("0.00"), None)
    await audit.record(session, who, f"deposit.{kind}", "account", str(account_id),
                       before=before, after=after, reason=reason)
    release = {"amount": f"{amount:.2f}", "method": method, "on_date": on.isoformat()}
    record(session, who,
           DepositDueForRefund(account_id, amount, since, method, reason),
           AccountChanged(after, deposit_release=release))


async def review(session: AsyncSession, who: Principal, today: date) -> ReviewOut:
    """Release every deposit due on `today` (credited to the account), each exactly once."""
    released = await due(session, today)
    for d in released:
        await _release(session, who, d.account_id, "credit", today,
                       "12 consecutive months of good payment history")
    return ReviewOut(today=today, released=released)


async def release(session: AsyncSession, who: Principal, account_id: uuid.UUID,
                  body: ReleaseIn) -> DepositOut:
    """A supervisor refunds the held deposit to the customer, or credits it to the account."""
    await _release(session, who, account_id, body.method, body.on_date, body.reason)
    return await status(session, account_id)


async def record_mark(session: AsyncSession, account_id: uuid.UUID, kind: str, on: date,
                      event_id: uuid.UUID) -> None:
    await repository.add_mark(session, account_id, kind, on, event_id)
