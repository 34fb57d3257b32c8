"""What other features ask of returns: whether payments holds an account cash-only on a day
(after returns, or a supervisor's flag), and whether a payment was returned.

Kept apart from the return use cases so the counter, mail batches and the account view can ask
it without depending on the returns workflow (which itself posts through them)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.settings import get_settings
from services.payments.returns import domain
from services.payments.returns import repository as repo
from services.payments.returns.domain import CashOnly, ManualFlag, Rules
from services.payments.returns.repository import CashOnlyRow, Return


def rules() -> Rules:
    st = get_settings()
    return Rules(threshold=st.payments_cash_only_returns,
                 window_months=st.payments_cash_only_window_months,
                 period_months=st.payments_cash_only_months)


async def state(s: AsyncSession, account_id: uuid.UUID, row: CashOnlyRow | None,
                 today: date) -> CashOnly:
    manual = (ManualFlag(row.manual, row.manual_until, row.cleared_on) if row is not None
              else ManualFlag(None, None, None))
    return domain.state_on(today, await repo.return_dates(s, account_id), manual, rules(),
                           since_manual=row.manual_on if row is not None else None)


async def account_state(s: AsyncSession, account_id: uuid.UUID | str, today: date) -> CashOnly:
    """Payments' own cash-only state of the account on `today` (accounts' flag not included)."""
    aid = uuid.UUID(str(account_id))
    return await state(s, aid, await repo.cash_only(s, aid), today)


async def holds_cash_only(s: AsyncSession, account_id: uuid.UUID | str, today: date) -> bool:
    """Whether payments holds the account cash-only on `today` (after returns, or a
    supervisor's flag); the counter and mail batches OR it with accounts' flag."""
    return (await account_state(s, account_id, today)).cash_only


async def of_payment(s: AsyncSession, payment_id: uuid.UUID) -> Return | None:
    """The payment's return, if the bank returned it (what is left of it to transfer)."""
    return await repo.by_payment(s, payment_id)
