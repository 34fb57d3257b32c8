"""Keeping a customer's card or bank account at the processor for later charges (saved
methods, scheduled and recurring payments), whichever processor is configured.

Stripe charges a saved PaymentMethod off-session only through a Customer it is attached to:
a method not attached yet gets a Stripe Customer of its own (metadata `tapline_account`) and
is attached to it, each call under an idempotency key derived from ours, so a retried save
creates nothing twice. The Customer id is kept with the method and sent with every charge
(`ChargeRequest.customer`, which makes Stripe's PaymentIntent `off_session`). The sandbox
charges its tokens as they are. Stripe's calls are blocking HTTP: they run in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from services.payments.processors.base import (
    MethodKind,
    PaymentMethod,
    Processor,
    UnknownPaymentMethod,
)
from services.payments.processors.stripe_processor import (
    ACCOUNT_KEY,
    StripeProcessor,
    _translated_errors,
)


@dataclass(frozen=True)
class Reusable:
    method: PaymentMethod
    #: The processor's customer the method is attached to (Stripe), None for the sandbox.
    customer: str | None


async def prepare(processor: Processor, token: str, *, account_ref: str,
                  idempotency_key: str) -> Reusable:
    if isinstance(processor, StripeProcessor):
        return await run_in_threadpool(_stripe, processor, token, account_ref, idempotency_key)
    return Reusable(await run_in_threadpool(processor.payment_method, token), None)


def _stripe(p: StripeProcessor, token: str, account_ref: str, key: str) -> Reusable:
    client = p._client  # noqa: SLF001 (the processor's own configured client)
    with _translated_errors():
        found = client.v1.payment_methods.retrieve(token)
    if found.type == "card" and found.card is not None:
        method = PaymentMethod(found.id, MethodKind.CARD,
                               f"{found.card.brand} •••• {found.card.last4}")
    elif found.type == "us_bank_account" and found.us_bank_account is not None:
        bank = found.us_bank_account
        method = PaymentMethod(found.id, MethodKind.US_BANK_ACCOUNT,
                               f"{bank.bank_name or 'bank account'} •••• {bank.last4}")
    else:
        raise UnknownPaymentMethod(f"payment method type {found.type} is not accepted",
                                   field="token")
    attached = found.customer
    if attached is not None:
        return Reusable(method, attached if isinstance(attached, str) else attached.id)
    with _translated_errors():
        customer = client.v1.customers.create(
            {"metadata": {ACCOUNT_KEY: account_ref}}, {"idempotency_key": f"customer-{key}"})
        client.v1.payment_methods.attach(found.id, {"customer": customer.id},
                                         {"idempotency_key": f"attach-{key}"})
    return Reusable(method, customer.id)
