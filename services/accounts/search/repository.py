"""All SQL of the search tables: set-based refreshes (same transaction as the change) and the
ranked queries: trigram over words (GIN), prefix over identifiers (btree)."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import TextClause, text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.csvexport import Export
from kernel.rows import all_as
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
    return list((await session.execute(
        text("SELECT DISTINCT account_id FROM service_agreements "
             "WHERE premise_id = ANY(CAST(:ids AS uuid[]))"),
        {"ids": [str(i) for i in premise_ids]},
    )).scalars())


async def accounts_of_customers(
    session: AsyncSession, customer_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    return list((await session.execute(
        text("SELECT id FROM accounts WHERE customer_id = ANY(CAST(:ids AS uuid[]))"),
        {"ids": [str(i) for i in customer_ids]},
    )).scalars())


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked search row."""

    entity: Literal["account", "premise"]
    entity_id: uuid.UUID
    account_number: str | None
    title: str
    subtitle: str
    status: str
    score: Decimal  # numeric: the mean of the word matches' strengths, plus 10 for an exact key


_COLS = "s.entity, s.entity_id, s.account_number, s.title, s.subtitle, s.status"

# Per typed word, the dictionary words it may mean, each with how well it matches (1 exact,
# then prefix by how much of the word was typed, trigram similarity, same sound), best `kw`.
# Sound only for words of four letters or more: "kou" and "ca" (the state) sound alike.
# Matches much weaker than a word's best are dropped: typed exactly, "maria" should not also
# fetch every Mario (noise, and long posting lists to intersect).
# Numbers match exactly or by prefix only: house 1234 is not "like" house 1235. The dictionary
# sorts in byte order; its words leave in the default collation, the word index's own.
_EXPANSIONS = """
e AS MATERIALIZED (
    SELECT t.i, x.word COLLATE "default" AS word, x.sim,
           row_number() OVER (PARTITION BY t.i ORDER BY x.sim DESC, x.word) AS r
    FROM unnest(CAST(:toks AS text[])) WITH ORDINALITY AS t(tok, i)
    CROSS JOIN LATERAL (SELECT y.word, y.sim FROM (
        SELECT c.word, max(c.sim) AS sim, max(max(c.sim)) OVER () AS top FROM (
            SELECT w.word, 1.0 AS sim FROM search_words w WHERE w.word = t.tok
            UNION ALL
            (SELECT w.word, 0.6 + 0.4 * length(t.tok) / length(w.word) FROM search_words w
             WHERE w.word > t.tok COLLATE "C" AND w.word < (t.tok || chr(1114111)) COLLATE "C"
             ORDER BY w.word LIMIT 64)
            UNION ALL
            SELECT w.word, similarity(w.word, t.tok) FROM search_words w
            WHERE t.tok !~ '^[0-9]+$' AND w.word % t.tok
            UNION ALL
            SELECT w.word, 0.4 + 0.4 * similarity(w.word, t.tok) FROM search_words w
            WHERE length(t.tok) >= 4 AND t.tok !~ '[0-9]'
              AND w.sound = nullif(dmetaphone(t.tok), '') AND length(w.word) >= 4
        ) c GROUP BY c.word
    ) y WHERE y.sim >= 0.6 * y.top ORDER BY y.sim DESC, y.word LIMIT :kw) x
)"""


def _word_sql(n: int) -> tuple[list[str], str]:
    """Per typed word, the condition that a document holds one of its dictionary words, and the
    score: the mean over typed words of the best match the document holds."""
    conds = [f"s.words && (SELECT array_agg(e.word) FROM e WHERE e.i = {i + 1})"
             for i in range(n)]
    score = ("(SELECT coalesce(sum(z.m), 0) FROM (SELECT max(e.sim) AS m FROM e "
             f"WHERE e.word = ANY(s.words) GROUP BY e.i) z) / {n}") if n else "0"
    return conds, score


