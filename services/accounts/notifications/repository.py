"""All SQL of notifications: queueing set-based (one statement for a bill run's e-bills), the
sender's claims under SKIP LOCKED, outcomes in bulk, preferences and suppressions."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as


@dataclass(frozen=True, slots=True)
class Recipient:
    account_id: uuid.UUID
    customer_id: uuid.UUID
    account_number: str
    name: str
    language: str
    email: str | None
    phone: str | None
    texts_allowed: bool


async def recipients(s: AsyncSession, account_ids: Sequence[uuid.UUID]) -> list[Recipient]:
    """Who an account's messages go to: its customer's first e-mail and phone, the account's
    language (else the customer's)."""
    if not account_ids:
        return []
    return all_as(Recipient, await s.execute(text(
        "SELECT a.id AS account_id, c.id AS customer_id, a.number AS account_number, c.name, "
        "coalesce(a.language, c.language) AS language, c.emails[1] AS email, "
        "c.phones[1] AS phone, c.text_messages AS texts_allowed "
        "FROM accounts a JOIN customers c ON c.id = a.customer_id "
        "WHERE a.id = ANY(CAST(:ids AS uuid[]))"), {"ids": [str(i) for i in account_ids]}))


async def customer_of(s: AsyncSession, account_id: uuid.UUID) -> uuid.UUID | None:
    found = (await s.execute(text("SELECT customer_id FROM accounts WHERE id = :a"),
                             {"a": account_id})).scalar_one_or_none()
    return None if found is None else uuid.UUID(str(found))


async def preferences(s: AsyncSession, customer_ids: Sequence[uuid.UUID]
                      ) -> dict[tuple[uuid.UUID, str], str]:
    if not customer_ids:
        return {}
    rows = await s.execute(text(
        "SELECT customer_id, kind, channels FROM notification_preferences "
        "WHERE customer_id = ANY(CAST(:ids AS uuid[]))"), {"ids": [str(i) for i in customer_ids]})
    return {(r.customer_id, r.kind): r.channels for r in rows}


async def preferences_of(s: AsyncSession, customer_id: uuid.UUID) -> dict[str, str]:
    rows = await s.execute(text(
        "SELECT kind, channels FROM notification_preferences WHERE customer_id = :c"),
        {"c": customer_id})
    return {r.kind: r.channels for r in rows}


async def set_preference(s: AsyncSession, customer_id: uuid.UUID, kind: str, channels: str,
                         who: str) -> None:
    await s.execute(text(
        "INSERT INTO notification_preferences (customer_id, kind, channels, changed_by) "
        "VALUES (:c, :k, :ch, :w) ON CONFLICT (customer_id, kind) DO UPDATE SET "
        "channels = excluded.channels, changed_by = excluded.changed_by, changed_at = now()"),
        {"c": customer_id, "k": kind, "ch": channels, "w": who})


async def suppressed(s: AsyncSession, pairs: Sequence[tuple[str, str]]
                     ) -> frozenset[tuple[str, str]]:
    if not pairs:
        return frozenset()
    rows = await s.execute(text(
        "SELECT channel, address FROM notification_suppressions s "
        "JOIN unnest(CAST(:ch AS text[]), CAST(:ad AS text[])) AS p(channel, address) "
        "USING (channel, address)"),
        {"ch": [p[0] for p in pairs], "ad": [p[1] for p in pairs]})
    return frozenset((r.channel, r.address) for r in rows)


@dataclass(frozen=True, slots=True)
class NewMessage:
    id: uuid.UUID
    dedupe_key: str
    account_id: uuid.UUID
    customer_id: uuid.UUID
    kind: str
    channel: str
    language: str
    recipient: str
    facts: dict[str, Any]
    not_before: datetime
    source_event_id: uuid.UUID | None


async def enqueue(s: AsyncSession, rows: Sequence[NewMessage]) -> int:
    """Queue messages in one statement; one already queued under the same key is skipped (a
    redelivered event, a retried job). Returns how many are new."""
    if not rows:
        return 0
    res = await s.execute(text(
        "INSERT INTO notification_messages (id, dedupe_key, account_id, customer_id, kind, "
        "channel, language, recipient, facts, not_before, source_event_id) "
        "SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:keys AS text[]), "
        "CAST(:accounts AS uuid[]), CAST(:customers AS uuid[]), CAST(:kinds AS text[]), "
        "CAST(:channels AS text[]), CAST(:languages AS text[]), CAST(:recipients AS text[]), "
        "CAST(:facts AS jsonb[]), CAST(:not_before AS timestamptz[]), "
        "CAST(:sources AS uuid[])) ON CONFLICT (dedupe_key) DO NOTHING"), {
            "ids": [str(r.id) for r in rows], "keys": [r.dedupe_key for r in rows],
            "accounts": [str(r.account_id) for r in rows],
            "customers": [str(r.customer_id) for r in rows],
            "kinds": [r.kind for r in rows], "channels": [r.channel for r in rows],
            "languages": [r.language for r in rows],
            "recipients": [r.recipient for r in rows],
            "facts": [json.dumps(r.facts, default=str) for r in rows],
            "not_before": [r.not_before for r in rows],
            "sources": [str(r.source_event_id) if r.source_event_id else None for r in rows]})
    return int(res.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class EmailNotice:
    """A notice as the set-based path takes it: its key for the e-mail channel already made
    (`domain.dedupe_key`), and whether `only` lets e-mail through."""

    account_id: uuid.UUID
    kind: str
    dedupe_key: str
    facts: dict[str, Any]
    not_before: datetime | None
    source_event_id: uuid.UUID | None
    email_allowed: bool


@dataclass(frozen=True, slots=True)
class KindRow:
    name: str
    default: str
    may_opt_out: bool


# One statement for a whole delivery: the customer, their language and choice, the e-mail
# message of every notice whose customer gets this kind by e-mail only (the default of most
# kinds, and what nearly every customer keeps), inserted under its unique key. The ordinals of
# the notices whose customer chose texts come back: their channels need the phone in E.164 and
# the quiet hours, so `domain.channels_for` decides them (service.notify). The choice is
# `domain.choice_of`, and the e-mail-only case of `channels_for`, in SQL; a test checks both
# paths against the rule for every kind of choice, address and suppression.
_ENQUEUE_EMAILS = text("""
WITH n AS (
    SELECT * FROM unnest(CAST(:ords AS int[]), CAST(:accounts AS uuid[]),
                         CAST(:kinds AS text[]), CAST(:keys AS text[]),
                         CAST(:facts AS jsonb[]), CAST(:not_before AS timestamptz[]),
                         CAST(:sources AS uuid[]), CAST(:email_ok AS boolean[]))
        AS n(ord, account_id, kind, dedupe_key, facts, not_before, source_event_id, email_ok)
), k AS (
    SELECT * FROM unnest(CAST(:k_names AS text[]), CAST(:k_defaults AS text[]),
                         CAST(:k_opt AS boolean[])) AS k(name, dflt, may_opt_out)
), w AS (
    SELECT n.*, a.customer_id, a.number AS account_number, c.name,
           coalesce(a.language, c.language) AS language, nullif(c.emails[1], '') AS email,
           CASE WHEN p.channels IS NULL OR (p.channels = 'none' AND NOT k.may_opt_out)
                THEN k.dflt ELSE p.channels END AS choice
    FROM n JOIN k ON k.name = n.kind
    JOIN accounts a ON a.id = n.account_id
    JOIN customers c ON c.id = a.customer_id
    LEFT JOIN notification_preferences p ON p.customer_id = a.customer_id AND p.kind = n.kind
), ins AS (
    INSERT INTO notification_messages (id, dedupe_key, account_id, customer_id, kind, channel,
                                       language, recipient, facts, not_before, source_event_id)
    SELECT gen_random_uuid(), w.dedupe_key, w.account_id, w.customer_id, w.kind, 'email',
           w.language, w.email,
           jsonb_build_object('name', w.name, 'account_number', w.account_number) || w.facts,
           greatest(coalesce(w.not_before, CAST(:now AS timestamptz)), CAST(:now AS timestamptz)),
           w.source_event_id
    FROM w
    WHERE w.choice = 'email' AND w.email_ok AND w.email IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM notification_suppressions x
                      WHERE x.channel = 'email' AND x.address = w.email)
    ORDER BY w.ord
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM ins) AS queued,
       coalesce((SELECT array_agg(ord ORDER BY ord) FROM w WHERE choice IN ('text', 'both')),
                '{}') AS texting
""")


async def enqueue_emails(s: AsyncSession, notices: Sequence[EmailNotice],
                         kinds: Sequence[KindRow], now: datetime) -> tuple[int, list[int]]:
    """Queue the e-mail of every notice whose customer gets its kind by e-mail only, in one
    statement; a message already queued under its key is skipped. Returns how many are new and
    the positions of the notices whose customer chose texts (theirs are not queued here)."""
    if not notices:
        return 0, []
    row = (await s.execute(_ENQUEUE_EMAILS, {
        "ords": list(range(len(notices))),
        "accounts": [str(n.account_id) for n in notices],
        "kinds": [n.kind for n in notices], "keys": [n.dedupe_key for n in notices],
        "facts": [json.dumps(n.facts, default=str) for n in notices],
        "not_before": [n.not_before for n in notices],
        "sources": [str(n.source_event_id) if n.source_event_id else None for n in notices],
        "email_ok": [n.email_allowed for n in notices],
        "k_names": [k.name for k in kinds], "k_defaults": [k.default for k in kinds],
        "k_opt": [k.may_opt_out for k in kinds], "now": now})).one()
    return int(row.queued), [int(i) for i in row.texting]


@dataclass(frozen=True, slots=True)
class MessageRow:
    id: uuid.UUID
    account_id: uuid.UUID
    customer_id: uuid.UUID
    kind: str
    channel: str
    language: str
    recipient: str
    facts: dict[str, Any]
    status: str
    attempts: int
    not_before: datetime
    subject: str | None
    body_text: str | None
    body_html: str | None
    provider_id: str | None
    last_error: str | None
    queued_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    failed_at: datetime | None


_COLS = ("id, account_id, customer_id, kind, channel, language, recipient, facts, status, "
         "attempts, not_before, subject, body_text, body_html, provider_id, last_error, "
         "queued_at, sent_at, delivered_at, failed_at")


async def claim(s: AsyncSession, now: datetime, limit: int, lease_seconds: int
                ) -> list[MessageRow]:
    """Due messages, each claimed for `lease_seconds` (a sender that dies mid-send leaves its
    claims to expire and be taken again). Two senders never claim the same message."""
    return all_as(MessageRow, await s.execute(text(
        f"UPDATE notification_messages m SET status = 'sending', attempts = m.attempts + 1, "
        f"claimed_until = CAST(:now AS timestamptz) + make_interval(secs => :lease) "
        f"WHERE m.id IN (SELECT id FROM notification_messages "
        f"  WHERE (status = 'queued' AND not_before <= :now) "
        f"     OR (status = 'sending' AND claimed_until < :now) "
        f"  ORDER BY not_before LIMIT :n FOR UPDATE SKIP LOCKED) RETURNING {_COLS}"),
        {"now": now, "n": limit, "lease": lease_seconds}))


@dataclass(frozen=True, slots=True)
class Outcome:
    id: uuid.UUID
    status: str  # sent / queued (a retry) / failed / cancelled
    subject: str | None = None
    body_text: str | None = None
    body_html: str | None = None
    provider_id: str | None = None
    error: str | None = None
    retry_at: datetime | None = None


async def record(s: AsyncSession, outcomes: Sequence[Outcome], now: datetime) -> None:
    """The senders' outcomes in one statement."""
    if not outcomes:
        return
    await s.execute(text(
        "UPDATE notification_messages m SET status = o.status, claimed_until = NULL, "
        "subject = coalesce(o.subject, m.subject), body_text = coalesce(o.body_text, m.body_text), "
        "body_html = coalesce(o.body_html, m.body_html), "
        "provider_id = coalesce(o.provider_id, m.provider_id), last_error = o.error, "
        "not_before = coalesce(o.retry_at, m.not_before), "
        "sent_at = CASE WHEN o.status = 'sent' THEN CAST(:now AS timestamptz) ELSE m.sent_at END, "
        "failed_at = CASE WHEN o.status = 'failed' THEN CAST(:now AS timestamptz) "
        "                 ELSE m.failed_at END "
        "FROM unnest(CAST(:ids AS uuid[]), CAST(:st AS text[]), CAST(:su AS text[]), "
        "CAST(:bt AS text[]), CAST(:bh AS text[]), CAST(:pi AS text[]), CAST(:er AS text[]), "
        "CAST(:ra AS timestamptz[])) "
        "AS o(id, status, subject, body_text, body_html, provider_id, error, retry_at) "
        "WHERE m.id = o.id"), {
            "now": now, "ids": [str(o.id) for o in outcomes],
            "st": [o.status for o in outcomes], "su": [o.subject for o in outcomes],
            "bt": [o.body_text for o in outcomes], "bh": [o.body_html for o in outcomes],
            "pi": [o.provider_id for o in outcomes], "er": [o.error for o in outcomes],
            "ra": [o.retry_at for o in outcomes]})


async def message(s: AsyncSession, message_id: uuid.UUID, lock: bool = False
                  ) -> MessageRow | None:
    return first_as(MessageRow, await s.execute(text(
        f"SELECT {_COLS} FROM notification_messages WHERE id = :i"
        + (" FOR UPDATE" if lock else "")), {"i": message_id}))


async def by_provider_id(s: AsyncSession, provider_id: str) -> MessageRow | None:
    return first_as(MessageRow, await s.execute(text(
        f"SELECT {_COLS} FROM notification_messages WHERE provider_id = :p FOR UPDATE"),
        {"p": provider_id}))


async def set_status(s: AsyncSession, message_id: uuid.UUID, status: str,
                     error: str | None = None) -> None:
    await s.execute(text(
        "UPDATE notification_messages SET status = :st, last_error = coalesce(:e, last_error), "
        "delivered_at = CASE WHEN :st = 'delivered' THEN now() ELSE delivered_at END, "
        "failed_at = CASE WHEN :st IN ('bounced', 'failed') THEN now() ELSE failed_at END "
        "WHERE id = :i"), {"st": status, "e": error, "i": message_id})


async def messages_of(s: AsyncSession, account_id: uuid.UUID, limit: int) -> list[MessageRow]:
    return all_as(MessageRow, await s.execute(text(
        f"SELECT {_COLS} FROM notification_messages WHERE account_id = :a "
        f"ORDER BY queued_at DESC, id LIMIT :n"), {"a": account_id, "n": limit}))


async def requeue(s: AsyncSession, message_id: uuid.UUID) -> None:
    await s.execute(text(
        "UPDATE notification_messages SET status = 'queued', not_before = now(), "
        "last_error = NULL WHERE id = :i"), {"i": message_id})


async def cancel_queued(s: AsyncSession, account_ids: Sequence[uuid.UUID], kinds: Sequence[str],
                        why: str) -> int:
    if not account_ids:
        return 0
    res = await s.execute(text(
        "UPDATE notification_messages SET status = 'cancelled', last_error = :w "
        "WHERE status = 'queued' AND account_id = ANY(CAST(:a AS uuid[])) "
        "AND kind = ANY(CAST(:k AS text[]))"),
        {"a": [str(a) for a in account_ids], "k": list(kinds), "w": why})
    return int(res.rowcount)  # type: ignore[attr-defined]


async def suppress(s: AsyncSession, channel: str, address: str, reason: str, detail: str | None,
                   message_id: uuid.UUID | None) -> None:
    await s.execute(text(
        "INSERT INTO notification_suppressions (channel, address, reason, detail, message_id) "
        "VALUES (:c, :a, :r, :d, :m) ON CONFLICT (channel, address) DO UPDATE SET "
        "reason = excluded.reason, detail = excluded.detail, since = now(), "
        "message_id = excluded.message_id"),
        {"c": channel, "a": address, "r": reason, "d": detail, "m": message_id})


async def unsuppress(s: AsyncSession, channel: str, address: str, reason: str) -> None:
    await s.execute(text(
        "DELETE FROM notification_suppressions WHERE channel = :c AND address = :a "
        "AND reason = :r"), {"c": channel, "a": address, "r": reason})


async def cancel_to(s: AsyncSession, channel: str, address: str, why: str) -> int:
    """Queued messages to an address that may no longer be used."""
    res = await s.execute(text(
        "UPDATE notification_messages SET status = 'cancelled', last_error = :w "
        "WHERE status = 'queued' AND channel = :c AND recipient = :a"),
        {"c": channel, "a": address, "w": why})
    return int(res.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Undeliverable:
    channel: str
    address: str
    reason: str
    detail: str | None
    since: datetime
    account_ids: list[uuid.UUID]


async def undeliverable(s: AsyncSession, limit: int) -> list[Undeliverable]:
    """Bounced addresses and stopped phones, with the accounts that used them (staff's list)."""
    return all_as(Undeliverable, await s.execute(text(
        "SELECT x.channel, x.address, x.reason, x.detail, x.since, "
        "coalesce(array_agg(DISTINCT m.account_id) FILTER (WHERE m.account_id IS NOT NULL), "
        "'{}') AS account_ids "
        "FROM notification_suppressions x LEFT JOIN notification_messages m "
        "ON m.channel = x.channel AND m.recipient = x.address "
        "GROUP BY x.channel, x.address, x.reason, x.detail, x.since "
        "ORDER BY x.since DESC LIMIT :n"), {"n": limit}))
