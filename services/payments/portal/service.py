"""The customer's account in payments: who may see it, its summary, and the payments a
customer starts (hosted page, saved method now). Every use case starts with `account`: a
customer reaches only the accounts their token names (a foreign or unknown id is the same
404), staff reach any."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal, ensure_own_account
from kernel.errors import NotFound, Unprocessable
from services.payments.portal import domain
from services.payments.portal import repository as repo
from services.payments.portal.repository import CustomerAccount, NewPortalPayment, PortalPayment
from services.payments.portal.schemas import (
    AccountSummary,
    HistoryOut,
    OpenBillOut,
    PortalPaymentOut,
)
from services.payments.posting.service import require_key
from services.payments.processors.base import Charge, ChargeStatus, Processor
from services.payments.processors.hosted import open_session

HISTORY_LIMIT = 50


async def account(s: AsyncSession, who: Principal, account_id: uuid.UUID) -> CustomerAccount:
    ensure_own_account(who, account_id)
    acct = await repo.account(s, account_id)
    if acct is None:
        raise NotFound("No such account", field="account_id")
    return acct


async def summary(s: AsyncSession, who: Principal, account_id: uuid.UUID) -> AccountSummary:
    acct = await account(s, who, account_id)
    bills = await repo.open_bills(s, account_id)
    history = await repo.history(s, account_id, HISTORY_LIMIT)
    started = await repo.recent(s, account_id, 20)
    return AccountSummary(
        account_id=acct.id, number=acct.number, name=acct.name, status=acct.status,
        balance=acct.balance, amount_due=domain.amount_due(acct.balance),
        due_date=domain.due_date([b.due_date for b in bills], acct.balance),
        open_bills=[OpenBillOut(id=b.id, bill_date=b.bill_date, due_date=b.due_date,
                                total=b.total) for b in bills],
        payments=[HistoryOut(payment_id=h.id, receipt_number=h.receipt_number,
                             received_on=h.received_on, amount=h.amount, tender=h.tender,
                             channel=h.channel, status=domain.history_status(h.amount,
                                                                             h.returned),
                             returned_amount=h.returned, transferred_amount=h.transferred)
                  for h in history],
        started=[payment_out(p) for p in started])


def payment_out(p: PortalPayment) -> PortalPaymentOut:
    if p.posted_payment_id is not None:
        status = "posted"
    elif p.charge_status == ChargeStatus.FAILED:
        status = "declined"
    elif p.kind == "hosted" and p.charge_status is None:
        status = "open"
    else:
        status = "processing"
    return PortalPaymentOut(id=p.id, kind=p.kind, amount=p.amount, status=status,
                            url=p.url if status == "open" else None, method_id=p.method_id,
                            failure_code=p.failure_code, payment_id=p.posted_payment_id,
                            created_at=p.created_at)


async def _same_request(s: AsyncSession, who: Principal, key: str, account_id: uuid.UUID,
                        kind: str, amount: Decimal) -> PortalPayment | None:
    earlier = await repo.by_key(s, who.sub, key)
    if earlier is not None and (earlier.account_id, earlier.kind, earlier.amount) != (
            account_id, kind, amount):
        raise Unprocessable("This Idempotency-Key was used for another payment",
                            field="Idempotency-Key")
    return earlier


async def start_hosted(s: AsyncSession, who: Principal, processor: Processor,
                       account_id: uuid.UUID, amount: Decimal, return_url: str,
                       cancel_url: str | None, key: str | None) -> PortalPaymentOut:
    """Opens the processor's hosted page for `amount`; the payment posts when the
    processor's webhook says it succeeded. A retry (same key) answers with the same page."""
    key = require_key(key)
    acct = await account(s, who, account_id)
    amount = domain.amount(amount)
    success = domain.return_path(return_url, "return_url")
    cancel = domain.return_path(cancel_url or return_url, "cancel_url")
    earlier = await _same_request(s, who, key, account_id, "hosted", amount)
    if earlier is not None:
        return payment_out(earlier)
    pp_id = domain.payment_id(who.sub, key)
    session = await open_session(processor, account_ref=acct.number, amount=amount,
                                 idempotency_key=domain.processor_key(pp_id),
                                 success_url=success, cancel_url=cancel)
    await repo.insert(s, NewPortalPayment(
        id=pp_id, account_id=account_id, kind="hosted", amount=amount,
        processor=processor.name, processor_key=domain.processor_key(pp_id),
        session_id=session.session_id, url=session.url, method_id=None, charge_ref=None,
        charge_status=None, failure_code=None, requested_by=who.sub, idempotency_key=key))
    await audit.record(s, who, "start-hosted-payment", "portal_payment", str(pp_id),
                       after={"account_id": str(account_id), "amount": str(amount),
                              "processor": processor.name})
    return await _out(s, account_id, pp_id)


async def earlier_charge(s: AsyncSession, who: Principal, account_id: uuid.UUID, key: str,
                         amount: Decimal) -> PortalPaymentOut | None:
    """The saved-method payment this key already made, if any (a retry)."""
    earlier = await _same_request(s, who, key, account_id, "saved_method", amount)
    return None if earlier is None else payment_out(earlier)


async def record_charge(s: AsyncSession, who: Principal, account_id: uuid.UUID, *,
                        pp_id: uuid.UUID, method_id: uuid.UUID, amount: Decimal,
                        processor: str, charge: Charge, key: str) -> PortalPaymentOut:
    """A saved method charged now (methods' use case); posts with the processor's webhook."""
    await repo.insert(s, NewPortalPayment(
        id=pp_id, account_id=account_id, kind="saved_method", amount=amount,
        processor=processor, processor_key=charge.idempotency_key, session_id=None, url=None,
        method_id=method_id, charge_ref=charge.payment_id or None,
        charge_status=charge.status.value, failure_code=charge.failure_code,
        requested_by=who.sub, idempotency_key=key))
    await audit.record(s, who, "charge-saved-method", "portal_payment", str(pp_id),
                       after={"account_id": str(account_id), "amount": str(amount),
                              "method_id": str(method_id), "status": charge.status.value})
    return await _out(s, account_id, pp_id)


async def started_payment(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                          pp_id: uuid.UUID) -> PortalPaymentOut:
    await account(s, who, account_id)
    return await _out(s, account_id, pp_id)


async def _out(s: AsyncSession, account_id: uuid.UUID, pp_id: uuid.UUID) -> PortalPaymentOut:
    p = await repo.get(s, account_id, pp_id)
    if p is None:
        raise NotFound("No such payment", field="payment_id")
    return payment_out(p)
