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

from kernel.csvexport import Export
from kernel.outbox import publish_batch
from kernel.outbox_after import publishing_after
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
), first_served AS (  -- the service address a customer's letter names (hash-joined: a
                     -- lateral probe of a CTE per request is quadratic in the day's notices)
    SELECT DISTINCT ON (ord) ord, premise_id, premise_address FROM served
    ORDER BY ord, premise_id
), rows AS (
    SELECT w.account_id, w.kind, w.reference, w.addressee, w.amount, w.action_on,
           NULL::date AS deliver_by, w.bill_id, w.details, NULL::uuid AS parent_id,
           s.premise_id, w.preferred, w.number, w.holder AS name,
           CASE WHEN w.addressee = 'customer' AND w.kind <> ALL(CAST(:posted AS text[]))
                THEN w.mailing
                ELSE coalesce(s.premise_address, w.mailing) END AS address,
           s.premise_address AS service_address,
           CASE WHEN w.kind = ANY(CAST(:posted AS text[])) THEN 'post' ELSE 'mail' END
               AS delivery,
           1 AS copies
    FROM who w LEFT JOIN first_served s ON s.ord = w.ord
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


def of_account_export(account_id: uuid.UUID) -> Export:
    """The account's notices in the same order, one row each, for a CSV download."""
    return Export(text(
        "SELECT id, account_number, kind, addressee, reference, status, created_on, "
        "released_on, amount, action_on, deliver_by, language, delivery, copies, name, "
        "parent_id, void_reason, voided_on FROM notices WHERE account_id = :a "
        "ORDER BY created_on DESC, kind, addressee, reference"), {"a": account_id},
        f"notices-{account_id}.csv")


# ---- print batches ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Batch:
    id: uuid.UUID
    batch_on: date
    status: str
    notices: int
    created_by: str
    approved_by: str | None
    released_by: str | None
    released_on: date | None
    rejected_by: str | None
    reason: str | None


# The day's queued notices (and earlier days' left over) into one new batch, in one statement.
# SKIP LOCKED: two clerks batching at once split the queue rather than wait or double-batch.
# The letter's facts about the addressee (name, mailing address, language, the premise's
# address) are taken again from the copy as they are now: a customer who moved since the notice
# was queued gets it at the new address, an account the copy learnt of late gets its name.
# From here on the letter does not change: what the supervisor approves is what is printed.
# A notice of an account the copy does not know yet (accounts' events not arrived) waits: it
# has nowhere to go.
_BATCH = text("""
WITH q AS (
    SELECT id FROM notices WHERE status = 'queued' AND batch_id IS NULL
      AND created_on <= CAST(:today AS date)
      AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = notices.account_id)
    FOR UPDATE OF notices SKIP LOCKED
), b AS (
    INSERT INTO notice_batches (id, batch_on, notices, created_by)
    SELECT CAST(:id AS uuid), CAST(:today AS date), count(*), CAST(:who AS text) FROM q
    HAVING count(*) > 0
    RETURNING id
), u AS (
    UPDATE notices n SET batch_id = b.id,
        account_number = coalesce(f.number, n.account_number),
        name = CASE WHEN n.addressee = 'customer' THEN coalesce(f.holder, n.name)
                    ELSE n.name END,
        address = CASE WHEN n.delivery = 'mail' AND n.addressee = 'customer'
                            AND f.mailing <> '{}'::jsonb THEN f.mailing
                       WHEN (n.delivery = 'post' OR n.addressee <> 'customer')
                            AND p.address <> '{}'::jsonb THEN p.address
                       ELSE n.address END,
        service_address = coalesce(p.address, n.service_address),
        preferred_language = coalesce(f.preferred, n.preferred_language),
        language = CASE WHEN coalesce(f.preferred, n.preferred_language)
                             = ANY(CAST(:languages AS text[]))
                        THEN coalesce(f.preferred, n.preferred_language) ELSE 'en' END
    FROM b, q JOIN notices x ON x.id = q.id
    LEFT JOIN (SELECT a.id, a.number, c.name AS holder, a.mailing,
                      coalesce(nullif(a.language, ''), nullif(c.language, ''), 'en')
                          AS preferred
               FROM accounts a LEFT JOIN customers c ON c.id = a.customer_id) f
           ON f.id = x.account_id
    LEFT JOIN premises p ON p.id = x.premise_id
    WHERE n.id = q.id
    RETURNING 1
)
SELECT count(*) FROM u
""")


async def create_batch(s: AsyncSession, batch_id: uuid.UUID, today: date, who: str) -> int:
    return int((await s.execute(_BATCH, {"id": batch_id, "today": today, "who": who,
                                          "languages": list(domain.LANGUAGES)})).scalar_one())


async def batch(s: AsyncSession, batch_id: uuid.UUID, *, lock: bool = False) -> Batch | None:
    return first_as(Batch, await s.execute(text(
        "SELECT * FROM notice_batches WHERE id = :b" + (" FOR UPDATE" if lock else "")),
        {"b": batch_id}))


async def approve_batch(s: AsyncSession, batch_id: uuid.UUID, who: str) -> None:
    await s.execute(text(
        "UPDATE notice_batches SET status = 'approved', approved_by = :w, approved_at = now() "
        "WHERE id = :b"), {"b": batch_id, "w": who})
    await s.execute(text(
        "UPDATE notices SET status = 'approved' WHERE batch_id = :b AND status = 'queued'"),
        {"b": batch_id})


async def reject_batch(s: AsyncSession, batch_id: uuid.UUID, who: str, reason: str) -> None:
    """The supervisor sends the batch back: its notices return to the queue (to be voided or
    left for the next batch), the batch stays as the record of what was refused and why."""
    await s.execute(text(
        "UPDATE notice_batches SET status = 'rejected', rejected_by = :w, reason = :r "
        "WHERE id = :b"), {"b": batch_id, "w": who, "r": reason})
    await s.execute(text(
        "UPDATE notices SET batch_id = NULL WHERE batch_id = :b AND status = 'queued'"),
        {"b": batch_id})


# Release: every approved notice of the batch becomes released on the day, and each is
# announced (collections.NoticeReleased), in one statement whatever the batch's size.
_RELEASE = publishing_after("""
    rel AS (
        UPDATE notices SET status = 'released', released_on = CAST(:today AS date)
        WHERE batch_id = CAST(:b AS uuid) AND status = 'approved'
        RETURNING id, account_id, kind, addressee, released_on, amount, action_on, language
    )""", """
        SELECT gen_random_uuid() AS event_id, 'collections.NoticeReleased' AS type,
               1 AS version, 'account:' || r.account_id AS key,
               jsonb_build_object('notice_id', r.id, 'account_id', r.account_id,
                                  'kind', r.kind, 'addressee', r.addressee,
                                  'released_on', r.released_on, 'amount', r.amount::text,
                                  'action_on', r.action_on, 'language', r.language) AS payload,
               row_number() OVER (ORDER BY r.account_id, r.kind, r.addressee, r.id) AS ord
        FROM rel r
""")


async def release_batch(s: AsyncSession, batch_id: uuid.UUID, today: date, who: str) -> int:
    # The planner cannot know how many notices the UPDATE returns (a new batch id has no
    # statistics) and guesses one: a nested loop between the event CTEs is then quadratic
    # (15 s for 6,000 notices). Hash joins only, for this statement.
    await s.execute(text("SET LOCAL enable_nestloop = off"))
    n = await publish_batch(s, _RELEASE, {"b": str(batch_id), "today": today}, who)
    await s.execute(text("SET LOCAL enable_nestloop = on"))
    await s.execute(text(
        "UPDATE notice_batches SET status = 'released', released_by = :w, released_on = :d, "
        "released_at = now() WHERE id = :b"), {"b": batch_id, "w": who, "d": today})
    return n


async def batch_notices(s: AsyncSession, batch_id: uuid.UUID) -> list[Notice]:
    """A released batch's notices in print order (by postal code, then account: the vendor's
    presort), voided ones left out."""
    return all_as(Notice, await s.execute(text(
        "SELECT * FROM notices WHERE batch_id = :b AND status = 'released' "
        "ORDER BY address->>'postal_code', account_number, kind, addressee, id"),
        {"b": batch_id}))


@dataclass(frozen=True, slots=True)
class KindCount:
    batch_id: uuid.UUID | None
    kind: str
    addressee: str
    n: int


async def awaiting(s: AsyncSession) -> tuple[list[Batch], list[KindCount]]:
    """Batches awaiting approval, and what each holds (by kind and addressee; the queued
    notices not yet in a batch under batch None)."""
    batches = all_as(Batch, await s.execute(text(
        "SELECT * FROM notice_batches WHERE status = 'awaiting_approval' "
        "ORDER BY batch_on, created_at")))
    counts = all_as(KindCount, await s.execute(text(
        "SELECT n.batch_id, n.kind, n.addressee, count(*) AS n FROM notices n "
        "LEFT JOIN notice_batches b ON b.id = n.batch_id "
        "WHERE n.status = 'queued' AND (n.batch_id IS NULL OR b.status = 'awaiting_approval') "
        "GROUP BY n.batch_id, n.kind, n.addressee ORDER BY n.batch_id, n.kind, n.addressee")))
    return batches, counts


async def void(s: AsyncSession, notice_id: uuid.UUID, reason: str, who: str,
               today: date) -> int:
    """Void a notice not yet released, and the Occupant and tenant copies derived from it."""
    res = await s.execute(text(
        "UPDATE notices SET status = 'void', void_reason = :r, voided_by = :w, voided_on = :d "
        "WHERE (id = :i OR parent_id = :i) AND status IN ('queued', 'approved')"),
        {"i": notice_id, "r": reason, "w": who, "d": today})
    return int(res.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class _Parent:
    account_id: uuid.UUID
    kind: str
    reference: str
    amount: Decimal | None
    action_on: date | None
    bill_id: uuid.UUID | None
    details: list[list[str]]


async def unbatched_parents(s: AsyncSession, today: date) -> list[NoticeRequest]:
    """The customer notices about to be batched whose kind carries SB 998's copies: asked
    again, the queue derives a copy the copy's data did not call for when they were queued
    (the customer has since moved away from the premise, the premise reached the copy late)."""
    kinds = sorted({*domain.OCCUPANT_COPY_KINDS, *domain.TENANT_COPY_KINDS})
    return [NoticeRequest(account_id=p.account_id, kind=p.kind, reference=p.reference,
                          amount=p.amount, action_on=p.action_on, bill_id=p.bill_id,
                          details=tuple((str(d[0]), str(d[1])) for d in p.details))
            for p in all_as(_Parent, await s.execute(text(
                "SELECT account_id, kind, reference, amount, action_on, bill_id, details "
                "FROM notices WHERE status = 'queued' AND batch_id IS NULL "
                "AND addressee = 'customer' AND created_on <= :d AND kind = ANY(:k)"),
                {"d": today, "k": kinds}))]
