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

# Owners' accounts with their parcel and what they owe past due as of :d (aging's rule:
# credits pay the oldest debits first, so the past-due part is the debits due before :d less
# every credit). `old` is the part at least :days past due. An account served at several
# parcels it owns is listed on the first APN.
_CANDIDATES = """
    own AS (
        SELECT DISTINCT ON (sa.account_id) sa.account_id, p.id AS premise_id, p.apn,
               p.address
        FROM service_agreements sa JOIN premises p ON p.id = sa.premise_id
        WHERE p.owner_account_id = sa.account_id AND coalesce(p.apn, '') <> ''
        ORDER BY sa.account_id, p.apn, p.id
    ), sums AS (
        SELECT r.account_id,
               coalesce(sum(r.amount) FILTER (
                   WHERE r.amount > 0 AND coalesce(r.due_date, r.posted_on) < :d), 0) AS due,
               coalesce(sum(r.amount) FILTER (
                   WHERE r.amount > 0
                     AND coalesce(r.due_date, r.posted_on) <= :d - CAST(:days AS integer)),
                        0) AS old,
               coalesce(-sum(r.amount) FILTER (WHERE r.amount < 0), 0) AS credit
        FROM receivable r JOIN own USING (account_id)
        WHERE r.posted_on <= :d GROUP BY r.account_id
    ), candidates AS (
        SELECT own.account_id, own.premise_id, own.apn, CAST(own.address AS text) AS address,
               a.number,
               coalesce(cu.name, '') AS owner_name, sums.due - sums.credit AS amount
        FROM own JOIN sums USING (account_id)
        JOIN accounts a ON a.id = own.account_id
        LEFT JOIN customers cu ON cu.id = a.customer_id
        WHERE sums.old - sums.credit > 0 AND sums.due - sums.credit >= :minimum
          AND NOT EXISTS (SELECT 1 FROM liens l
                          WHERE l.account_id = own.account_id AND l.tax_year = :y)
    )"""

# What is still owed of each lien on :d: its debits (due before its `as_of`) less every credit
# up to :d, at most the lien's amount. The liens' accounts come as the array :accts (`_accounts`,
# a statement before): the receivable is a view of a UNION ALL that cannot be joined to by
# index, but an array restriction reaches each of its branches, so only those accounts' rows
# are read, and they are joined to the liens by hash.
_OWED = """
    rows AS MATERIALIZED (
        SELECT account_id, amount, coalesce(due_date, posted_on) AS due FROM receivable
        WHERE account_id = ANY(CAST(:accts AS uuid[])) AND posted_on <= :d
    ), owed AS (
        SELECT l.id, greatest(0.00, least(l.amount,
                   coalesce(sum(r.amount) FILTER (WHERE r.amount > 0 AND r.due < l.as_of), 0)
                   - coalesce(-sum(r.amount) FILTER (WHERE r.amount < 0), 0))) AS owed
        FROM liens l LEFT JOIN rows r ON r.account_id = l.account_id
        WHERE l.status = ANY(:st) AND l.account_id = ANY(CAST(:accts AS uuid[]))
        GROUP BY l.id
    )"""


async def _accounts(s: AsyncSession, statuses: list[str], tax_year: int | None = None,
                    account_id: uuid.UUID | None = None) -> list[uuid.UUID]:
    """The accounts of the liens in these statuses (of a year, of an account)."""
    return [uuid.UUID(str(x)) for x in (await s.execute(text(
        "SELECT DISTINCT account_id FROM liens WHERE status = ANY(:st) "
        "AND (CAST(:y AS integer) IS NULL OR tax_year = :y) "
        "AND (CAST(:a AS uuid) IS NULL OR account_id = :a)"),
        {"st": statuses, "y": tax_year, "a": account_id})).scalars().all()]


@dataclass(frozen=True, slots=True)
class Candidate:
    account_id: uuid.UUID
    premise_id: uuid.UUID
    apn: str
    address: str
    number: str
    owner_name: str
    amount: Decimal


async def candidates(s: AsyncSession, today: date, tax_year: int, minimum: Decimal,
                     days: int) -> list[Candidate]:
    return all_as(Candidate, await s.execute(text(
        f"WITH {_CANDIDATES} SELECT * FROM candidates ORDER BY apn, number"),
        {"d": today, "y": tax_year, "minimum": minimum, "days": days}))


@dataclass(frozen=True, slots=True)
class Noticed:
    id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal


async def notice(s: AsyncSession, today: date, tax_year: int, minimum: Decimal,
                 days: int) -> list[Noticed]:
    """A lien row (`noticed`) for every candidate, in one statement."""
    return all_as(Noticed, await s.execute(text(f"""
        WITH {_CANDIDATES}
        INSERT INTO liens (id, tax_year, apn, account_id, premise_id, owner_name, amount, as_of,
                           status, noticed_on)
        SELECT gen_random_uuid(), :y, apn, account_id, premise_id, owner_name, amount, :d,
               'noticed', :d
        FROM candidates
        ON CONFLICT (tax_year, account_id) DO NOTHING
        RETURNING id, account_id, amount"""),
        {"d": today, "y": tax_year, "minimum": minimum, "days": days}))


