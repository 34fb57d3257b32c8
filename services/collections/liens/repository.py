"""All SQL of tax-roll liens. It reads collections' copy (owners' premises, the receivable)
and writes only `liens` and `lien_lists`; each step is one statement for every parcel."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.outbox import publish_batch
from kernel.outbox_after import publishing_after
from kernel.rows import all_as, first_as

# How liens read the receivable. It is a view of a UNION ALL that PostgreSQL cannot join to by
# index: joined to liens or owners it is scanned once per row, quadratic over a district. So the
# steps read it restricted by an array of accounts (a restriction reaches every branch of the
# view, read by index), and the rules (`domain.delinquent`, `domain.owed`) apply in Python; the
# changes are then restricted by arrays of ids. Each is a constant number of statements.


@dataclass(frozen=True, slots=True)
class Owner:
    """An account served at a parcel it owns (the first APN when several), not yet liened for
    the year."""

    account_id: uuid.UUID
    premise_id: uuid.UUID
    apn: str
    address: str
    number: str
    owner_name: str


async def owners(s: AsyncSession, tax_year: int) -> list[Owner]:
    return all_as(Owner, await s.execute(text("""
        SELECT DISTINCT ON (sa.account_id) sa.account_id, p.id AS premise_id, p.apn,
               CAST(p.address AS text) AS address, a.number,
               coalesce(cu.name, '') AS owner_name
        FROM service_agreements sa JOIN premises p ON p.id = sa.premise_id
        JOIN accounts a ON a.id = sa.account_id
        LEFT JOIN customers cu ON cu.id = a.customer_id
        WHERE p.owner_account_id = sa.account_id AND coalesce(p.apn, '') <> ''
          AND NOT EXISTS (SELECT 1 FROM liens l
                          WHERE l.tax_year = :y AND l.account_id = sa.account_id)
        ORDER BY sa.account_id, p.apn, p.id"""), {"y": tax_year}))


@dataclass(frozen=True, slots=True)
class Sums:
    """Of an account's entries posted by the day: the debits due before it (`due`), those
    due at least N days before it (`old`), and every credit."""

    account_id: uuid.UUID
    due: Decimal
    old: Decimal
    credit: Decimal


async def past_due_sums(s: AsyncSession, accounts: list[uuid.UUID], today: date,
                        days: int) -> dict[uuid.UUID, Sums]:
    if not accounts:
        return {}
    return {r.account_id: r for r in all_as(Sums, await s.execute(text("""
        SELECT account_id,
               coalesce(sum(amount) FILTER (
                   WHERE amount > 0 AND coalesce(due_date, posted_on) < :d), 0) AS due,
               coalesce(sum(amount) FILTER (
                   WHERE amount > 0
                     AND coalesce(due_date, posted_on) <= :d - CAST(:days AS integer)), 0)
                   AS old,
               coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS credit
        FROM receivable
        WHERE account_id = ANY(CAST(:accts AS uuid[])) AND posted_on <= :d
        GROUP BY account_id"""), {"accts": accounts, "d": today, "days": days}))}


@dataclass(frozen=True, slots=True)
class Noticed:
    id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal


async def insert_liens(s: AsyncSession, tax_year: int, today: date, rows: list[Owner],
                       amounts: list[Decimal]) -> list[Noticed]:
    """A `noticed` lien per owner (once per account and year), in one statement."""
    if not rows:
        return []
    return all_as(Noticed, await s.execute(text("""
        INSERT INTO liens (id, tax_year, apn, account_id, premise_id, owner_name, amount, as_of,
                           status, noticed_on)
        SELECT gen_random_uuid(), :y, v.apn, v.account_id, v.premise_id, v.owner_name,
               v.amount, :d, 'noticed', :d
        FROM unnest(CAST(:accts AS uuid[]), CAST(:premises AS uuid[]), CAST(:apns AS text[]),
                    CAST(:names AS text[]), CAST(:amounts AS numeric[]))
             AS v(account_id, premise_id, apn, owner_name, amount)
        ORDER BY v.apn
        ON CONFLICT (tax_year, account_id) DO NOTHING
        RETURNING id, account_id, amount"""),
        {"y": tax_year, "d": today, "accts": [r.account_id for r in rows],
         "premises": [r.premise_id for r in rows], "apns": [r.apn for r in rows],
         "names": [r.owner_name for r in rows], "amounts": amounts}))


@dataclass(frozen=True, slots=True)
class LienKey:
    id: uuid.UUID
    account_id: uuid.UUID
    apn: str
    tax_year: int
    amount: Decimal
    listed_amount: Decimal | None
    as_of: date
    noticed_on: date


async def lien_keys(s: AsyncSession, statuses: list[str],
                    tax_year: int | None = None) -> list[LienKey]:
    return all_as(LienKey, await s.execute(text(
        "SELECT id, account_id, apn, tax_year, amount, listed_amount, as_of, noticed_on "
        "FROM liens WHERE status = ANY(:st) AND (CAST(:y AS integer) IS NULL OR tax_year = :y)"
        " FOR UPDATE"), {"st": statuses, "y": tax_year}))


@dataclass(frozen=True, slots=True)
class Receivable:
    """An account's debits (by due date) and its credits posted by the day."""

    debits: list[tuple[date, Decimal]]
    credit: Decimal


