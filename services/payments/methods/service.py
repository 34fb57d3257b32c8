"""Saving, listing and removing a customer's payment methods, and charging one now.

The processor is asked about a token before we keep it (so we store its real kind and masked
display, and a made-up token is refused). Removing a method stops every schedule that pays with
it, in the same transaction, with the reason `method_removed` (recurring's use case). A charge
now goes to the processor under a key derived from the customer's Idempotency-Key, so a retry
never charges twice; it posts when the processor's webhook arrives.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.concurrency import run_in_threadpool

from kernel import audit
from kernel.auth import Principal
from kernel.errors import NotFound, Unprocessable
from services.payments.copy import service as copy
from services.payments.methods import domain
from services.payments.methods import repository as repo
from services.payments.methods.repository import NewMethod, SavedMethod
from services.payments.methods.schemas import MethodIn, MethodOut, SetupOut
from services.payments.portal import domain as portal_domain
from services.payments.portal import service as portal
from services.payments.portal.schemas import PortalPaymentOut
from services.payments.posting.service import require_key
from services.payments.processors.base import ChargeRequest, MethodKind, Processor
from services.payments.processors.hosted import open_setup, setup_token
from services.payments.processors.reuse import prepare
from services.payments.recurring import service as recurring


def method_out(m: SavedMethod) -> MethodOut:
    return MethodOut(id=m.id, kind=m.kind, display=m.display, is_default=m.is_default,
                     status=m.status, created_at=m.created_at, removed_at=m.removed_at)


async def setup(s: AsyncSession, who: Principal, processor: Processor, account_id: uuid.UUID,
                return_url: str, cancel_url: str | None) -> SetupOut:
    """The processor's page where the customer saves a method (the sandbox's; Stripe's
    client-side fields give the portal a token instead)."""
    acct = await portal.account(s, who, account_id)
    success = portal_domain.return_path(return_url, "return_url")
    cancel = portal_domain.return_path(cancel_url or return_url, "cancel_url")
    found = open_setup(processor, account_ref=acct.number, success_url=success,
                       cancel_url=cancel)
    return SetupOut(setup_id=found.setup_id, url=found.url)


async def save(s: AsyncSession, who: Principal, processor: Processor, account_id: uuid.UUID,
               body: MethodIn, key: str | None) -> MethodOut:
    key = require_key(key)
    acct = await portal.account(s, who, account_id)
    if (body.token is None) == (body.setup_id is None):
        raise Unprocessable("Give either token or setup_id", field="token")
    token = (domain.token(body.token) if body.token is not None
             else setup_token(processor, str(body.setup_id), acct.number))
    earlier = await repo.by_key(s, who.sub, key)
    if earlier is not None:
        if (earlier.account_id, earlier.token) != (account_id, token):
            raise Unprocessable("This Idempotency-Key was used for another method",
                                field="Idempotency-Key")
        return method_out(earlier)
    await repo.lock_account(s, account_id)
    same = await repo.active_by_token(s, account_id, processor.name, token)
    if same is not None:
        return method_out(same)  # saved already: once per account
    active = await repo.active(s, account_id)
    domain.room_for_another(len(active))
    method_id = portal_domain.payment_id(who.sub, f"method\n{key}")
    found = await prepare(processor, token, account_ref=acct.number,
                          idempotency_key=f"method-{method_id}")
    is_default = domain.becomes_default(body.default, len(active))
    if is_default:
        await repo.clear_default(s, account_id)
    m = await repo.insert(s, NewMethod(
        id=method_id, account_id=account_id, processor=processor.name,
        token=found.method.token, kind=found.method.kind.value, display=found.method.display,
        processor_customer=found.customer, is_default=is_default, saved_by=who.sub,
        idempotency_key=key))
    await audit.record(s, who, "save-payment-method", "saved_method", str(m.id),
                       after={"account_id": str(account_id), "kind": m.kind,
                              "display": m.display, "default": is_default})
    return method_out(m)


async def listed(s: AsyncSession, who: Principal, account_id: uuid.UUID) -> list[MethodOut]:
    await portal.account(s, who, account_id)
    return [method_out(m) for m in await repo.active(s, account_id)]


async def listed_by_number(s: AsyncSession, number: str) -> list[MethodOut]:
    """Staff helping a customer: the account's saved methods, masked."""
    acct = await copy.account(s, number)
    return [method_out(m) for m in await repo.active(s, uuid.UUID(acct.id))]


async def _method(s: AsyncSession, account_id: uuid.UUID, method_id: uuid.UUID) -> SavedMethod:
    m = await repo.get(s, account_id, method_id)
    if m is None:
        raise NotFound("No such saved method", field="method_id")
    return m


async def usable_token(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                       method_id: uuid.UUID) -> str:
    """The processor's token of one of the account's saved methods, for another payments
    feature to charge it (text-to-pay); a removed or foreign method answers 404."""
    await portal.account(s, who, account_id)
    m = await _method(s, account_id, method_id)
    if m.removed_at is not None:
        raise NotFound("No such saved method", field="method_id")
    return m.token


async def make_default(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                       method_id: uuid.UUID) -> MethodOut:
    await portal.account(s, who, account_id)
    await repo.lock_account(s, account_id)
    m = await _method(s, account_id, method_id)
    if m.status != "active":
        raise NotFound("No such saved method", field="method_id")
    await repo.clear_default(s, account_id)
    await repo.set_default(s, method_id)
    await audit.record(s, who, "default-payment-method", "saved_method", str(method_id))
    return method_out(await _method(s, account_id, method_id))


async def remove(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                 method_id: uuid.UUID) -> MethodOut:
    """Removes the method (a second removal answers the same) and stops its schedules; when it
    was the default, the oldest method left becomes the default."""
    await portal.account(s, who, account_id)
    await repo.lock_account(s, account_id)
    m = await _method(s, account_id, method_id)
    if m.status == "removed":
        return method_out(m)
    removed = await repo.remove(s, method_id, who.sub)
    assert removed is not None
    rest = await repo.active(s, account_id)
    if m.is_default and rest:  # the oldest method left becomes the default
        await repo.set_default(s, rest[0].id)
    await recurring.stop_for_method(s, who, method_id, reason="method_removed")
    await audit.record(s, who, "remove-payment-method", "saved_method", str(method_id),
                       before={"display": m.display, "default": m.is_default})
    return method_out(removed)


async def charge_now(s: AsyncSession, who: Principal, processor: Processor,
                     account_id: uuid.UUID, method_id: uuid.UUID, amount: Decimal,
                     key: str | None) -> tuple[PortalPaymentOut, str | None]:
    """Charges a saved method now; (the payment, the processor's payment id to deliver
    webhooks for). The same key again answers with the first charge."""
    key = require_key(key)
    acct = await portal.account(s, who, account_id)
    amount = portal_domain.amount(amount)
    earlier = await portal.earlier_charge(s, who, account_id, key, amount)
    if earlier is not None:
        return earlier, None
    m = await _method(s, account_id, method_id)
    if m.status != "active" or m.processor != processor.name:
        raise NotFound("No such saved method", field="method_id")
    pp_id = portal_domain.payment_id(who.sub, key)
    charge = await run_in_threadpool(processor.charge, ChargeRequest(
        acct.number, amount, m.token, MethodKind(m.kind),
        portal_domain.processor_key(pp_id), customer=m.processor_customer))
    out = await portal.record_charge(s, who, account_id, pp_id=pp_id, method_id=method_id,
                                     amount=amount, processor=processor.name, charge=charge,
                                     key=key)
    return out, charge.payment_id or None