async def behind(s: AsyncSession, tax_year: int) -> list[str]:
    """Numbers of the year's noticed accounts whose entries in the copy do not sum to the
    balance billing last announced (an entry not yet delivered)."""
    accts = await _accounts(s, ["noticed"], tax_year)
    if not accts:
        return []
    return [str(r) for r in (await s.execute(text("""
        WITH mine AS MATERIALIZED (
            SELECT account_id, sum(amount) AS total FROM receivable
            WHERE account_id = ANY(CAST(:accts AS uuid[])) GROUP BY account_id)
        SELECT a.number FROM liens l JOIN accounts a ON a.id = l.account_id
        JOIN balances b ON b.account_id = l.account_id
        LEFT JOIN mine ON mine.account_id = l.account_id
        WHERE l.tax_year = :y AND l.status = 'noticed'
          AND b.balance <> coalesce(mine.total, 0)
        ORDER BY a.number"""), {"y": tax_year, "accts": accts})).scalars().all()]


async def certify(s: AsyncSession, list_id: uuid.UUID, tax_year: int, today: date,
                  notice_days: int, who: str) -> int:
    """The noticed liens of the year whose notice is `notice_days` old and still owed go on
    the list, at what is still owed; those paid meanwhile are cancelled. Returns the count."""
    await s.execute(text(
        "INSERT INTO lien_lists (id, tax_year, certified_on, certified_by, parcels, total) "
        "VALUES (:id, :y, :d, :who, 0, 0)"),
        {"id": list_id, "y": tax_year, "d": today, "who": who})
    accts = await _accounts(s, ["noticed"], tax_year)
    params: dict[str, object] = {"d": today, "y": tax_year, "st": ["noticed"], "accts": accts}
    await s.execute(text(f"""
        WITH {_OWED}
        UPDATE liens l SET status = 'cancelled'
        FROM owed WHERE owed.id = l.id AND l.tax_year = :y AND owed.owed = 0"""), params)
    listed = await s.execute(text(f"""
        WITH {_OWED}
        UPDATE liens l SET status = 'listed', list_id = :list, listed_amount = owed.owed
        FROM owed WHERE owed.id = l.id AND l.tax_year = :y AND owed.owed > 0
          AND l.noticed_on + CAST(:nd AS integer) <= :d"""),
        {**params, "list": list_id, "nd": notice_days})
    await s.execute(text(
        "UPDATE lien_lists SET parcels = t.n, total = t.total FROM (SELECT count(*) AS n, "
        "coalesce(sum(listed_amount), 0) AS total FROM liens WHERE list_id = :id) t "
        "WHERE id = :id"), {"id": list_id})
    return int(listed.rowcount)  # type: ignore[attr-defined]


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


async def delete_list(s: AsyncSession, list_id: uuid.UUID) -> None:
    """An empty list is not kept (nothing was due to be listed)."""
    await s.execute(text("DELETE FROM lien_lists WHERE id = :id AND parcels = 0"),
                    {"id": list_id})


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


async def release_paid(s: AsyncSession, today: date) -> list[Released]:
    """Listed or recorded liens now paid are released; noticed ones paid before the list are
    cancelled (nothing was filed). One statement each."""
    noticed = await _accounts(s, ["noticed"])
    if noticed:
        await s.execute(text(f"""
            WITH {_OWED}
            UPDATE liens l SET status = 'cancelled'
            FROM owed WHERE owed.id = l.id AND owed.owed = 0"""),
            {"d": today, "st": ["noticed"], "accts": noticed})
    filed = await _accounts(s, ["listed", "recorded"])
    if not filed:
        return []
    return all_as(Released, await s.execute(text(f"""
        WITH {_OWED}
        UPDATE liens l SET status = 'released', released_on = :d
        FROM owed WHERE owed.id = l.id AND owed.owed = 0
        RETURNING l.id, l.account_id, l.apn, coalesce(l.listed_amount, l.amount) AS amount,
                  l.tax_year"""), {"d": today, "st": ["listed", "recorded"], "accts": filed}))


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


async def liens(s: AsyncSession, today: date, tax_year: int | None, status: str | None,
                account_id: uuid.UUID | None, limit: int) -> list[Lien]:
    every = ["noticed", "listed", "recorded", "released", "cancelled"]
    accts = await _accounts(s, [status] if status else every, tax_year, account_id)
    return all_as(Lien, await s.execute(text(f"""
        WITH {_OWED}
        SELECT l.*, a.number, coalesce(owed.owed, 0.00) AS owed
        FROM liens l LEFT JOIN accounts a ON a.id = l.account_id
        LEFT JOIN owed ON owed.id = l.id
        WHERE (CAST(:y AS integer) IS NULL OR l.tax_year = :y)
          AND (CAST(:status AS text) IS NULL OR l.status = :status)
          AND (CAST(:a AS uuid) IS NULL OR l.account_id = :a)
        ORDER BY l.tax_year DESC, l.apn LIMIT :n"""),
        {"d": today, "st": every, "accts": accts, "y": tax_year, "status": status,
         "a": account_id, "n": limit}))


async def lists(s: AsyncSession, limit: int) -> list[LienList]:
    return all_as(LienList, await s.execute(text(
        "SELECT * FROM lien_lists ORDER BY certified_on DESC, created_at DESC LIMIT :n"),
        {"n": limit}))