@functools.lru_cache(maxsize=64)
def _query(n_words: int, n_identifiers: int) -> TextClause:
    """The statement for a shape of query (how many words, how many identifiers), built once:
    the CSR's front door runs hundreds of times a second and the text is long."""
    conds, score = _word_sql(n_words)
    entity_cond = "(CAST(:entity AS text) IS NULL OR s.entity = :entity)"
    with_e = f"WITH {_EXPANSIONS}," if n_words else "WITH"
    if not n_identifiers:
        # First the documents holding every word's best match (a GIN intersection); only when
        # those are fewer than `cand` are the other matches looked at. Candidates are ranked;
        # equal scores by title. Each tier is a MATERIALIZED CTE: planned for all its rows it
        # is a bitmap scan of the word index, and read lazily under the LIMIT (the second tier
        # runs only if the first falls short). Planned under the LIMIT, with the words unknown
        # until run time, a sequential scan looked cheaper (seconds at 1M accounts).
        cols = f"{_COLS}, s.words"
        return text(f"""
            {with_e} best AS (
                SELECT array_agg(e.word) AS words, count(*) AS n FROM e WHERE e.r = 1
            ), t1 AS MATERIALIZED (
                SELECT {cols} FROM search_index s
                WHERE s.words @> (SELECT words FROM best)
                  AND (SELECT n FROM best) = :n AND {entity_cond}
            ), t2 AS MATERIALIZED (
                SELECT {cols} FROM search_index s WHERE {' AND '.join(conds)} AND {entity_cond}
            ), hit AS (
                SELECT * FROM ((SELECT * FROM t1 LIMIT :cand) UNION ALL (SELECT * FROM t2))
                    AS u LIMIT :cand
            )
            SELECT {_COLS}, {score} AS score
            FROM (SELECT DISTINCT ON (entity, entity_id) * FROM hit) s
            ORDER BY score DESC, s.title, s.entity_id
            LIMIT :limit
        """)
    others = [
        f"EXISTS (SELECT 1 FROM search_keys k{j} WHERE k{j}.entity_id = s.entity_id "
        f"AND k{j}.key >= :k{j} AND k{j}.key < :k{j}hi)"
        for j in range(1, n_identifiers)
    ]
    where = " AND ".join([*conds, *others, "true"])
    # The first `cand` keys of the prefix range in key order (an exact key sorts first), read
    # from the key btree as a range scan, then grouped. Grouping before the LIMIT let the
    # planner walk the whole entity_id index for its order (~1 s stalls at 1M accounts).
    return text(f"""
        {with_e} r AS MATERIALIZED (
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
        ORDER BY score DESC, s.title, s.entity_id
        LIMIT :limit
    """)


async def search(
    session: AsyncSession, words: list[str], identifiers: list[str], entity: str | None,
    limit: int, candidates: int = 100, similar_words: int = 8,
) -> list[Hit]:
    """Every word must match a dictionary word the document holds, and every identifier must
    prefix one of its keys. Ranked by exact identifier, then by how well the words match."""
    if not words and not identifiers:
        return []
    params: dict[str, Any] = {"entity": entity, "limit": limit, "cand": candidates}
    if words:
        params.update(kw=similar_words, toks=words, n=len(words))
    for j, ident in enumerate(identifiers):
        params[f"k{j}"], params[f"k{j}hi"] = ident, prefix_upper_bound(ident)
    return all_as(Hit, await session.execute(_query(len(words), len(identifiers)), params))


def search_export(words: list[str], identifiers: list[str], entity: str | None) -> Export:
    """Every match of a search, best first, for a CSV download: the search's own statement
    with neither the candidate cap nor the page limit (`LIMIT NULL`)."""
    if not words and not identifiers:
        return Export(text(f"SELECT {_COLS}, 0 AS score FROM search_index s WHERE false"),
                      {}, "search.csv")
    params: dict[str, Any] = {"entity": entity, "limit": None, "cand": None}
    if words:
        params.update(kw=8, toks=words, n=len(words))
    for j, ident in enumerate(identifiers):
        params[f"k{j}"], params[f"k{j}hi"] = ident, prefix_upper_bound(ident)
    return Export(_query(len(words), len(identifiers)), params, "search.csv")
