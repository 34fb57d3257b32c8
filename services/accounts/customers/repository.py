"""All SQL for customers and accounts."""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.accounts.common import as_model, as_model_or_none, as_models
from services.accounts.customers.schemas import AccountOut, CustomerOut

_CUSTOMER = ("id, kind, name, mailing_address, phones, emails, language, paperless, "
             "text_messages, id_kind, id_last4")
_ACCOUNT = (
    "a.id, a.number, a.customer_id, a.status, "
    "coalesce(a.mailing_address, c.mailing_address) AS mailing_address, "
    "coalesce(a.language, c.language) AS language, coalesce(a.paperless, c.paperless) "
    "AS paperless, a.deposit_held, a.deposit_held_since, a.opened_on, a.closed_on"
)


def _assignments(values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """`SET` clause and parameters; a mailing address travels as JSON."""
    if values.get("mailing_address") is not None:
        values = {**values, "mailing_address": json.dumps(values["mailing_address"])}
    sets = ", ".join(
        f"{k} = CAST(:{k} AS jsonb)" if k == "mailing_address" else f"{k} = :{k}"
        for k in values
    )
    return sets, values


async def insert_customer(session: AsyncSession, values: dict[str, Any]) -> CustomerOut:
    values = {**values, "mailing_address": json.dumps(values["mailing_address"])}
    return as_model(CustomerOut, (await session.execute(
        text(
            "INSERT INTO customers (id, kind, name, mailing_address, phones, emails, language, "
            "paperless, text_messages, id_kind, id_last4) VALUES (:id, :kind, :name, "
            "CAST(:mailing_address AS jsonb), :phones, :emails, :language, :paperless, "
            f":text_messages, :id_kind, :id_last4) RETURNING {_CUSTOMER}"
        ),
        values,
    )).one())


async def get_customer(session: AsyncSession, customer_id: uuid.UUID,
                       lock: bool = False) -> CustomerOut | None:
    suffix = " FOR UPDATE" if lock else ""
    return as_model_or_none(CustomerOut, (await session.execute(
        text(f"SELECT {_CUSTOMER} FROM customers WHERE id = :id{suffix}"), {"id": customer_id}
    )).first())


async def update_customer(session: AsyncSession, customer_id: uuid.UUID,
                          values: dict[str, Any]) -> CustomerOut:
    sets, values = _assignments(values)
    return as_model(CustomerOut, (await session.execute(
        text(f"UPDATE customers SET {sets}, updated_at = now() WHERE id = :id "
             f"RETURNING {_CUSTOMER}"),
        {**values, "id": customer_id},
    )).one())


async def next_account_sequence(session: AsyncSession) -> int:
    return int((await session.execute(text("SELECT nextval('account_number_seq')"))).scalar_one())


async def insert_account(session: AsyncSession, account_id: uuid.UUID, number: str,
                         customer_id: uuid.UUID, opened_on: date) -> None:
    await session.execute(
        text("INSERT INTO accounts (id, number, customer_id, status, opened_on) "
             "VALUES (:id, :n, :c, 'active', :d)"),
        {"id": account_id, "n": number, "c": customer_id, "d": opened_on},
    )


async def get_account(session: AsyncSession, account_id: uuid.UUID,
                      lock: bool = False) -> AccountOut | None:
    suffix = " FOR UPDATE OF a" if lock else ""
    return as_model_or_none(AccountOut, (await session.execute(
        text(f"SELECT {_ACCOUNT} FROM accounts a JOIN customers c ON c.id = a.customer_id "
             f"WHERE a.id = :id{suffix}"),
        {"id": account_id},
    )).first())


async def get_accounts(session: AsyncSession, ids: list[uuid.UUID]) -> list[AccountOut]:
    return as_models(AccountOut, (await session.execute(
        text(f"SELECT {_ACCOUNT} FROM accounts a JOIN customers c ON c.id = a.customer_id "
             "WHERE a.id = ANY(CAST(:ids AS uuid[])) ORDER BY a.number"),
        {"ids": [str(i) for i in ids]},
    )).all())


async def account_id_by_number(session: AsyncSession, number: str) -> uuid.UUID | None:
    found: uuid.UUID | None = (await session.execute(
        text("SELECT id FROM accounts WHERE number = :n"), {"n": number})).scalar_one_or_none()
    return found


async def accounts_of_customer(session: AsyncSession,
                               customer_id: uuid.UUID) -> list[AccountOut]:
    return as_models(AccountOut, (await session.execute(
        text(f"SELECT {_ACCOUNT} FROM accounts a JOIN customers c ON c.id = a.customer_id "
             "WHERE a.customer_id = :c ORDER BY a.opened_on"),
        {"c": customer_id},
    )).all())


async def update_account(session: AsyncSession, account_id: uuid.UUID,
                         values: dict[str, Any]) -> None:
    sets, values = _assignments(values)
    await session.execute(
        text(f"UPDATE accounts SET {sets}, updated_at = now() WHERE id = :id"),
        {**values, "id": account_id},
    )


async def set_deposit_held(session: AsyncSession, account_id: uuid.UUID, amount: Decimal,
                           since: date | None) -> None:
    await session.execute(
        text("UPDATE accounts SET deposit_held = :m, deposit_held_since = :s, "
             "updated_at = now() WHERE id = :a"),
        {"a": account_id, "m": amount, "s": since},
    )
