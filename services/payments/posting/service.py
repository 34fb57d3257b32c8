"""Taking and posting payments: one rule set for the counter and the mail.

A payment is taken once per Idempotency-Key: the key is stored with it (unique per person who
took it), so a retry after a lost answer finds the same payment, and billing posts it under the
payment's id, so a redelivered event credits the account once. Posting announces it as
`payments.PaymentPosted` in the same transaction.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.payments.copy import service as copy
from services.payments.posting import domain
from services.payments.posting import repository as repo
from services.payments.posting.domain import BankDebitLine, LockboxLine, Payment, TenderTotal
from services.payments.posting.repository import NewPayment
from services.payments.returns import standing as returns


def require_key(key: str | None) -> str:
    if key is None or not key.strip():
        raise Unprocessable("Taking a payment needs an Idempotency-Key header, so a retry "
                            "never takes it twice", field="Idempotency-Key")
    if len(key) > 200:
        raise Unprocessable("Idempotency-Key too long", field="Idempotency-Key")
    return key


async def take(s: AsyncSession, *, who: str, key: str, account_number: str, amount: Decimal,
               tender: domain.Tender, received_on: date, channel: str,
               drawer_id: uuid.UUID | None = None, batch_id: uuid.UUID | None = None,
               post: bool) -> Payment:
    """Check the account and the tender against the copy, store the payment, and (`post`)
    announce it. The same key again returns the payment it took, if it was the same payment."""
    amount = domain.money(amount)
    acct = await copy.account(s, account_number)
    # A processor's success reports money already taken: it posts (the refusal belongs to
    # whoever starts a bank debit, before the money moves).
    refused = (tender.kind in ("check", "bank") and channel != "processor"
               and (acct.cash_only or await returns.holds_cash_only(s, acct.id, received_on)))
    new = NewPayment(
        account_id=acct.id, account_number=acct.number, amount=amount, tender=tender.kind,
        check_number=tender.check_number, bank=tender.bank,
        money_order_number=tender.money_order_number, processor_token=tender.processor_token,
        received_on=received_on, channel=channel, drawer_id=drawer_id, batch_id=batch_id,
        status="posted" if post else "keyed", taken_by=who, idempotency_key=key)
    # The usual case, a new key, in one statement; the key's earlier payment is read only when
    # the insert met it (or before a refusal, which a retry of an earlier payment never gets).
    p = None if refused else await repo.insert_unless_taken(s, new)
    if p is None:
        same = await repo.by_key(s, who, key)
        if same is not None:
            if ((str(same.account_id), same.amount, same.tender, same.drawer_id, same.batch_id)
                    != (acct.id, amount, tender.kind, drawer_id, batch_id)):
                raise Unprocessable("This Idempotency-Key was used for another payment",
                                    field="Idempotency-Key")
            return same
        if refused:
            raise Unprocessable("The account is cash-only (returned payments): no checks or "
                                "bank payments", field="tender", reason="cash_only")
        p = await repo.insert(s, new)  # the key's keyed payment was removed meanwhile
    if post:
        await announce(s, [p], who)
    return p


#: A processor's success as CTEs of its delivery's one statement, and its events' source
#: (`repository.PROCESSOR_TAKE_CTES`): the same payment `take` stores, in no extra round trip.
PROCESSOR_TAKE_CTES = repo.PROCESSOR_TAKE_CTES
TAKEN_EVENTS_SOURCE = repo.TAKEN_EVENTS_SOURCE


async def announce(s: AsyncSession, posted: list[Payment], who: str) -> None:
    """`payments.PaymentPosted` per payment, keyed by its account (billing credits it)."""
    await publish(s, [Event("payments.PaymentPosted", f"account:{p.account_id}",
                            domain.posted_payload(p)) for p in posted], actor=who)


async def payment(s: AsyncSession, payment_id: uuid.UUID) -> Payment:
    p = await repo.get(s, payment_id)
    if p is None:
        raise NotFound("No payment with this id", field="payment_id")
    return p


async def by_receipt(s: AsyncSession, receipt_number: int) -> Payment:
    p = await repo.by_receipt(s, receipt_number)
    if p is None:
        raise NotFound("No payment with this receipt number", field="receipt_number")
    return p


async def post_batch(s: AsyncSession, batch_id: uuid.UUID, who: str) -> list[Payment]:
    posted = await repo.post_batch(s, batch_id)
    await announce(s, posted, who)
    return posted


async def remove_keyed(s: AsyncSession, batch_id: uuid.UUID, payment_id: uuid.UUID) -> None:
    if not await repo.remove_keyed(s, batch_id, payment_id):
        raise Conflict("Only a keyed payment of this open batch can be removed",
                       field="payment_id")


async def of_batch(s: AsyncSession, batch_id: uuid.UUID) -> list[Payment]:
    return await repo.of_batch(s, batch_id)


async def tender_totals(s: AsyncSession, drawer_id: uuid.UUID) -> list[TenderTotal]:
    """What a drawer took, by tender."""
    return await repo.tender_totals(s, drawer_id)


async def post_lockbox(s: AsyncSession, who: str, lines: list[LockboxLine]) -> list[uuid.UUID]:
    """A lockbox file's matched checks, posted set-based: one INSERT for all, one publish of
    their `payments.PaymentPosted`. A line whose key was posted before is skipped (a re-sent
    file, a racing import), so each check posts once. Returns the ids posted now."""
    ids = await repo.insert_lockbox(s, who, lines)
    await repo.publish_posted(s, ids, who)
    return ids


async def post_lockbox_file(s: AsyncSession, who: str, lines: list[LockboxLine]) -> int:
    """`post_lockbox` for a whole file, in one statement (the payments and their events);
    returns how many posted now instead of their ids."""
    return await repo.post_lockbox_file(s, who, lines)


async def by_lockbox_key(s: AsyncSession, key: str) -> Payment | None:
    return await repo.by_lockbox_key(s, key)


async def of_drawer(s: AsyncSession, drawer_id: uuid.UUID) -> list[Payment]:
    """Every payment a drawer took, in receipt order (its deposit lists the checks)."""
    return await repo.of_drawer(s, drawer_id)


async def post_autopay(s: AsyncSession, who: str,
                       lines: list[BankDebitLine]) -> dict[str, uuid.UUID]:
    """An autopay file's live debits, posted set-based (one INSERT, one publish of their
    `payments.PaymentPosted`), each once under its key. The caller has refused cash-only
    accounts before the file was written. Returns each line's payment id by key."""
    inserted, by_key = await repo.insert_autopay(s, who, lines)
    await repo.publish_posted(s, inserted, who)
    return by_key
