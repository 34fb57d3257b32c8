"""All SQL of notices: queueing (one statement for any number, with SB 998's Occupant and
tenant copies derived set-based from the copy's premises), what was given, and reading notices
back to render them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as, value_as
from services.collections.notices import domain
from services.collections.notices.domain import NoticeRequest

# One statement: the requests (arrays) joined to the copy (the addressee's name, mailing
# address and language, stored with the notice so its PDF never changes), plus, for the kinds
# SB 998 names, an Occupant copy at each active premise that is not the mailing address and a
# tenant copy at each premise the account owns (10 days' notice multi-unit, 7 detached). Ids
# are md5 of (kind, reference, addressee), as domain.notice_id computes them.
_QUEUE = text("""
WITH req AS (
    SELECT r.account_id, r.kind, r.reference, r.amount, r.action_on, r.bill_id,
           r.details::jsonb AS details, r.addressee, r.ord
    FROM unnest(CAST(:accounts AS text[])::uuid[], CAST(:kinds AS text[]),
                CAST(:refs AS text[]), CAST(:amounts AS text[])::numeric[],
                CAST(:actions AS text[])::date[], CAST(:bills AS text[])::uuid[],
                CAST(:details AS text[]), CAST(:addressees AS text[]))
         WITH ORDINALITY AS r(account_id, kind, reference, amount, action_on, bill_id,
                              details, addressee, ord)
), who AS (
    SELECT q.*, coalesce(a.number, '') AS number, coalesce(c.name, '') AS holder,
           coalesce(a.mailing, '{}'::jsonb) AS mailing,
           coalesce(nullif(a.language, ''), nullif(c.language, ''), 'en') AS preferred
    FROM req q LEFT JOIN accounts a ON a.id = q.account_id
    LEFT JOIN customers c ON c.id = a.customer_id
), served AS (  -- the premises each asking account is served at now
    SELECT DISTINCT w.ord, p.id AS premise_id, p.kind AS premise_kind, p.dwelling_units,
           p.address AS premise_address, p.owner_account_id
    FROM who w JOIN service_agreements sa ON sa.account_id = w.account_id
                                          AND sa.status = 'active'
    JOIN premises p ON p.id = sa.premise_id
), rows AS (
    SELECT w.account_id, w.kind, w.reference, w.addressee, w.amount, w.action_on,
           NULL::date AS deliver_by, w.bill_id, w.details, NULL::uuid AS parent_id,
           s.premise_id, w.preferred, w.number, w.holder AS name,
           CASE WHEN w.addressee = 'customer' THEN w.mailing
                ELSE coalesce(s.premise_address, w.mailing) END AS address,
           s.premise_address AS service_address,
           CASE WHEN w.kind = ANY(CAST(:posted AS text[])) THEN 'post' ELSE 'mail' END
               AS delivery,
           1 AS copies
    FROM who w LEFT JOIN LATERAL (
        SELECT premise_id, premise_address FROM served s WHERE s.ord = w.ord
        ORDER BY premise_id LIMIT 1) s ON true
    UNION ALL
    SELECT w.account_id, w.kind, w.reference || '@' || s.premise_id, 'occupant', w.amount,
           w.action_on, NULL, w.bill_id, w.details,
           md5(w.kind || '|' || w.reference || '|' || w.addressee)::uuid,
           s.premise_id, w.preferred, w.number, '', s.premise_address, s.premise_address,
           'mail', 1
    FROM who w JOIN served s ON s.ord = w.ord
    WHERE w.addressee = 'customer' AND w.kind = ANY(CAST(:occupant_kinds AS text[]))
      AND NOT notice_same_address(w.mailing, s.premise_address)
    UNION ALL
    SELECT w.account_id, w.kind, w.reference || '@' || s.premise_id, 'tenant', w.amount,
           t.action_on, t.action_on - t.days, w.bill_id, w.details,
           md5(w.kind || '|' || w.reference || '|' || w.addressee)::uuid,
           s.premise_id, w.preferred, w.number, '', s.premise_address, s.premise_address,
           'post', CASE WHEN t.multi THEN greatest(s.dwelling_units, 1) ELSE 1 END
    FROM who w JOIN served s ON s.ord = w.ord
    CROSS JOIN LATERAL (
        SELECT d.days, d.multi, greatest(coalesce(w.action_on, CAST(:today AS date) + d.days),
                                CAST(:today AS date) + d.days) AS action_on
        FROM (SELECT CASE WHEN s.premise_kind = 'multi_family' OR s.dwelling_units > 1
                          THEN CAST(:multi_days AS int)
                          WHEN s.premise_kind = 'single_family' THEN CAST(:detached_days AS int)
                     END AS days,
                     s.premise_kind = 'multi_family' OR s.dwelling_units > 1 AS multi) d) t
    WHERE w.addressee = 'customer' AND w.kind = ANY(CAST(:tenant_kinds AS text[]))
      AND s.owner_account_id = w.account_id AND t.days IS NOT NULL
), ins AS (
    INSERT INTO notices (id, account_id, kind, addressee, reference, status, created_on,
                         amount, action_on, deliver_by, bill_id, details, parent_id,
                         premise_id, language, preferred_language, account_number, name,
                         address, service_address, delivery, copies, requested_by)
    SELECT md5(kind || '|' || reference || '|' || addressee)::uuid, account_id, kind,
           addressee, reference, 'queued', CAST(:today AS date), amount, action_on,
           deliver_by, bill_id, details, parent_id, premise_id,
           CASE WHEN preferred = ANY(CAST(:languages AS text[])) THEN preferred ELSE 'en' END,
           preferred, number, name, coalesce(address, '{}'::jsonb), service_address, delivery,
           copies, CAST(:who AS text)
    FROM rows
    ON CONFLICT (kind, reference, addressee) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM ins
""")


def _s(v: object) -> str | None:
    return None if v is None else str(v)


async def queue(s: AsyncSession, requests: Sequence[NoticeRequest], *, today: date,
                requested_by: str, multi_unit_days: int, detached_days: int) -> int:
    res = await s.execute(_QUEUE, {
        "accounts": [str(r.account_id) for r in requests],
        "kinds": [r.kind for r in requests],
        "refs": [r.reference for r in requests],
        "amounts": [_s(r.amount) for r in requests],
        "actions": [_s(r.action_on) for r in requests],
        "bills": [_s(r.bill_id) for r in requests],
        "details": [json.dumps([list(d) for d in r.details]) for r in requests],
        "addressees": [r.addressee for r in requests],
        "today": today, "who": requested_by,
        "posted": list(domain.POSTED_KINDS),
        "occupant_kinds": list(domain.OCCUPANT_COPY_KINDS),
        "tenant_kinds": list(domain.TENANT_COPY_KINDS),
        "languages": list(domain.LANGUAGES),
        "multi_days": multi_unit_days, "detached_days": detached_days,
    })
    return int(res.scalar_one())


async def given_on(s: AsyncSession, account_id: uuid.UUID, kinds: Sequence[str],
                   since: date | None, addressee: str | None) -> date | None:
    return value_as(date, (await s.execute(text(
        "SELECT max(released_on) FROM notices WHERE account_id = :a AND kind = ANY(:k) "
        "AND status = 'released' AND (CAST(:since AS date) IS NULL OR released_on >= :since) "
        "AND (CAST(:to AS text) IS NULL OR addressee = :to)"),
        {"a": account_id, "k": list(kinds), "since": since, "to": addressee})).scalar())


@dataclass(frozen=True, slots=True)
class Notice:
    """A notice as stored: everything its letter says."""

    id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    addressee: str
    reference: str
    status: str
    created_on: date
    released_on: date | None
    amount: Decimal | None
    action_on: date | None
    deliver_by: date | None
    bill_id: uuid.UUID | None
    details: list[list[str]]
    parent_id: uuid.UUID | None
    premise_id: uuid.UUID | None
    language: str
    preferred_language: str
    account_number: str
    name: str
    address: dict[str, str]
    service_address: dict[str, str] | None
    delivery: str
    copies: int
    requested_by: str
    batch_id: uuid.UUID | None
    void_reason: str | None
    voided_by: str | None
    voided_on: date | None


async def notice(s: AsyncSession, notice_id: uuid.UUID) -> Notice | None:
    return first_as(Notice, await s.execute(text("SELECT * FROM notices WHERE id = :i"),
                                            {"i": notice_id}))


async def of_account(s: AsyncSession, account_id: uuid.UUID) -> list[Notice]:
    return all_as(Notice, await s.execute(text(
        "SELECT * FROM notices WHERE account_id = :a ORDER BY created_on DESC, kind, "
        "addressee, reference"), {"a": account_id}))
