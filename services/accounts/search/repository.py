"""All SQL of the search table: set-based refreshes (same transaction as the change) and the
ranked trigram query that uses the GIN index."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

_REFRESH_ACCOUNTS = text(
    r"""
    INSERT INTO search_index AS s
        (entity, entity_id, account_number, title, subtitle, status, doc)
    SELECT 'account', a.id, a.number, c.name,
           coalesce(p.first_addr, address_text(coalesce(a.mailing_address, c.mailing_address))),
           a.status,
           lower(concat_ws(' ', a.number, c.name,
                 address_text(coalesce(a.mailing_address, c.mailing_address)),
                 array_to_string(c.phones, ' '),
                 regexp_replace(array_to_string(c.phones, ' '), '[^0-9 ]', '', 'g'),
                 array_to_string(c.emails, ' '), p.addrs, p.apns, p.serials))
    FROM accounts a
    JOIN customers c ON c.id = a.customer_id
    LEFT JOIN LATERAL (
        SELECT string_agg(DISTINCT address_text(pr.address), ' ') AS addrs,
               min(address_text(pr.address))
                   FILTER (WHERE sa.status = 'active') AS first_addr,
               string_agg(DISTINCT pr.apn, ' ') AS apns,
               string_agg(DISTINCT m.serial, ' ') AS serials
        FROM service_agreements sa
        JOIN premises pr ON pr.id = sa.premise_id
        LEFT JOIN meters m ON m.id = sa.meter_id
        WHERE sa.account_id = a.id
    ) p ON true
    WHERE a.id = ANY(CAST(:ids AS uuid[]))
    ON CONFLICT (entity, entity_id) DO UPDATE SET
        account_number = excluded.account_number, title = excluded.title,
        subtitle = excluded.subtitle, status = excluded.status, doc = excluded.doc
    """
)

_REFRESH_PREMISES = text(
    r"""
    INSERT INTO search_index AS s
        (entity, entity_id, account_number, title, subtitle, status, doc)
    SELECT 'premise', pr.id, NULL, address_text(pr.address),
           concat_ws(' · ', 'APN ' || pr.apn, 'cycle ' || pr.cycle, 'route ' || pr.route),
           CASE WHEN EXISTS (SELECT 1 FROM service_agreements sa
                             WHERE sa.premise_id = pr.id AND sa.status = 'active')
                THEN 'occupied' ELSE 'vacant' END,
           lower(concat_ws(' ', address_text(pr.address), pr.apn, m.serials))
    FROM premises pr
    LEFT JOIN LATERAL (
        SELECT string_agg(serial, ' ') AS serials FROM meters
        WHERE premise_id = pr.id AND status = 'installed'
    ) m ON true
    WHERE pr.id = ANY(CAST(:ids AS uuid[]))
    ON CONFLICT (entity, entity_id) DO UPDATE SET
        title = excluded.title, subtitle = excluded.subtitle, status = excluded.status,
        doc = excluded.doc
    """
)


async def refresh_accounts(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    if ids:
        await session.execute(_REFRESH_ACCOUNTS, {"ids": [str(i) for i in ids]})


async def refresh_premises(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    if ids:
        await session.execute(_REFRESH_PREMISES, {"ids": [str(i) for i in ids]})


async def accounts_at_premises(
    session: AsyncSession, premise_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    rows = await session.execute(
        text("SELECT DISTINCT account_id FROM service_agreements "
             "WHERE premise_id = ANY(CAST(:ids AS uuid[]))"),
        {"ids": [str(i) for i in premise_ids]},
    )
    return [r[0] for r in rows]


async def search(
    session: AsyncSession, terms: list[str], exact: str | None, entity: str | None,
    threshold: float, limit: int,
) -> list[Any]:
    """Every term must match a word of the document (trigram, typo-tolerant); ranked by the
    summed word similarity, an exact account number first."""
    await session.execute(
        text("SELECT set_config('pg_trgm.word_similarity_threshold', :t, true)"),
        {"t": str(threshold)},
    )
    params: dict[str, Any] = {"exact": exact, "entity": entity, "limit": limit}
    conds, scores = [], []
    for i, term in enumerate(terms):
        params[f"t{i}"] = term
        conds.append(f"(CAST(:t{i} AS text) <% doc)")
        scores.append(f"word_similarity(CAST(:t{i} AS text), doc)")
    match = " AND ".join(conds) or "false"
    score = " + ".join(scores) or "0"
    sql = f"""
        SELECT entity, entity_id, account_number, title, subtitle, status,
               ({score}) / greatest({len(terms)}, 1)
               + CASE WHEN account_number = :exact THEN 10 ELSE 0 END AS score
        FROM search_index
        WHERE (({match}) OR account_number = :exact)
          AND (CAST(:entity AS text) IS NULL OR entity = :entity)
        ORDER BY score DESC, title
        LIMIT :limit
    """
    return list((await session.execute(text(sql), params)).all())
