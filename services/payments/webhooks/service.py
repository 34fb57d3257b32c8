"""A processor's webhook, end to end: verified, deduplicated, posted or reversed, announced.

One delivery is one transaction. The processor payment's events are serialised by a lock on
its id, the delivery is recorded by the processor's event id (a duplicate changes nothing),
and the effect and its events commit with it. A refund, chargeback or ACH return that arrives
before its payment's success is recorded and applied when the success arrives, in that
success's transaction: the payment posts once and is reversed once, in whatever order the
processor delivered them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, tzinfo
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.errors import Unprocessable
from kernel.outbox import Event, publish
from services.payments.copy import service as copy
from services.payments.posting import domain as posting_domain
from services.payments.posting import service as posting
from services.payments.processors.base import PaymentEvent, PaymentSucceeded, Processor
from services.payments.webhooks import domain
from services.payments.webhooks import repository as repo


async def receive(s: AsyncSession, processor: Processor, body: bytes,
                  headers: Mapping[str, str], *, now: datetime, zone: tzinfo) -> tuple[str, str]:
    """(event id, outcome). The processor's `parse_webhook` verifies the signature and the
    timestamp before the body is read; its refusals propagate with nothing written."""
    event = processor.parse_webhook(body, headers, now=now)
    if event is None:
        return "", "ignored"
    return event.event_id, await apply(s, event, zone=zone)


async def apply(s: AsyncSession, event: PaymentEvent, *, zone: tzinfo) -> str:
    if not await repo.lock_and_record(s, event.processor, event.event_id,
                                      type(event).__name__, event.payment_id):
        return "duplicate"  # answered from the first statement: a replay costs one
    if isinstance(event, PaymentSucceeded):
        return await _succeeded_at_once(s, event, zone)
    rev = domain.reversal(event)
    if rev is None:
        return "recorded"  # a declined card: nothing was taken
    if not await repo.record_reversal(s, rev):
        return "duplicate"
    found = await repo.posted(s, event.processor, event.payment_id)
    if found is None:
        return "pending"  # applied when the payment's success arrives
    await _reverse(s, event.processor, event.payment_id, *found, zone)
    return "reversed"


async def _succeeded_at_once(s: AsyncSession, event: PaymentSucceeded, zone: tzinfo) -> str:
    """The usual success (a known account, a new key) in one statement that does what
    `_succeeded` does; any other case writes nothing there and takes `_succeeded`'s path, so
    each refusal and each answer stays the one rule `posting.take` keeps."""
    try:
        number = copy.normalise_number(event.account_ref or "")
        amount = posting_domain.money(event.amount)
    except Unprocessable:
        return await _succeeded(s, event, zone)  # refused there, after its own checks
    done = await repo.post_success(
        s, processor=event.processor, payment_ref=event.payment_id, account_number=number,
        amount=amount, tender=domain.tender_of(event.method),
        received_on=domain.local_date(event.occurred_at, zone), key=event.idempotency_key)
    if done.seen:
        return "duplicate"  # another event about the same success
    if done.payment_id is None or done.account_id is None:
        return await _succeeded(s, event, zone)  # an unknown account (404), a key taken
    if not done.pending:
        return "posted"
    reversed_ = await _reverse(s, event.processor, event.payment_id, done.payment_id,
                               done.account_id, zone)
    return "posted" if not reversed_ else "posted-and-reversed"


async def _succeeded(s: AsyncSession, event: PaymentSucceeded, zone: tzinfo) -> str:
    if await repo.posted(s, event.processor, event.payment_id) is not None:
        return "duplicate"  # another event about the same success
    if not event.account_ref:
        raise Unprocessable("The processor's payment names no account", field="account_ref")
    p = await posting.take(
        s, who=event.processor, key=event.idempotency_key, account_number=event.account_ref,
        amount=event.amount, tender=posting_domain.Tender(domain.tender_of(event.method)),
        received_on=domain.local_date(event.occurred_at, zone), channel="processor",
        post=True)
    await repo.record_payment(s, event.processor, event.payment_id, p.id, p.account_id,
                              p.amount)
    reversed_ = await _reverse(s, event.processor, event.payment_id, p.id, p.account_id, zone)
    return "posted" if not reversed_ else "posted-and-reversed"


async def _reverse(s: AsyncSession, processor: str, payment_ref: str, payment_id: uuid.UUID,
                   account_id: uuid.UUID, zone: tzinfo) -> int:
    pending = await repo.apply_pending(s, processor, payment_ref)
    await publish(s, [Event("payments.PaymentReturned", f"account:{account_id}",
                            domain.returned_payload(
                                r, payment_id=str(payment_id), account_id=str(account_id),
                                on=domain.local_date(r.occurred_at, zone)))
                      for r in pending], actor=processor)
    return len(pending)


async def reversed_amount(s: AsyncSession, payment_id: uuid.UUID) -> Decimal:
    """What the processor has taken back of one of our payments (refunds, chargebacks, ACH
    returns applied so far): transfers move only what is left."""
    return await repo.reversed_amount(s, payment_id)
