"""Use cases of mail check batches: open with the tape's control figures, key checks, post
when they balance (every payment announced in that one transaction)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, NotFound
from services.payments.batches import domain
from services.payments.batches import repository as repo
from services.payments.batches.repository import Batch
from services.payments.batches.schemas import BatchOut, MailPaymentIn
from services.payments.posting import domain as posting_domain
from services.payments.posting import service as posting
from services.payments.posting.convert import payment_out
from services.payments.posting.domain import Payment


async def _out(s: AsyncSession, b: Batch) -> BatchOut:
    items = await posting.of_batch(s, b.id)
    return BatchOut(id=b.id, keyed_by=b.keyed_by, received_on=b.received_on,
                    control_total=b.control_total, control_count=b.control_count,
                    status=b.status, created_at=b.created_at, posted_at=b.posted_at,
                    posted_by=b.posted_by,
                    keyed_total=sum((p.amount for p in items), Decimal("0.00")),
                    keyed_count=len(items), payments=[payment_out(p) for p in items])


async def _batch(s: AsyncSession, batch_id: uuid.UUID, lock: bool = False) -> Batch:
    b = await repo.get(s, batch_id, lock)
    if b is None:
        raise NotFound("No such batch", field="batch_id")
    return b


async def _open(s: AsyncSession, batch_id: uuid.UUID) -> Batch:
    b = await _batch(s, batch_id, lock=True)
    if b.status != "open":
        raise Conflict("The batch is posted: nothing more is keyed into it", field="batch_id")
    return b


async def create(s: AsyncSession, who: Principal, received_on: date, control_total: Decimal,
                 control_count: int) -> BatchOut:
    b = await repo.insert(s, who.sub, received_on, control_total, control_count)
    await audit.record(s, who, "open-batch", "batch", str(b.id),
                       after={"control_total": control_total, "control_count": control_count})
    return await _out(s, b)


async def batch(s: AsyncSession, batch_id: uuid.UUID) -> BatchOut:
    return await _out(s, await _batch(s, batch_id))


async def batches(s: AsyncSession, status: str | None, limit: int) -> list[BatchOut]:
    """The worklist: each batch with what was keyed against its tape (a few dozen a day)."""
    return [await _out(s, b) for b in await repo.listing(s, status, limit)]


async def key_payment(s: AsyncSession, who: Principal, batch_id: uuid.UUID,
                      body: MailPaymentIn, key: str | None) -> Payment:
    """A mailed check keyed into an open batch: checked now, posted with the batch."""
    key = posting.require_key(key)
    b = await _open(s, batch_id)
    tender = posting_domain.tender(body.tender, check_number=body.check_number, bank=body.bank,
                                   money_order_number=body.money_order_number)
    return await posting.take(s, who=who.sub, key=key, account_number=body.account_number,
                              amount=body.amount, tender=tender, received_on=b.received_on,
                              channel="mail", batch_id=b.id, post=False)


async def remove_payment(s: AsyncSession, who: Principal, batch_id: uuid.UUID,
                         payment_id: uuid.UUID) -> BatchOut:
    b = await _open(s, batch_id)
    await posting.remove_keyed(s, b.id, payment_id)
    await audit.record(s, who, "remove-keyed-payment", "batch", str(b.id),
                       after={"payment_id": payment_id})
    return await _out(s, b)


async def post(s: AsyncSession, who: Principal, batch_id: uuid.UUID) -> BatchOut:
    """Posts only when the keyed count and total equal the control figures; then every
    payment is announced to billing at once."""
    b = await _open(s, batch_id)
    items = await posting.of_batch(s, b.id)
    domain.check_balanced(b.control_total, b.control_count, [p.amount for p in items])
    await posting.post_batch(s, b.id, who.sub)
    done = await repo.mark_posted(s, b.id, who.sub)
    await audit.record(s, who, "post-batch", "batch", str(b.id),
                       after={"count": len(items), "total": b.control_total})
    return await _out(s, done)
