"""All SQL of collections' copy of accounts and billing data. Every write is an upsert keyed
by the event's own ids, so a redelivered or replayed event changes nothing."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as
from services.collections.copy.domain import (
    COPY_TABLES,
    AccountRow,
    AgreementRow,
    AppealRow,
    BillRow,
    CustomerRow,
    EntryRow,
    PremiseRow,
)


async def upsert_account(s: AsyncSession, r: AccountRow) -> None:
    await s.execute(text(
        "INSERT INTO accounts (id, number, customer_id, status, language, mailing, paperless, "
        "opened_on, closed_on) VALUES (:id, :number, :customer_id, :status, :language, "
        "CAST(:mailing AS jsonb), :paperless, :opened_on, :closed_on) ON CONFLICT (id) DO "
        "UPDATE SET number = excluded.number, customer_id = excluded.customer_id, "
        "status = excluded.status, language = excluded.language, mailing = excluded.mailing, "
        "paperless = excluded.paperless, opened_on = excluded.opened_on, "
        "closed_on = excluded.closed_on"), dataclasses.asdict(r))


async def upsert_customer(s: AsyncSession, r: CustomerRow) -> None:
    await s.execute(text(
        "INSERT INTO customers (id, kind, name, language, mailing, phones, emails) VALUES "
        "(:id, :kind, :name, :language, CAST(:mailing AS jsonb), CAST(:phones AS jsonb), "
        "CAST(:emails AS jsonb)) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
        "name = excluded.name, language = excluded.language, mailing = excluded.mailing, "
        "phones = excluded.phones, emails = excluded.emails"), dataclasses.asdict(r))


async def upsert_premise(s: AsyncSession, r: PremiseRow) -> None:
    await s.execute(text(
        "INSERT INTO premises (id, kind, dwelling_units, address, apn, owner_account_id) "
        "VALUES (:id, :kind, :dwelling_units, CAST(:address AS jsonb), :apn, "
        ":owner_account_id) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
        "dwelling_units = excluded.dwelling_units, address = excluded.address, "
        "apn = excluded.apn, owner_account_id = excluded.owner_account_id"),
        dataclasses.asdict(r))


async def upsert_agreement(s: AsyncSession, r: AgreementRow) -> None:
    await s.execute(text(
        "INSERT INTO service_agreements (id, account_id, premise_id, service, status, "
        "start_date, stop_date) VALUES (:id, :account_id, :premise_id, :service, :status, "
        ":start_date, :stop_date) ON CONFLICT (id) DO UPDATE SET account_id = "
        "excluded.account_id, premise_id = excluded.premise_id, service = excluded.service, "
        "status = excluded.status, start_date = excluded.start_date, "
        "stop_date = excluded.stop_date"), dataclasses.asdict(r))


async def upsert_bill(s: AsyncSession, b: BillRow) -> None:
    """An issued bill; one already cancelled (its BillCancelled applied first on a replay from
    a later point) stays cancelled and now counts, issued and reversed."""
    await s.execute(text(
        "INSERT INTO bills (id, account_id, bill_date, due_date, total, budget_deferral, "
        "status, replaces) VALUES (:id, :account_id, :bill_date, :due_date, :total, "
        ":budget_deferral, 'open', :replaces) ON CONFLICT (id) DO UPDATE SET "
        "account_id = excluded.account_id, bill_date = excluded.bill_date, "
        "due_date = excluded.due_date, total = excluded.total, "
        "budget_deferral = excluded.budget_deferral, replaces = excluded.replaces"),
        dataclasses.asdict(b))


async def cancel_bill(s: AsyncSession, bill_id: str, account_id: str, on: object,
                      replaced_by: str | None) -> None:
    await s.execute(text(
        "INSERT INTO bills (id, account_id, status, cancelled_on, replaced_by) "
        "VALUES (:id, :a, 'cancelled', :on, :r) ON CONFLICT (id) DO UPDATE SET "
        "status = 'cancelled', cancelled_on = excluded.cancelled_on, "
        "replaced_by = excluded.replaced_by"),
        {"id": bill_id, "a": account_id, "on": on, "r": replaced_by})


async def insert_entry(s: AsyncSession, e: EntryRow) -> None:
    """Billing's entries are never edited (a correction is a new entry): first write wins."""
    await s.execute(text(
        "INSERT INTO ledger_entries (id, account_id, kind, amount, posted_on, reference, "
        "corrects) VALUES (:id, :account_id, :kind, :amount, :posted_on, :reference, "
        ":corrects) ON CONFLICT (id) DO NOTHING"), dataclasses.asdict(e))


