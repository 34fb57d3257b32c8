"""Search use cases: keeping the denormalised search tables current, and querying them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.csvexport import Export
from services.accounts.search import domain, repository
from services.accounts.search.schemas import SearchHit


async def reindex(
    session: AsyncSession,
    accounts: Sequence[uuid.UUID] = (),
    premises: Sequence[uuid.UUID] = (),
    customers: Sequence[uuid.UUID] = (),
) -> None:
    """Refresh the search rows of these accounts and premises, of the accounts at the premises
    (their documents carry the service address, APN and meter serials) and of the customers'
    accounts (their name, mailing address, phones and emails), each once."""
    account_ids = set(accounts)
    if premises:
        await repository.refresh_premises(session, list(premises))
        account_ids.update(await repository.accounts_at_premises(session, list(premises)))
    if customers:
        account_ids.update(await repository.accounts_of_customers(session, list(customers)))
    await repository.refresh_accounts(session, sorted(account_ids))


async def search(
    session: AsyncSession, q: str, entity: str | None = None, limit: int = 20
) -> list[SearchHit]:
    terms = domain.split_terms(q)
    rows = await repository.search(session, terms.words, terms.identifiers, entity, limit)
    return [
        SearchHit(entity=r.entity, id=r.entity_id, account_number=r.account_number,
                  title=r.title, subtitle=r.subtitle, status=r.status,
                  score=round(float(r.score), 4))
        for r in rows
    ]


def search_export(q: str, entity: str | None = None) -> Export:
    """Every match of `q` (no page limit), for a CSV download."""
    terms = domain.split_terms(q)
    return repository.search_export(terms.words, terms.identifiers, entity)