async def receivable(s: AsyncSession, accounts: list[uuid.UUID],
                     today: date) -> dict[uuid.UUID, Receivable]:
    out: dict[uuid.UUID, Receivable] = {a: Receivable([], Decimal("0.00")) for a in accounts}
    if not accounts:
        return out
    for r in (await s.execute(text("""
            SELECT account_id, coalesce(due_date, posted_on) AS due,
                   sum(amount) FILTER (WHERE amount > 0) AS debit,
                   sum(amount) FILTER (WHERE amount < 0) AS credit
            FROM receivable
            WHERE account_id = ANY(CAST(:accts AS uuid[])) AND posted_on <= :d
            GROUP BY account_id, coalesce(due_date, posted_on)"""),
            {"accts": accounts, "d": today})).all():
        acct = out[uuid.UUID(str(r.account_id))]
        if r.debit is not None:
            acct.debits.append((r.due, Decimal(r.debit)))
        if r.credit is not None:
            out[uuid.UUID(str(r.account_id))] = Receivable(acct.debits,
                                                           acct.credit - Decimal(r.credit))
    return out


@dataclass(frozen=True, slots=True)
class Announced:
    number: str
    announced: Decimal | None


async def announced(s: AsyncSession, accounts: list[uuid.UUID]) -> dict[uuid.UUID, Announced]:
    """Billing's last announced balance of each account (and its number)."""
    return {uuid.UUID(str(r.id)): Announced(r.number, r.balance) for r in (await s.execute(text(
        "SELECT a.id, a.number, b.balance FROM accounts a "
        "LEFT JOIN balances b ON b.account_id = a.id WHERE a.id = ANY(CAST(:accts AS uuid[]))"),
        {"accts": accounts})).all()}


async def totals(s: AsyncSession, accounts: list[uuid.UUID]) -> dict[uuid.UUID, Decimal]:
    """The sum of every entry of each account in the copy."""
    got = {uuid.UUID(str(r[0])): Decimal(r[1]) for r in (await s.execute(text(
        "SELECT account_id, sum(amount) FROM receivable "
        "WHERE account_id = ANY(CAST(:accts AS uuid[])) GROUP BY account_id"),
        {"accts": accounts})).all()}
    return {a: got.get(a, Decimal("0.00")) for a in accounts}


async def new_list(s: AsyncSession, list_id: uuid.UUID, tax_year: int, today: date,
                   who: str) -> None:
    await s.execute(text(
        "INSERT INTO lien_lists (id, tax_year, certified_on, certified_by, parcels, total) "
        "VALUES (:id, :y, :d, :who, 0, 0)"),
        {"id": list_id, "y": tax_year, "d": today, "who": who})


async def cancel(s: AsyncSession, ids: list[uuid.UUID]) -> None:
    """Noticed liens paid before the list: nothing was filed."""
    if ids:
        await s.execute(text("UPDATE liens SET status = 'cancelled' "
                             "WHERE id = ANY(CAST(:ids AS uuid[])) AND status = 'noticed'"),
                        {"ids": ids})


async def put_on_list(s: AsyncSession, list_id: uuid.UUID, ids: list[uuid.UUID],
                      amounts: list[Decimal]) -> int:
    """The liens go on the list at these amounts; the list's count and total follow."""
    listed = await s.execute(text("""
        UPDATE liens l SET status = 'listed', list_id = :list, listed_amount = v.amount
        FROM unnest(CAST(:ids AS uuid[]), CAST(:amounts AS numeric[])) AS v(id, amount)
        WHERE l.id = v.id AND l.status = 'noticed'"""),
        {"list": list_id, "ids": ids, "amounts": amounts})
    await s.execute(text(
        "UPDATE lien_lists SET parcels = t.n, total = t.total FROM (SELECT count(*) AS n, "
        "coalesce(sum(listed_amount), 0) AS total FROM liens WHERE list_id = :id) t "
        "WHERE id = :id"), {"id": list_id})
    return int(getattr(listed, "rowcount", 0))


