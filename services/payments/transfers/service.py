"""Use cases of transfers: a misapplied payment moved to the account it was meant for.

Authority as billing's adjustments: within the requester's dollar authority the transfer applies
at once; above it, it waits as `pending` for someone else whose authority covers it (nobody
approves their own); a rejection records who and why. Applying it announces
`payments.PaymentTransferred` in the same transaction; billing posts the two entries under the
transfer's references, so a redelivery posts nothing.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.approval import approval_refusal, needs_approval
from kernel.auth import Principal, authority
from kernel.checkdigit import printed
from kernel.clock import utc_now
from kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.payments.copy import service as copy
from services.payments.posting import service as posting
from services.payments.posting.domain import Payment
from services.payments.returns import standing as returns
from services.payments.transfers import domain
from services.payments.transfers import repository as repo
from services.payments.transfers.domain import Transfer
from services.payments.transfers.schemas import TransferIn, TransferOut
from services.payments.webhooks import service as webhooks


def out(t: Transfer) -> TransferOut:
    return TransferOut(
        id=t.id, payment_id=t.payment_id, receipt_number=t.receipt_number,
        from_account_id=t.from_account_id, from_account_number=t.from_number,
        to_account_id=t.to_account_id, to_account_number=t.to_number, amount=t.amount,
        reason=t.reason, status=t.status, requested_by=t.requested_by,
        requested_role=t.requested_role, approved_by=t.approved_by, rejected_by=t.rejected_by,
        rejection_reason=t.rejection_reason, transferred_on=t.transferred_on,
        created_at=t.created_at, decided_at=t.decided_at)


async def _payment(s: AsyncSession, body: TransferIn) -> Payment:
    if (body.payment_id is None) == (body.receipt_number is None):
        raise Unprocessable("Name the payment by payment_id or by receipt_number (one of them)",
                            field="payment_id")
    p = (await posting.payment(s, body.payment_id) if body.payment_id is not None
         else await posting.by_receipt(s, body.receipt_number or 0))
    if p.status != "posted":
        raise Unprocessable("Only a posted payment can be transferred (this one is still "
                            "keyed in an open batch)", field="payment_id")
    return p


async def _remaining(s: AsyncSession, p: Payment, besides: uuid.UUID | None = None) -> Decimal:
    """What the processor took back (refunds, chargebacks, ACH returns) or the bank returned
    (a returned check, an autopay debit) is not the payer's to move any more."""
    returned = await returns.of_payment(s, p.id)
    reversed_ = await webhooks.reversed_amount(s, p.id) + (returned.amount if returned else 0)
    return domain.remaining(p.amount, reversed_, await repo.claimed(s, p.id, besides))


async def request(s: AsyncSession, who: Principal, body: TransferIn, key: str | None,
                  today: date) -> TransferOut:
    key = posting.require_key(key)
    p = await _payment(s, body)
    to = await copy.account(s, body.to_account_number, field="to_account_number")
    if to.id == str(p.account_id):
        raise Unprocessable("The payment is already on this account", field="to_account_number")
    await repo.lock_payment(s, p.id)
    same = await repo.by_key(s, who.sub, key)
    if same is not None:
        if not domain.same_request(same, p.id, to.id, body.amount):
            raise Unprocessable("This Idempotency-Key was used for another transfer",
                                field="Idempotency-Key")
        return out(same)
    left = await _remaining(s, p)
    if body.amount > left:
        raise Unprocessable(f"Only ${left:.2f} of this payment is left to transfer (not yet "
                            f"transferred or returned)", field="amount", remaining=f"{left:.2f}")
    t = Transfer(id=uuid.uuid4(), payment_id=p.id, receipt_number=p.receipt_number,
                 from_account_id=p.account_id, from_number=p.account_number,
                 to_account_id=uuid.UUID(to.id), to_number=to.number, amount=body.amount,
                 reason=body.reason, status="pending", requested_by=who.sub,
                 requested_role=who.role, idempotency_key=key, approved_by=None,
                 rejected_by=None, rejection_reason=None, transferred_on=None,
                 created_at=utc_now(), decided_at=None)
    await repo.insert(s, t)
    await audit.record(s, who, "request", "transfer", str(t.id), reason=body.reason,
                       after={"payment_id": p.id, "from": p.account_id, "to": to.id,
                              "amount": body.amount})
    if not needs_approval(body.amount, authority(who.role)):
        return out(await _apply(s, who, t.id, today))
    return await get(s, t.id)


async def _apply(s: AsyncSession, who: Principal, transfer_id: uuid.UUID,
                 today: date) -> Transfer:
    t = await repo.mark_transferred(s, transfer_id, who.sub, today)
    await publish(s, [Event("payments.PaymentTransferred", f"account:{t.from_account_id}",
                            domain.transferred_payload(t))], actor=who.sub)
    return t


async def _pending(s: AsyncSession, transfer_id: uuid.UUID) -> Transfer:
    t = await repo.get(s, transfer_id, lock=True)
    if t is None:
        raise NotFound("No such transfer", field="transfer_id")
    if t.status != "pending":
        raise Conflict(f"This transfer is already {t.status}")
    return t


