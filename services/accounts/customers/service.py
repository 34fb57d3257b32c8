"""Customers and accounts: create, change, look up (flush only; the route commits)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.accounts.customers import domain, repository
from services.accounts.customers.schemas import (
    AccountOut,
    AccountPatch,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
)
from services.accounts.search.service import reindex


def customer_out(row: Any) -> CustomerOut:
    return CustomerOut.model_validate(dict(row._mapping))


def account_out(row: Any) -> AccountOut:
    return AccountOut.model_validate(dict(row._mapping))


def customer_event(c: CustomerOut) -> Event:
    doc = c.model_dump(mode="json", exclude={"id_kind", "id_last4"})
    return Event("accounts.CustomerChanged", f"customer:{c.id}", {"customer": doc})


def account_event(a: AccountOut, **extra: Any) -> Event:
    return Event("accounts.AccountChanged", f"account:{a.id}",
                 {"account": a.model_dump(mode="json"), **extra})


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
    row = await repository.insert_customer(session, {"id": uuid.uuid4(), **_customer_values(body)})
    out = customer_out(row)
    await audit.record(session, who, "customer.create", "customer", str(out.id), after=out)
    await publish(session, [customer_event(out)], who.sub)
    return out


async def get_customer(session: AsyncSession, customer_id: uuid.UUID) -> CustomerOut:
    row = await repository.get_customer(session, customer_id)
    if row is None:
        raise NotFound("No such customer", field="customer_id")
    return customer_out(row)


async def update_customer(session: AsyncSession, who: Principal, customer_id: uuid.UUID,
                          body: CustomerPatch) -> CustomerOut:
    before_row = await repository.get_customer(session, customer_id, lock=True)
    if before_row is None:
        raise NotFound("No such customer", field="customer_id")
    values = body.model_dump(exclude_unset=True, exclude_none=True)
    if not values:
        return customer_out(before_row)
    before = customer_out(before_row)
    after = customer_out(await repository.update_customer(session, customer_id, values))
    await audit.record(session, who, "customer.update", "customer", str(customer_id),
                       before=before, after=after)
    accounts = await repository.accounts_of_customer(session, customer_id)
    events = [customer_event(after)] + [account_event(account_out(a)) for a in accounts]
    await publish(session, events, who.sub)
    await reindex(session, accounts=[a.id for a in accounts])
    return after


async def open_account(session: AsyncSession, who: Principal, customer_id: uuid.UUID,
                       opened_on: date) -> AccountOut:
    """A new active account for the customer, numbered with a check digit."""
    if await repository.get_customer(session, customer_id) is None:
        raise NotFound("No such customer", field="customer_id")
    account_id = uuid.uuid4()
    number = domain.account_number(await repository.next_account_sequence(session))
    await repository.insert_account(session, account_id, number, customer_id, opened_on)
    out = await get_account(session, account_id)
    await audit.record(session, who, "account.open", "account", str(account_id), after=out)
    await publish(session, [account_event(out)], who.sub)
    return out


async def get_account(session: AsyncSession, account_id: uuid.UUID,
                      lock: bool = False) -> AccountOut:
    row = await repository.get_account(session, account_id, lock)
    if row is None:
        raise NotFound("No such account", field="account_id")
    return account_out(row)


async def account_by_number(session: AsyncSession, number: str) -> AccountOut:
    """Every lookup by number validates the check digit first."""
    if not domain.check_digit_ok(number):
        raise Unprocessable("Account number fails its check digit", field="number")
    account_id = await repository.account_id_by_number(session, number)
    if account_id is None:
        raise NotFound("No account with this number", field="number")
    return await get_account(session, account_id)


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
    await publish(session, [account_event(after)], who.sub)
    await reindex(session, accounts=[account_id])
    return after


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
    await publish(session, [account_event(after)], who.sub)
    await reindex(session, accounts=[account_id])
    return after


async def check_identity(session: AsyncSession, who: Principal, customer_id: uuid.UUID,
                         last4: str) -> bool:
    row = await repository.get_customer(session, customer_id)
    if row is None:
        raise NotFound("No such customer", field="customer_id")
    ok = row.id_last4 is not None and row.id_last4.lower() == last4.lower()
    await audit.record(session, who, "customer.identity_check", "customer", str(customer_id),
                       after={"matches": ok})
    return ok


async def accounts_of_customer(session: AsyncSession, customer_id: uuid.UUID) -> list[AccountOut]:
    return [account_out(r) for r in await repository.accounts_of_customer(session, customer_id)]