@dataclass(frozen=True, slots=True)
class LienList:
    id: uuid.UUID
    tax_year: int
    certified_on: date
    certified_by: str
    parcels: int
    total: Decimal


async def lien_list(s: AsyncSession, list_id: uuid.UUID) -> LienList | None:
    return first_as(LienList, await s.execute(text(
        "SELECT * FROM lien_lists WHERE id = :id"), {"id": list_id}))


@dataclass(frozen=True, slots=True)
class ListedRow:
    apn: str
    number: str
    owner_name: str
    address: str
    listed_amount: Decimal


async def listed(s: AsyncSession, list_id: uuid.UUID) -> list[ListedRow]:
    return all_as(ListedRow, await s.execute(text(
        "SELECT l.apn, a.number, l.owner_name, "
        "CAST(coalesce(p.address, '{}'::jsonb) AS text) AS address, "
        "l.listed_amount FROM liens l JOIN accounts a ON a.id = l.account_id "
        "LEFT JOIN premises p ON p.id = l.premise_id "
        "WHERE l.list_id = :id ORDER BY l.apn, a.number"), {"id": list_id}))


_RECORD = publishing_after(
    """
    rec AS (
        UPDATE liens SET status = 'recorded', recorded_on = :on,
               document_number = coalesce(CAST(:doc AS text), document_number)
        WHERE list_id = :list AND status = 'listed'
        RETURNING id, account_id, apn, listed_amount, tax_year, list_id
    )""",
    """
    SELECT gen_random_uuid() AS event_id, 'collections.LienRecorded' AS type, 1 AS version,
           'account:' || account_id AS key,
           jsonb_build_object('lien_id', id, 'account_id', account_id, 'apn', apn,
                              'amount', listed_amount::text, 'tax_year', tax_year,
                              'list_id', list_id, 'recorded_on', CAST(:on AS date)::text,
                              'document_number', CAST(:doc AS text)) AS payload,
           apn AS ord
    FROM rec""")


async def record(s: AsyncSession, list_id: uuid.UUID, on: date, document: str | None,
                 who: str) -> int:
    """The county recorded the list: every listed lien of it is `recorded` and announced."""
    return await publish_batch(s, _RECORD, {"list": list_id, "on": on, "doc": document},
                               actor=who)


@dataclass(frozen=True, slots=True)
class Released:
    id: uuid.UUID
    account_id: uuid.UUID
    apn: str
    amount: Decimal
    tax_year: int


async def release(s: AsyncSession, ids: list[uuid.UUID], today: date) -> list[Released]:
    """Listed or recorded liens paid: released today."""
    if not ids:
        return []
    return all_as(Released, await s.execute(text("""
        UPDATE liens SET status = 'released', released_on = :d
        WHERE id = ANY(CAST(:ids AS uuid[])) AND status IN ('listed', 'recorded')
        RETURNING id, account_id, apn, coalesce(listed_amount, amount) AS amount, tax_year"""),
        {"ids": ids, "d": today}))


@dataclass(frozen=True, slots=True)
class Lien:
    id: uuid.UUID
    tax_year: int
    apn: str
    account_id: uuid.UUID
    number: str | None
    owner_name: str
    amount: Decimal
    as_of: date
    status: str
    noticed_on: date
    list_id: uuid.UUID | None
    listed_amount: Decimal | None
    recorded_on: date | None
    document_number: str | None
    released_on: date | None
    owed: Decimal


async def liens(s: AsyncSession, tax_year: int | None, status: str | None,
                account_id: uuid.UUID | None, limit: int) -> list[Lien]:
    return all_as(Lien, await s.execute(text("""
        SELECT l.*, a.number, 0.00 AS owed
        FROM liens l LEFT JOIN accounts a ON a.id = l.account_id
        WHERE (CAST(:y AS integer) IS NULL OR l.tax_year = :y)
          AND (CAST(:status AS text) IS NULL OR l.status = :status)
          AND (CAST(:a AS uuid) IS NULL OR l.account_id = :a)
        ORDER BY l.tax_year DESC, l.apn LIMIT :n"""),
        {"y": tax_year, "status": status, "a": account_id, "n": limit}))


async def lists(s: AsyncSession, limit: int) -> list[LienList]:
    return all_as(LienList, await s.execute(text(
        "SELECT * FROM lien_lists ORDER BY certified_on DESC, created_at DESC LIMIT :n"),
        {"n": limit}))