async def approve(s: AsyncSession, who: Principal, transfer_id: uuid.UUID,
                  today: date) -> TransferOut:
    """Someone other than the requester, with authority for the amount, applies it; what is
    left of the payment is checked again (a refund or chargeback may have come since)."""
    t = await _pending(s, transfer_id)
    why = approval_refusal(who.sub, authority(who.role), t.requested_by, t.amount)
    if why:
        raise Forbidden(why)
    p = await posting.payment(s, t.payment_id)
    await repo.lock_payment(s, p.id)
    left = await _remaining(s, p, besides=t.id)
    if t.amount > left:
        raise Conflict(f"Only ${left:.2f} of this payment is left to transfer now",
                       remaining=f"{left:.2f}")
    applied = await _apply(s, who, t.id, today)
    await audit.record(s, who, "approve", "transfer", str(t.id), approver=who.sub,
                       reason=t.reason)
    return out(applied)


async def reject(s: AsyncSession, who: Principal, transfer_id: uuid.UUID,
                 reason: str) -> TransferOut:
    t = await _pending(s, transfer_id)
    if who.sub == t.requested_by:
        raise Forbidden("nobody decides their own request")
    await repo.mark_rejected(s, t.id, who.sub, reason)
    await audit.record(s, who, "reject", "transfer", str(t.id), approver=who.sub,
                       reason=reason)
    return await get(s, t.id)


async def get(s: AsyncSession, transfer_id: uuid.UUID) -> TransferOut:
    t = await repo.get(s, transfer_id)
    if t is None:
        raise NotFound("No such transfer", field="transfer_id")
    return out(t)


async def listing(s: AsyncSession, account_number: str | None, receipt_number: int | None,
                  status: str | None, limit: int) -> list[TransferOut]:
    """Transfers from or to an account (by its number), or of one payment (by its receipt)."""
    account_id = payment_id = None
    if account_number is not None:
        account_id = uuid.UUID((await copy.account(s, account_number, field="account")).id)
    if receipt_number is not None:
        payment_id = (await posting.by_receipt(s, receipt_number)).id
    return [out(t) for t in await repo.listing(s, account_id, payment_id, status, limit)]


async def receipt_lines(s: AsyncSession, payment_id: uuid.UUID) -> list[str]:
    """What a payment's receipt says about its applied transfers."""
    return [domain.receipt_line(t, printed(t.to_number)) for t in await of_payment(s, payment_id)]


async def claims_on_credit(s: AsyncSession, account_ids: list[uuid.UUID]) -> dict[str, Decimal]:
    """Per account: what transfers out of it will take from its credit that billing's announced
    balance does not show yet (refunds count it, so a lagging copy never pays out twice)."""
    return await repo.unposted_out(s, account_ids)


async def out_posted(s: AsyncSession, transfer_id: uuid.UUID) -> None:
    """Billing's `transfer_out` entry is in the announced balance."""
    await repo.mark_out_posted(s, transfer_id)


async def of_payment(s: AsyncSession, payment_id: uuid.UUID) -> list[Transfer]:
    """A payment's applied transfers, oldest first (its receipt lists them)."""
    return await repo.listing(s, None, payment_id, "transferred", 100)


async def take_back_on_return(s: AsyncSession, who: Principal, p: Payment, return_code: str,
                              on: date) -> list[Transfer]:
    """The bank returned a payment part of which was moved to other accounts: the money never
    arrived, so each applied transfer is taken back to the payment's account (a transfer the
    other way, announced like any other) before the payment is reversed there in full, and a
    transfer still waiting for approval is rejected. Both accounts end where they were before
    the payment. Called by the return in its transaction, once per return."""
    await repo.lock_payment(s, p.id)
    taken: list[Transfer] = []
    for t in await repo.listing(s, None, p.id, None, 1000):
        if t.from_account_id != p.account_id:
            continue  # itself a take-back
        if t.status == "pending":
            await repo.mark_rejected(s, t.id, who.sub,
                                     f"The payment was returned by the bank ({return_code})")
            continue
        if t.status != "transferred":
            continue
        back = Transfer(
            id=uuid.uuid4(), payment_id=p.id, receipt_number=p.receipt_number,
            from_account_id=t.to_account_id, from_number=t.to_number,
            to_account_id=t.from_account_id, to_number=t.from_number, amount=t.amount,
            reason=(f"Payment returned by the bank ({return_code}): the transfer of "
                    f"{t.transferred_on.isoformat() if t.transferred_on else ''} taken back"),
            status="pending", requested_by=who.sub, requested_role=who.role,
            idempotency_key=f"take-back:{t.id}", approved_by=None, rejected_by=None,
            rejection_reason=None, transferred_on=None, created_at=utc_now(), decided_at=None)
        await repo.insert(s, back)
        taken.append(await _apply(s, who, back.id, on))
        await audit.record(s, who, "take-back", "transfer", str(back.id),
                           reason=back.reason, after={"takes_back": t.id, "amount": t.amount})
    return taken
