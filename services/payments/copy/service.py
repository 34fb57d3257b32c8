"""Use cases of the copy: find an account by the number a customer brings or a stub carries."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import copy as kernel_copy
from kernel.auth import Principal
from kernel.checkdigit import is_valid
from kernel.copy import RebuildResult
from kernel.errors import NotFound, Unprocessable
from services.payments.copy import repository as repo
from services.payments.copy.repository import Account as Account  # re-exported for features
from services.payments.copy.repository import Payee
from services.payments.copy.schemas import CounterAccount, OpenBillOut
from services.payments.returns import standing as returns

SOURCES = ("accounts", "billing")


def normalise_number(number: str, field: str = "account_number") -> str:
    """'10002745-7' or '100027457' -> '100027457'; a wrong check digit is refused (a mistyped
    number must never land on someone else's account)."""
    n = number.replace("-", "").replace(" ", "").strip()
    if not (n.isascii() and n.isdigit()):
        raise Unprocessable("An account number has digits only", field=field)
    if not is_valid(n):
        raise Unprocessable("The account number's check digit does not match", field=field)
    return n


async def account(s: AsyncSession, number: str, field: str = "account_number") -> Account:
    """The account as payments' copy has it. One payments has not heard of (yet) is refused,
    not guessed: the counter takes nothing until accounts' event has arrived."""
    n = normalise_number(number, field)
    acct = await repo.account_by_number(s, n)
    if acct is None:
        raise NotFound("No account with this number (a new account appears once accounts "
                       "has announced it)", field=field)
    return acct


async def counter_view(s: AsyncSession, number: str, today: date) -> CounterAccount:
    first = await account(s, number)
    bills = await repo.open_bills(s, first.id)
    # The balance is read after the bills: a bill and the balance it brought commit together,
    # so a bill shown is never newer than the balance shown (two reads, no snapshot between).
    acct = await account(s, number)
    held = await returns.account_state(s, acct.id, today)
    return CounterAccount(id=acct.id, number=acct.number, name=acct.name, status=acct.status,
                          cash_only=acct.cash_only or held.cash_only,
                          cash_only_reason=held.reason if held.cash_only else (
                              "accounts" if acct.cash_only else None),
                          cash_only_since=held.since, cash_only_until=held.until,
                          balance=acct.balance,
                          open_bills=[OpenBillOut(id=b.id, bill_date=b.bill_date,
                                                  due_date=b.due_date, total=b.total)
                                      for b in bills])


async def rebuild(s: AsyncSession, who: Principal, mode: str) -> RebuildResult:
    """Clear the copy and the inbox progress for its sources; their events apply again
    (`kernel.copy.rebuild`, as billing's and collections' copies do)."""
    return await kernel_copy.rebuild(s, who, SOURCES, repo.clear_copy, mode)


async def holder_name(s: AsyncSession, account_id: uuid.UUID) -> str:
    """The account holder's name as the copy has it ('' when not heard of)."""
    return await repo.account_name(s, account_id)


async def open_accounts(s: AsyncSession, numbers: list[str]) -> dict[str, str]:
    """Which of these numbers (nine digits, check digit passed) are open accounts, by id: one
    query for a whole lockbox file."""
    return await repo.open_by_numbers(s, numbers)


async def account_by_id(s: AsyncSession, account_id: uuid.UUID) -> Account | None:
    """The account and its balance as the copy has them (None when not heard of)."""
    return await repo.account_by_id(s, account_id)


async def balances(s: AsyncSession, account_ids: list[uuid.UUID]) -> dict[str, Decimal]:
    """Billing's last announced balance by account id (absent: none announced yet)."""
    return await repo.balances_of(s, account_ids)


async def payees(s: AsyncSession, account_ids: list[uuid.UUID]) -> dict[str, Payee]:
    """Name, number and mailing address by account id, for refund checks."""
    return await repo.payees(s, account_ids)


async def balances_due(s: AsyncSession, account_ids: list[str]) -> list[repo.BalanceDue]:
    """Open accounts among these with a balance due and their latest open bill."""
    return await repo.balances_due(s, account_ids)
