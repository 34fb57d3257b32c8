"""All SQL of text-to-pay: enrolments (registered phones), balance messages and inbound texts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

_ENROLMENT = ("id, account_id, phone, method_token, method_kind, method_display, status, "
              "code_hash, code_expires_at, code_attempts, requested_by, requested_role, "
              "created_at, confirmed_at, confirmed_by, cancelled_at, cancelled_by, cancel_reason")
_MESSAGE = ("id, enrolment_id, account_id, bill_id, sent_on, valid_through, amount, due_date, "
            "provider, provider_message_id, status, error_code, charge_key, charge_ref, "
            "charge_status, charged_at")


@dataclass(frozen=True, slots=True)
class Enrolment:
    id: uuid.UUID
    account_id: uuid.UUID
    phone: str
    method_token: str
    method_kind: str
    method_display: str
    status: str
    code_hash: str
    code_expires_at: datetime
    code_attempts: int
    requested_by: str
    requested_role: str
    created_at: datetime
    confirmed_at: datetime | None
    confirmed_by: str | None
    cancelled_at: datetime | None
    cancelled_by: str | None
    cancel_reason: str | None


@dataclass(frozen=True, slots=True)
class BalanceMessage:
    id: uuid.UUID
    enrolment_id: uuid.UUID
    account_id: uuid.UUID
    bill_id: uuid.UUID
    sent_on: date
    valid_through: date
    amount: Decimal
    due_date: date
    provider: str
    provider_message_id: str | None
    status: str
    error_code: str | None
    charge_key: str
    charge_ref: str | None
    charge_status: str | None
    charged_at: datetime | None


def _enrolment(r: object) -> Enrolment:
    return Enrolment(*r)  # type: ignore[misc]


def _message(r: object) -> BalanceMessage:
    return BalanceMessage(*r)  # type: ignore[misc]


# -- enrolments ----------------------------------------------------------------------------------

async def insert_enrolment(s: AsyncSession, *, id: uuid.UUID, account_id: uuid.UUID, phone: str,
                           method_token: str, method_kind: str, method_display: str,
                           code_hash: str, code_expires_at: datetime, requested_by: str,
                           requested_role: str, now: datetime) -> Enrolment:
    r = (await s.execute(text(
        "INSERT INTO texttopay_enrolments (id, account_id, phone, method_token, method_kind, "
        "method_display, code_hash, code_expires_at, requested_by, requested_role, created_at) "
        "VALUES (:id, :a, :p, :t, :k, :d, :h, :x, :by, :role, :now) "
        f"RETURNING {_ENROLMENT}"),
        {"id": id, "a": account_id, "p": phone, "t": method_token, "k": method_kind,
         "d": method_display, "h": code_hash, "x": code_expires_at, "by": requested_by,
         "role": requested_role, "now": now})).one()
    return _enrolment(r)


async def get(s: AsyncSession, enrolment_id: uuid.UUID, lock: bool = False) -> Enrolment | None:
    r = (await s.execute(text(
        f"SELECT {_ENROLMENT} FROM texttopay_enrolments WHERE id = :id"
        + (" FOR UPDATE" if lock else "")), {"id": enrolment_id})).first()
    return None if r is None else _enrolment(r)


async def of_account(s: AsyncSession, account_id: uuid.UUID) -> list[Enrolment]:
    """Newest first."""
    return [_enrolment(r) for r in (await s.execute(text(
        f"SELECT {_ENROLMENT} FROM texttopay_enrolments WHERE account_id = :a "
        "ORDER BY created_at DESC, id"), {"a": account_id})).all()]


async def live_of_phone(s: AsyncSession, phone: str) -> list[Enrolment]:
    """The phone's active and pending enrolments, newest first, locked for the change a
    text makes to them."""
    return [_enrolment(r) for r in (await s.execute(text(
        f"SELECT {_ENROLMENT} FROM texttopay_enrolments WHERE phone = :p "
        "AND status IN ('active', 'pending') ORDER BY created_at DESC, id FOR UPDATE"),
        {"p": phone})).all()]


async def active_of_phone(s: AsyncSession, phone: str) -> Enrolment | None:
    r = (await s.execute(text(
        f"SELECT {_ENROLMENT} FROM texttopay_enrolments WHERE phone = :p "
        "AND status = 'active'"), {"p": phone})).first()
    return None if r is None else _enrolment(r)


async def active(s: AsyncSession) -> list[Enrolment]:
    return [_enrolment(r) for r in (await s.execute(text(
        f"SELECT {_ENROLMENT} FROM texttopay_enrolments WHERE status = 'active'"))).all()]


async def lock_account(s: AsyncSession, account_id: uuid.UUID) -> None:
    """Serialise enrolment changes of one account until the transaction ends."""
    await s.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 7))"),
                    {"k": f"texttopay:{account_id}"})


async def activate(s: AsyncSession, enrolment_id: uuid.UUID, confirmed_by: str,
                   now: datetime) -> Enrolment:
    r = (await s.execute(text(
        "UPDATE texttopay_enrolments SET status = 'active', confirmed_at = :t, "
        f"confirmed_by = :by WHERE id = :id AND status = 'pending' RETURNING {_ENROLMENT}"),
        {"id": enrolment_id, "by": confirmed_by, "t": now})).one()
    return _enrolment(r)


async def cancel(s: AsyncSession, enrolment_id: uuid.UUID, by: str, reason: str,
                 now: datetime) -> Enrolment:
    r = (await s.execute(text(
        "UPDATE texttopay_enrolments SET status = 'cancelled', cancelled_at = :t, "
        "cancelled_by = :by, cancel_reason = :r WHERE id = :id "
        f"AND status IN ('active', 'pending') RETURNING {_ENROLMENT}"),
        {"id": enrolment_id, "by": by, "r": reason, "t": now})).one()
    return _enrolment(r)


async def count_attempt(s: AsyncSession, enrolment_id: uuid.UUID) -> int:
    return int((await s.execute(text(
        "UPDATE texttopay_enrolments SET code_attempts = code_attempts + 1 WHERE id = :id "
        "RETURNING code_attempts"), {"id": enrolment_id})).scalar_one())


# -- balance messages ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class NewMessage:
    id: uuid.UUID
    enrolment_id: uuid.UUID
    account_id: uuid.UUID
    bill_id: str
    amount: Decimal
    due_date: date


async def insert_messages(s: AsyncSession, rows: list[NewMessage], *, sent_on: date,
                          valid_through: date, provider: str) -> set[uuid.UUID]:
    """The ids inserted: a bill that already had its message that day (a re-run of the job)
    is skipped. One statement for the whole run."""
    if not rows:
        return set()
    r = await s.execute(text(
        "INSERT INTO texttopay_messages (id, enrolment_id, account_id, bill_id, sent_on, "
        "valid_through, amount, due_date, provider, status, charge_key) "
        "SELECT m.id, m.e, m.a, m.b, :on, :through, m.amount, m.due, :p, 'queued', "
        "'texttopay:' || m.id FROM unnest(CAST(:ids AS uuid[]), CAST(:es AS uuid[]), "
        "CAST(:accts AS uuid[]), CAST(:bills AS uuid[]), CAST(:amounts AS numeric[]), "
        "CAST(:dues AS date[])) AS m(id, e, a, b, amount, due) "
        "ON CONFLICT DO NOTHING RETURNING id"),
        {"ids": [x.id for x in rows], "es": [x.enrolment_id for x in rows],
         "accts": [x.account_id for x in rows], "bills": [uuid.UUID(x.bill_id) for x in rows],
         "amounts": [x.amount for x in rows], "dues": [x.due_date for x in rows],
         "on": sent_on, "through": valid_through, "p": provider})
    return {row[0] for row in r.all()}


async def messages_sent(s: AsyncSession, sent: list[tuple[uuid.UUID, str | None, str,
                                                          str | None]]) -> None:
    """(id, provider message id, status, error code) for each message of a run, at once."""
    if not sent:
        return
    await s.execute(text(
        "UPDATE texttopay_messages t SET provider_message_id = u.pm, status = u.st, "
        "error_code = u.err FROM unnest(CAST(:ids AS uuid[]), CAST(:pms AS text[]), "
        "CAST(:sts AS text[]), CAST(:errs AS text[])) AS u(id, pm, st, err) WHERE t.id = u.id"),
        {"ids": [x[0] for x in sent], "pms": [x[1] for x in sent],
         "sts": [x[2] for x in sent], "errs": [x[3] for x in sent]})


async def message_sent(s: AsyncSession, message_id: uuid.UUID, provider_message_id: str | None,
                       status: str, error_code: str | None = None) -> None:
    await messages_sent(s, [(message_id, provider_message_id, status, error_code)])


async def forget_messages(s: AsyncSession, ids: list[uuid.UUID]) -> None:
    """The provider never took them: a later run that day may try again."""
    if ids:
        await s.execute(text("DELETE FROM texttopay_messages WHERE id = ANY(CAST(:ids AS "
                             "uuid[])) AND charge_ref IS NULL"), {"ids": ids})


async def latest_message(s: AsyncSession, enrolment_id: uuid.UUID) -> BalanceMessage | None:
    """The quote PAY answers, locked: two PAYs for it are decided one after the other."""
    r = (await s.execute(text(
        f"SELECT {_MESSAGE} FROM texttopay_messages WHERE enrolment_id = :e "
        "AND status NOT IN ('failed', 'undelivered', 'canceled') "
        "ORDER BY sent_on DESC, created_at DESC, id LIMIT 1 FOR UPDATE"),
        {"e": enrolment_id})).first()
    return None if r is None else _message(r)


async def messages_of(s: AsyncSession, enrolment_id: uuid.UUID) -> list[BalanceMessage]:
    return [_message(r) for r in (await s.execute(text(
        f"SELECT {_MESSAGE} FROM texttopay_messages WHERE enrolment_id = :e "
        "ORDER BY sent_on DESC, created_at DESC, id"), {"e": enrolment_id})).all()]


async def record_charge(s: AsyncSession, message_id: uuid.UUID, charge_ref: str,
                        charge_status: str, now: datetime) -> None:
    await s.execute(text(
        "UPDATE texttopay_messages SET charge_ref = :r, charge_status = :st, charged_at = :t "
        "WHERE id = :id"), {"id": message_id, "r": charge_ref, "st": charge_status, "t": now})


async def message_by_provider_id(s: AsyncSession, provider: str,
                                 provider_message_id: str) -> BalanceMessage | None:
    r = (await s.execute(text(
        f"SELECT {_MESSAGE} FROM texttopay_messages WHERE provider = :p "
        "AND provider_message_id = :pm FOR UPDATE"),
        {"p": provider, "pm": provider_message_id})).first()
    return None if r is None else _message(r)


# -- inbound texts -------------------------------------------------------------------------------

async def record_inbound(s: AsyncSession, provider: str, message_id: str, keyword: str) -> bool:
    """False when this message was handled before (the provider retried its webhook)."""
    r = await s.execute(text(
        "INSERT INTO texttopay_inbound (provider, message_id, keyword) VALUES (:p, :m, :k) "
        "ON CONFLICT DO NOTHING RETURNING message_id"),
        {"p": provider, "m": message_id, "k": keyword})
    return r.first() is not None


async def inbound_outcome(s: AsyncSession, provider: str, message_id: str, outcome: str,
                          enrolment_id: uuid.UUID | None,
                          balance_message_id: uuid.UUID | None) -> None:
    await s.execute(text(
        "UPDATE texttopay_inbound SET outcome = :o, enrolment_id = :e, "
        "balance_message_id = :b WHERE provider = :p AND message_id = :m"),
        {"p": provider, "m": message_id, "o": outcome, "e": enrolment_id,
         "b": balance_message_id})