async def set_balance(s: AsyncSession, account_id: str, balance: Decimal,
                      as_of: datetime) -> None:
    """Billing's announced balance; an older announcement (a replay) never replaces a newer."""
    await s.execute(text(
        "INSERT INTO balances (account_id, balance, as_of) VALUES (:a, :b, :t) "
        "ON CONFLICT (account_id) DO UPDATE SET balance = excluded.balance, "
        "as_of = excluded.as_of WHERE balances.as_of <= excluded.as_of"),
        {"a": account_id, "b": balance, "t": as_of})


async def upsert_appeal(s: AsyncSession, r: AppealRow) -> None:
    """AppealDecided carries no bill or opening date: what AppealOpened said stays. A decided
    appeal stays decided (an AppealOpened replayed after it changes nothing)."""
    await s.execute(text(
        "INSERT INTO appeals (id, account_id, bill_id, status, opened_on, decision, credit) "
        "VALUES (:id, :account_id, :bill_id, :status, :opened_on, :decision, :credit) "
        "ON CONFLICT (id) DO UPDATE SET bill_id = coalesce(excluded.bill_id, appeals.bill_id), "
        "opened_on = coalesce(excluded.opened_on, appeals.opened_on), "
        "status = CASE WHEN appeals.status = 'decided' THEN 'decided' ELSE excluded.status END, "
        "decision = coalesce(excluded.decision, appeals.decision), "
        "credit = coalesce(excluded.credit, appeals.credit)"), dataclasses.asdict(r))


async def clear_copy(s: AsyncSession) -> None:
    for table in COPY_TABLES:
        await s.execute(text(f"DELETE FROM {table}"))


@dataclass(frozen=True, slots=True)
class AccountFacts:
    id: uuid.UUID
    number: str
    status: str
    language: str | None
    mailing: dict[str, str | None]
    customer_id: uuid.UUID | None
    customer_name: str | None
    customer_kind: str | None
    customer_language: str | None
    phones: list[str] | None
    emails: list[str] | None


@dataclass(frozen=True, slots=True)
class ServedPremise:
    id: uuid.UUID
    kind: str | None
    dwelling_units: int | None
    address: dict[str, str | None] | None
    apn: str | None
    owner_account_id: uuid.UUID | None
    active: bool


@dataclass(frozen=True, slots=True)
class Counted:
    n: int


async def account_facts(s: AsyncSession, account_id: uuid.UUID) -> AccountFacts | None:
    return first_as(AccountFacts, await s.execute(text(
        "SELECT a.id, a.number, a.status, a.language, a.mailing, a.customer_id, "
        "c.name AS customer_name, c.kind AS customer_kind, c.language AS customer_language, "
        "c.phones, c.emails FROM accounts a LEFT JOIN customers c ON c.id = a.customer_id "
        "WHERE a.id = :a"), {"a": account_id}))


async def served_premises(s: AsyncSession, account_id: uuid.UUID) -> list[ServedPremise]:
    """The premises the account has (had) service at; `kind` is None until accounts has
    announced the premise."""
    return all_as(ServedPremise, await s.execute(text(
        "SELECT sa.premise_id AS id, p.kind, p.dwelling_units, p.address, p.apn, "
        "p.owner_account_id, bool_or(sa.status = 'active') AS active "
        "FROM service_agreements sa LEFT JOIN premises p ON p.id = sa.premise_id "
        "WHERE sa.account_id = :a GROUP BY sa.premise_id, p.kind, p.dwelling_units, "
        "p.address, p.apn, p.owner_account_id ORDER BY bool_or(sa.status = 'active') DESC, "
        "sa.premise_id"), {"a": account_id}))


async def open_appeals(s: AsyncSession, account_id: uuid.UUID) -> int:
    r = first_as(Counted, await s.execute(text(
        "SELECT count(*) AS n FROM appeals WHERE account_id = :a AND status <> 'decided'"),
        {"a": account_id}))
    return 0 if r is None else r.n
