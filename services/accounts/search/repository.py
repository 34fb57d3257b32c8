"""All SQL of the search tables: set-based refreshes (same transaction as the change) and the
ranked queries: trigram over words (GIN), prefix over identifiers (btree)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.accounts.search.domain import prefix_upper_bound

_REFRESH_ACCOUNTS = text(
    r"""
    INSERT INTO search_index AS s
        (entity, entity_id, account_number, title, subtitle, status, doc, keys)
    SELECT 'account', a.id, a.number, c.name,
           coalesce(p.first_addr, address_text(coalesce(a.mailing_address, c.mailing_address))),
           a.status,
           lower(concat_ws(' ', c.name,
                 address_text(coalesce(a.mailing_address, c.mailing_address)),
                 array_to_string(c.emails, ' '), p.addrs)),
           k.keys
    FROM accounts a
    JOIN customers c ON c.id = a.customer_id
    LEFT JOIN LATERAL (
        SELECT string_agg(DISTINCT address_text(pr.address), ' ') AS addrs,
               min(address_text(pr.address))
                   FILTER (WHERE sa.status = 'active') AS first_addr
        FROM service_agreements sa
        JOIN premises pr ON pr.id = sa.premise_id
        WHERE sa.account_id = a.id
    ) p ON true
    LEFT JOIN LATERAL (
        SELECT coalesce(array_agg(DISTINCT u.k), '{}') AS keys FROM (
            SELECT a.number AS k
            UNION ALL SELECT right(regexp_replace(ph, '\D', '', 'g'), 10) FROM unnest(c.phones) ph
            UNION ALL SELECT right(regexp_replace(ph, '\D', '', 'g'), 7) FROM unnest(c.phones) ph
            UNION ALL SELECT lower(e) FROM unnest(c.emails) e
            UNION ALL SELECT regexp_replace(lower(pr.apn), '[^0-9a-z]', '', 'g')
                FROM service_agreements sa JOIN premises pr ON pr.id = sa.premise_id
                WHERE sa.account_id = a.id
            UNION ALL SELECT regexp_replace(lower(m.serial), '[^0-9a-z]', '', 'g')
                FROM service_agreements sa JOIN meters m ON m.id = sa.meter_id
                WHERE sa.account_id = a.id
        ) u WHERE u.k IS NOT NULL AND u.k <> ''
    ) k ON true
    WHERE a.id = ANY(CAST(:ids AS uuid[]))
    ON CONFLICT (entity, entity_id) DO UPDATE SET
        account_number = excluded.account_number, title = excluded.title,
        subtitle = excluded.subtitle, status = excluded.status, doc = excluded.doc,
        keys = excluded.keys
    """
)

_REFRESH_PREMISES = text(
    r"""
    INSERT INTO search_index AS s
        (entity, entity_id, account_number, title, subtitle, status, doc, keys)
    SELECT 'premise', pr.id, NULL, address_text(pr.address),
           concat_ws(' · ', 'APN ' || pr.apn, 'cycle ' || pr.cycle, 'route ' || pr.route),
           CASE WHEN EXISTS (SELECT 1 FROM service_agreements sa
                             WHERE sa.premise_id = pr.id AND sa.status = 'active')
                THEN 'occupied' ELSE 'vacant' END,
           lower(address_text(pr.address)),
           ARRAY(SELECT DISTINCT k FROM (
               SELECT regexp_replace(lower(pr.apn), '[^0-9a-z]', '', 'g') AS k
               UNION ALL SELECT regexp_replace(lower(serial), '[^0-9a-z]', '', 'g')
                   FROM meters WHERE premise_id = pr.id AND status = 'installed'
           ) u WHERE k IS NOT NULL AND k <> '')
    FROM premises pr
    WHERE pr.id = ANY(CAST(:ids AS uuid[]))
    ON CONFLICT (entity, entity_id) DO UPDATE SET
        title = excluded.title, subtitle = excluded.subtitle, status = excluded.status,
        doc = excluded.doc, keys = excluded.keys
    """
)

_DELETE_KEYS = text("DELETE FROM search_keys WHERE entity_id = ANY(CAST(:ids AS uuid[]))")
_INSERT_KEYS = text(
    "INSERT INTO search_keys (key, entity, entity_id) "
    "SELECT DISTINCT unnest(keys), entity, entity_id FROM search_index "
    "WHERE entity_id = ANY(CAST(:ids AS uuid[])) ON CONFLICT DO NOTHING"
)
# `search_index.words` is generated from `doc`; the dictionary of distinct words only grows.
_INSERT_WORDS = text(
    "INSERT INTO search_words (word) "
    "SELECT DISTINCT w FROM search_index, unnest(words) w "
    "WHERE entity_id = ANY(CAST(:ids AS uuid[])) AND w <> '' ON CONFLICT DO NOTHING"
)


async def _refresh(session: AsyncSession, sql: Any, ids: Sequence[uuid.UUID]) -> None:
    if not ids:
        return
    params = {"ids": [str(i) for i in ids]}
    await session.execute(sql, params)
    await session.execute(_DELETE_KEYS, params)
    await session.execute(_INSERT_KEYS, params)
    await session.execute(_INSERT_WORDS, params)


async def refresh_accounts(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    await _refresh(session, _REFRESH_ACCOUNTS, ids)


async def refresh_premises(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    await _refresh(session, _REFRESH_PREMISES, ids)


async def accounts_at_premises(
    session: AsyncSession, premise_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    rows = await session.execute(
        text("SELECT DISTINCT account_id FROM service_agreements "
             "WHERE premise_id = ANY(CAST(:ids AS uuid[]))"),
        {"ids": [str(i) for i in premise_ids]},
    )
    return [r[0] for r in rows]


_COLS = "s.entity, s.entity_id, s.account_number, s.title, s.subtitle, s.status"


def _dictionary_sql(words: list[str], params: dict[str, Any]) -> list[str]:
    """Per token, the documents holding one of the `:kw` dictionary words most like it (the
    trigram lookup runs on the small `search_words`, the documents come from the GIN array
    index on `search_index.words`)."""
    return [
        f"s.words && (SELECT coalesce(array_agg(d.word), '{{}}') FROM (SELECT word "
        f"FROM search_words WHERE CAST(:w{i} AS text) <% word "
        f"ORDER BY CAST(:w{i} AS text) <<-> word, word LIMIT :kw) d)"
        for i in range(len(words))
    ]


def _word_sql(words: list[str], params: dict[str, Any]) -> tuple[list[str], str]:
    conds, scores = [], []
    for i, word in enumerate(words):
        params[f"w{i}"] = word
        conds.append(f"(CAST(:w{i} AS text) <% s.doc)")
        scores.append(f"word_similarity(CAST(:w{i} AS text), s.doc)")
    score = f"({' + '.join(scores)}) / {len(words)}" if words else "0"
    return conds, score


async def search(
    session: AsyncSession, words: list[str], identifiers: list[str], entity: str | None,
    threshold: float, limit: int, candidates: int = 200, similar_words: int = 16,
) -> list[Any]:
    """Every word must match a word of the document (trigram) and every identifier must
    prefix one of the keys. Ranked by exact identifier, then mean word similarity."""
    # A custom plan per query: a generic (cached) plan cannot see how narrow an identifier's
    # prefix range is and may scan the whole key table.
    await session.execute(
        text("SELECT set_config('pg_trgm.word_similarity_threshold', :t, true), "
             "set_config('plan_cache_mode', 'force_custom_plan', true)"),
        {"t": str(threshold)},
    )
    params: dict[str, Any] = {"entity": entity, "limit": limit, "cand": candidates,
                              "kw": similar_words}
    conds, score = _word_sql(words, params)
    entity_cond = "(CAST(:entity AS text) IS NULL OR s.entity = :entity)"
    if not identifiers:
        if not words:
            return []
        # A single token is looked up among the distinct words (trigram, small table), then
        # the documents holding those words by exact word (GIN array); the first `cand`
        # documents are ranked by word similarity against the document.
        # Only for a single token: with several tokens, each common word (a first name, a
        # street) intersects long posting lists per token, which measured slower at 1M
        # accounts than the trigram index over the documents, so those keep `doc`.
        dict_conds = _dictionary_sql(words, params) if len(words) == 1 else conds
        sql = (f"WITH hit AS (SELECT s.entity, s.entity_id FROM search_index s "
               f"WHERE {' AND '.join(dict_conds)} AND {entity_cond} LIMIT :cand) "
               f"SELECT {_COLS}, {score} AS score FROM hit JOIN search_index s "
               "ON s.entity = hit.entity AND s.entity_id = hit.entity_id "
               "ORDER BY score DESC, s.title LIMIT :limit")
        return list((await session.execute(text(sql), params)).all())
    for j, ident in enumerate(identifiers):
        params[f"k{j}"], params[f"k{j}hi"] = ident, prefix_upper_bound(ident)
    others = [
        f"EXISTS (SELECT 1 FROM search_keys k{j} WHERE k{j}.entity_id = s.entity_id "
        f"AND k{j}.key >= :k{j} AND k{j}.key < :k{j}hi)"
        for j in range(1, len(identifiers))
    ]
    where = " AND ".join([*conds, *others, "true"])
    # The first `cand` keys of the prefix range in key order (an exact key sorts first), read
    # from the key btree as a range scan, then grouped. Grouping before the LIMIT let the
    # planner walk the whole entity_id index for its order (~1 s stalls at 1M accounts).
    sql = f"""
        WITH r AS MATERIALIZED (
            SELECT k.entity, k.entity_id, k.key
            FROM search_keys k
            WHERE k.key >= :k0 AND k.key < :k0hi
              AND (CAST(:entity AS text) IS NULL OR k.entity = :entity)
            ORDER BY k.key
            LIMIT :cand
        ), hit AS (
            SELECT entity, entity_id, bool_or(key = :k0) AS exact FROM r GROUP BY entity, entity_id
        )
        SELECT {_COLS}, CASE WHEN hit.exact THEN 10 ELSE 1 END + {score} AS score
        FROM hit JOIN search_index s ON s.entity = hit.entity AND s.entity_id = hit.entity_id
        WHERE {where}
        ORDER BY score DESC, s.title
        LIMIT :limit
    """
    return list((await session.execute(text(sql), params)).all())
