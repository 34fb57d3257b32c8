"""All SQL of registration proofs: the copy of bill totals (`bill_facts`, written only from
billing's events) and the reads a proof needs of accounts, agreements and premises."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import first_as, value_as
from services.accounts.portal.domain import BillFact


@dataclass(frozen=True)
class AccountFacts:
    id: uuid.UUID
    number: str
    status: str


async def upsert_bills(session: AsyncSession, bills: list[BillFact]) -> None:
    """Set-based: a bill run announces thousands at once. A bill already marked cancelled
    stays cancelled; a rebill marks the bill it replaces."""
    if not bills:
        return
    await session.execute(
        text(
            """
            INSERT INTO bill_facts AS f (bill_id, account_id, bill_date, total)
            SELECT unnest(CAST(:ids AS uuid[])), unnest(CAST(:accounts AS uuid[])),
                   unnest(CAST(:dates AS date[])), unnest(CAST(:totals AS numeric[]))
            ON CONFLICT (bill_id) DO UPDATE
                SET account_id = excluded.account_id, bill_date = excluded.bill_date,
                    total = excluded.total, updated_at = now()
            """
        ),
        {"ids": [b.bill_id for b in bills], "accounts": [b.account_id for b in bills],
         "dates": [b.bill_date for b in bills], "totals": [b.total for b in bills]},
    )
    replaced = [(b.replaces, b.account_id) for b in bills if b.replaces]
    if replaced:
        await mark_cancelled(session, replaced)


async def mark_cancelled(session: AsyncSession, bills: list[tuple[str, str]]) -> None:
    """(bill id, account id) pairs; a cancellation before its bill keeps a marked row."""
    await session.execute(
        text(
            """
            INSERT INTO bill_facts AS f (bill_id, account_id, cancelled)
            SELECT unnest(CAST(:ids AS uuid[])), unnest(CAST(:accounts AS uuid[])), true
            ON CONFLICT (bill_id) DO UPDATE SET cancelled = true, updated_at = now()
            """
        ),
        {"ids": [b for b, _ in bills], "accounts": [a for _, a in bills]},
    )


async def account_by_number(session: AsyncSession, number: str) -> AccountFacts | None:
    return first_as(AccountFacts, await session.execute(
        text("SELECT id, number, status FROM accounts WHERE number = :n"), {"n": number}))


async def last_bill_total(session: AsyncSession, account_id: uuid.UUID) -> Decimal | None:
    return value_as(Decimal, (await session.execute(
        text(
            "SELECT total FROM bill_facts WHERE account_id = :a AND NOT cancelled "
            "AND total IS NOT NULL ORDER BY bill_date DESC, bill_id DESC LIMIT 1"
        ),
        {"a": account_id},
    )).scalar_one_or_none())


async def service_zips(session: AsyncSession, account_id: uuid.UUID) -> list[str | None]:
    """The ZIP codes of the premises the account is (or is about to be) served at."""
    rows = (await session.execute(
        text(
            "SELECT DISTINCT p.address ->> 'postal_code' FROM service_agreements sa "
            "JOIN premises p ON p.id = sa.premise_id "
            "WHERE sa.account_id = :a AND sa.status IN ('active', 'pending')"
        ),
        {"a": account_id},
    )).scalars().all()
    return [None if r is None else str(r) for r in rows]


async def bill_account(session: AsyncSession, bill_id: uuid.UUID) -> uuid.UUID | None:
    """The account a bill was issued to, as billing announced it."""
    return value_as(uuid.UUID, (await session.execute(
        text("SELECT account_id FROM bill_facts WHERE bill_id = :b"), {"b": bill_id},
    )).scalar_one_or_none())
