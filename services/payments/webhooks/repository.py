"""All SQL of processor webhooks: deliveries, processor payments and their reversals.

Every write is an INSERT ... ON CONFLICT: two processes handling the same event at once meet
at a unique key, never at a check-then-insert race."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

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
