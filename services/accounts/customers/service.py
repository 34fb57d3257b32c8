"""Customers and accounts: create, change, look up (flush only; the route commits).

Each change records what happened (`customers.facts`); search, the outbox and the other
reactions follow from the facts, not from this module."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Forbidden, NotFound, Unprocessable
from kernel.reactions import record
from services.accounts.customers import domain, repository
from services.accounts.customers.facts import AccountChanged, CustomerChanged
from services.accounts.customers.schemas import (
    AccountOut,
    AccountPatch,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
    IdentityResult,
)


def _customer_values(body: CustomerIn) -> dict[str, Any]:
    try:
        last4 = domain.last4(body.id_number) if body.id_number else None
    except ValueError as exc:
        raise Unprocessable(str(exc), field="id_number") from exc
    return {
        "kind": body.kind, "name": body.name, "mailing_address": body.mailing_address.model_dump(),
        "phones": body.phones, "emails": body.emails, "language": body.language,
        "paperless": body.paperless, "text_messages": body.text_messages,
        "id_kind": body.id_kind, "id_last4": last4,
    }


async def create_customer(session: AsyncSession, who: Principal, body: CustomerIn) -> CustomerOut:
    out = await repository.insert_customer(session, {"id": uuid.uuid4(), **_customer_values(body)})
    await audit.record(session, who, "customer.create", "customer", str(out.id), after=out)
    record(session, who, CustomerChanged(out))
    return out


async def get_customer(session: AsyncSession, customer_id: uuid.UUID,
                       lock: bool = False) -> CustomerOut:
    found = await repository.get_customer(session, customer_id, lock)
    if found is None:
        raise NotFound("No such customer", field="customer_id")
    return found


async def update_customer(session: AsyncSession, who: Principal, customer_id: uuid.UUID,
                          body: CustomerPatch) -> CustomerOut:
    """A customer's name and address are every account's: each account is announced again."""
    before = await get_customer(session, customer_id, lock=True)
    values = body.model_dump(exclude_unset=True, exclude_none=True)
    if not values:
        return before
    after = await repository.update_customer(session, customer_id, values)
    await audit.record(session, who, "customer.update", "customer", str(customer_id),
                       before=before, after=after)
    accounts = await repository.accounts_of_customer(session, customer_id)
    record(session, who, CustomerChanged(after), *(AccountChanged(a) for a in accounts))
    return after


async def open_account(session: AsyncSession, who: Principal, customer_id: uuid.UUID,
                       opened_on: date) -> AccountOut:
    """A new active account for the customer, numbered with a check digit."""
    await get_customer(session, customer_id)
    account_id = uuid.uuid4()
    number = domain.account_number(await repository.next_account_sequence(session))
    await repository.insert_account(session, account_id, number, customer_id, opened_on)
    out = await get_account(session, account_id)
    await audit.record(session, who, "account.open", "account", str(account_id), after=out)
    record(session, who, AccountChanged(out))
    return out


async def get_account(session: AsyncSession, account_id: uuid.UUID,
                      lock: bool = False) -> AccountOut:
    found = await repository.get_account(session, account_id, lock)
    if found is None:
        raise NotFound("No such account", field="account_id")
    return found


async def account_by_number(session: AsyncSession, number: str) -> AccountOut:
    """Every lookup by number validates the check digit first."""
    if not domain.check_digit_ok(number):
        raise Unprocessable("Account number fails its check digit", field="number")
    account_id = await repository.account_id_by_number(session, number)
    if account_id is None:
        raise NotFound("No account with this number", field="number")
    return await get_account(session, account_id)


async def my_accounts(session: AsyncSession, who: Principal) -> list[AccountOut]:
    """A portal customer's own accounts: those their token names (ids that are not one are
    ignored)."""
    if who.role != "customer":
        raise Forbidden("Only portal customers have accounts of their own")
    ids = []
    for a in who.accounts:
        try:
            ids.append(uuid.UUID(a))
        except ValueError:
            continue
    return [await get_account(session, i) for i in ids]


async def update_account(session: AsyncSession, who: Principal, account_id: uuid.UUID,
                         body: AccountPatch) -> AccountOut:
    before = await get_account(session, account_id, lock=True)
    values = body.model_dump(exclude_unset=True)
    if not values:
        return before
    await repository.update_account(session, account_id, values)
    after = await get_account(session, account_id)
    await audit.record(session, who, "account.update", "account", str(account_id),
                       before=before, after=after)
    record(session, who, AccountChanged(after))
    return after


async def set_paperless(session: AsyncSession, who: Principal, account_id: uuid.UUID,
                        paperless: bool) -> AccountOut:
    """Paper bills off or on; a portal customer only for the accounts in their token (another
    id answers 404, as an unknown one does)."""
    if who.role == "customer" and str(account_id) not in who.accounts:
        raise NotFound("No such account", field="account_id")
    return await update_account(session, who, account_id, AccountPatch(paperless=paperless))


async def set_status(session: AsyncSession, who: Principal, account_id: uuid.UUID,
                     status: str, on: date) -> AccountOut:
    before = await get_account(session, account_id, lock=True)
    if before.status == status:
        return before
    await repository.update_account(
        session, account_id, {"status": status, "closed_on": on if status == "closed" else None})
    after = await get_account(session, account_id)
    await audit.record(session, who, f"account.{status}", "account", str(account_id),
                       before=before, after=after)
    record(session, who, AccountChanged(after))
    return after


async def set_deposit_held(session: AsyncSession, account_id: uuid.UUID, amount: Decimal,
                           since: date | None) -> AccountOut:
    """The deposit the account holds (deposits decide it and announce the change: the event
    carries the decision or the release)."""
    await repository.set_deposit_held(session, account_id, amount, since)
    return await get_account(session, account_id)


async def check_identity(session: AsyncSession, who: Principal, customer_id: uuid.UUID,
                         last4: str) -> IdentityResult:
    customer = await get_customer(session, customer_id)
    ok = customer.id_last4 is not None and customer.id_last4.lower() == last4.lower()
    await audit.record(session, who, "customer.identity_check", "customer", str(customer_id),
                       after={"matches": ok})
    return IdentityResult(matches=ok)


async def accounts_of_customer(session: AsyncSession, customer_id: uuid.UUID) -> list[AccountOut]:
    """Every account of the customer, oldest first (404 for no such customer)."""
    await get_customer(session, customer_id)
    return await repository.accounts_of_customer(session, customer_id)
