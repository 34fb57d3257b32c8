"""All SQL of processor webhooks: deliveries, processor payments and their reversals.

Every write is an INSERT ... ON CONFLICT: two processes handling the same event at once meet
at a unique key, never at a check-then-insert race."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.logs import request_id_var
from kernel.outbox_after import publishing_within
from services.payments.posting import service as posting
from services.payments.webhooks.domain import Reversal


async def lock_payment(s: AsyncSession, processor: str, payment_ref: str) -> None:
    """Serialise the events of one processor payment (a refund racing its success) until the
    transaction ends; each later statement then sees what the other committed."""
    await s.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 7))"),
                    {"k": f"processor-payment:{processor}:{payment_ref}"})


async def record_delivery(s: AsyncSession, processor: str, event_id: str, event_type: str,
                          payment_ref: str) -> bool:
    """False when this event was already handled (a retry or a duplicate)."""
    r = await s.execute(text(
        "INSERT INTO processor_deliveries (processor, event_id, event_type, payment_ref) "
        "VALUES (:p, :e, :t, :r) ON CONFLICT DO NOTHING RETURNING event_id"),
        {"p": processor, "e": event_id, "t": event_type, "r": payment_ref})
    return r.first() is not None


_LOCK_AND_RECORD = text(
    "WITH locked AS (SELECT pg_advisory_xact_lock(hashtextextended(CAST(:k AS text), 7))) "
    "INSERT INTO processor_deliveries (processor, event_id, event_type, payment_ref) "
    "SELECT CAST(:p AS text), CAST(:e AS text), CAST(:t AS text), CAST(:r AS text) FROM locked "
    "ON CONFLICT DO NOTHING RETURNING event_id")


async def lock_and_record(s: AsyncSession, processor: str, event_id: str, event_type: str,
                          payment_ref: str) -> bool:
    """`lock_payment` then `record_delivery` in one round trip: the lock is taken before the
    INSERT runs (it selects from the lock), and it is this statement's only effect on later
    ones, which take their snapshots after it, so they see what the lock waited for."""
    r = await s.execute(_LOCK_AND_RECORD, {
        "k": f"processor-payment:{processor}:{payment_ref}", "p": processor, "e": event_id,
        "t": event_type, "r": payment_ref})
    return r.first() is not None


@dataclass(frozen=True, slots=True)
class Success:
    """What `post_success` did: `seen` (the processor payment had posted before: nothing
    done), `known` (payments' copy has the account), the payment posted now (None: not
    posted, e.g. the key was taken already), and whether reversals wait for it."""

    seen: bool
    known: bool
    payment_id: uuid.UUID | None
    account_id: uuid.UUID | None
    pending: bool


# A success in one statement, after `lock_and_record` (so its snapshot sees every event of
# this processor payment committed before): not posted before -> the account -> the payment
# (posting's CTEs) -> its processor payment row -> `payments.PaymentPosted` through the
# kernel's publishing SQL; answers what happened and whether reversals are pending.
_POST_SUCCESS = publishing_within(
    "seen AS (SELECT payment_id FROM processor_payments WHERE processor = CAST(:p AS text) "
    "AND payment_ref = CAST(:r AS text)), "
    + posting.PROCESSOR_TAKE_CTES.replace("{guard}", "NOT EXISTS (SELECT 1 FROM seen)")
    + ", rec AS (INSERT INTO processor_payments (processor, payment_ref, payment_id, "
    "account_id, amount) SELECT CAST(:p AS text), CAST(:r AS text), id, account_id, amount "
    "FROM taken ON CONFLICT DO NOTHING RETURNING payment_id)",
    posting.TAKEN_EVENTS_SOURCE,
    "SELECT EXISTS (SELECT 1 FROM seen) AS seen, EXISTS (SELECT 1 FROM acct) AS known, "
    "(SELECT id FROM taken) AS payment_id, (SELECT account_id FROM taken) AS account_id, "
    "EXISTS (SELECT 1 FROM processor_reversals WHERE processor = CAST(:p AS text) "
    "AND payment_ref = CAST(:r AS text) AND applied_at IS NULL) AS pending, "
    "(SELECT count(*) FROM rec) + (SELECT count(*) FROM published) AS written")


async def post_success(s: AsyncSession, *, processor: str, payment_ref: str,
                       account_number: str, amount: Decimal, tender: str, received_on: date,
                       key: str) -> Success:
    r = (await s.execute(_POST_SUCCESS, {
        "p": processor, "r": payment_ref, "account_number": account_number, "amount": amount,
        "tender": tender, "received_on": received_on, "taken_by": processor,
        "idempotency_key": key, "request_id": request_id_var.get(), "actor": processor,
    })).one()
    return Success(r.seen, r.known, r.payment_id, r.account_id, r.pending)


async def posted(s: AsyncSession, processor: str, payment_ref: str) -> tuple[uuid.UUID,
                                                                           uuid.UUID] | None:
    """Our payment and its account for a processor payment, once posted."""
    r = (await s.execute(text(
        "SELECT payment_id, account_id FROM processor_payments WHERE processor = :p "
        "AND payment_ref = :r"), {"p": processor, "r": payment_ref})).first()
    return None if r is None else (r[0], r[1])


async def record_payment(s: AsyncSession, processor: str, payment_ref: str,
                         payment_id: uuid.UUID, account_id: uuid.UUID, amount: Decimal) -> None:
    await s.execute(text(
        "INSERT INTO processor_payments (processor, payment_ref, payment_id, account_id, amount) "
        "VALUES (:p, :r, :i, :a, :m) ON CONFLICT DO NOTHING"),
        {"p": processor, "r": payment_ref, "i": payment_id, "a": account_id, "m": amount})


async def record_reversal(s: AsyncSession, r: Reversal) -> bool:
    """False when a reversal with this idempotency key is already recorded."""
    res = await s.execute(text(
        "INSERT INTO processor_reversals (processor, idempotency_key, payment_ref, kind, amount, "
        "detail, occurred_at) VALUES (:p, :k, :r, :kind, :m, CAST(:d AS jsonb), :o) "
        "ON CONFLICT DO NOTHING RETURNING idempotency_key"),
        {"p": r.processor, "k": r.idempotency_key, "r": r.payment_ref, "kind": r.kind,
         "m": r.amount, "d": json.dumps(r.detail), "o": r.occurred_at})
    return res.first() is not None


async def apply_pending(s: AsyncSession, processor: str, payment_ref: str) -> list[Reversal]:
    """Marks the payment's reversals not yet applied as applied, and returns them."""
    rows = (await s.execute(text(
        "UPDATE processor_reversals SET applied_at = now() WHERE processor = :p "
        "AND payment_ref = :r AND applied_at IS NULL RETURNING processor, idempotency_key, "
        "payment_ref, kind, amount, detail, occurred_at"),
        {"p": processor, "r": payment_ref})).all()
    return sorted((Reversal(r[0], r[1], r[2], r[3], Decimal(r[4]), dict(r[5]), r[6])
                   for r in rows), key=lambda x: (x.occurred_at, x.idempotency_key))


async def reversed_amount(s: AsyncSession, payment_id: uuid.UUID) -> Decimal:
    """What refunds, chargebacks and ACH returns have taken back of our payment (applied)."""
    return Decimal((await s.execute(text(
        "SELECT coalesce(sum(r.amount), 0) FROM processor_payments p "
        "JOIN processor_reversals r ON r.processor = p.processor "
        "AND r.payment_ref = p.payment_ref WHERE p.payment_id = :i AND r.applied_at IS NOT NULL"),
        {"i": payment_id})).scalar_one())
