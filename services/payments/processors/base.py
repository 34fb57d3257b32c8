"""What payments needs from a card / bank-account processor, in our own words and types.

A processor never sees our database and we never see a card number: the customer types it on the
processor's hosted page (PCI SAQ A) or into its client-side fields, and we keep only the token
(`pm_...`), the kind and a masked description. Every money amount here is a `Decimal` with two
places; processors' integer cents are converted at their edge.

Webhooks become one of five typed events. Each carries the processor's event id (dedupe key: a
retried or duplicated delivery has the same one) and an `idempotency_key` naming the posting it
causes, so two different events about the same fact (Stripe's `refund.created` and
`refund.updated` for one refund) still post once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from kernel.errors import BadGateway, Problem, Unprocessable

CENT = Decimal("0.01")


class MethodKind(StrEnum):
    CARD = "card"
    US_BANK_ACCOUNT = "us_bank_account"


class ChargeStatus(StrEnum):
    SUCCEEDED = "succeeded"
    #: ACH: accepted, settles (or is returned) days later; a webhook says which.
    PROCESSING = "processing"
    FAILED = "failed"


class InvalidAmount(Unprocessable):
    code, title = "invalid-amount", "Amount must be positive with at most two decimal places"


class UnknownPaymentMethod(Unprocessable):
    code, title = "unknown-payment-method", "The processor does not know this payment method"


class RefundNotAllowed(Unprocessable):
    code, title = "refund-not-allowed", "The payment cannot be refunded by that amount"


class ProcessorUnavailable(BadGateway):
    code, title = "processor-unavailable", "The payment processor did not answer"


class MalformedWebhook(Problem):
    """Signed by the processor but not an event we can read: refuse, the processor retries."""

    status, code, title = 400, "webhook-malformed", "Webhook body is not a valid event"


def money(value: Decimal) -> Decimal:
    """A positive amount with at most two places, or `InvalidAmount`."""
    if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
        raise InvalidAmount(f"{value!r} is not a positive amount", field="amount")
    if value != value.quantize(CENT):
        raise InvalidAmount(f"{value} has more than two decimal places", field="amount")
    return value.quantize(CENT)


def to_cents(value: Decimal) -> int:
    return int(money(value) * 100)


def from_cents(cents: int) -> Decimal:
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise MalformedWebhook(f"amount {cents!r} is not integer cents")
    return (Decimal(cents) / 100).quantize(CENT)


@dataclass(frozen=True)
class PaymentMethod:
    """A tokenised card or bank account: never the number itself."""

    token: str
    kind: MethodKind
    #: What a customer recognises: "visa •••• 4242", "STRIPE TEST BANK •••• 6789".
    display: str


@dataclass(frozen=True)
class HostedSession:
    """A processor-hosted payment page the customer is redirected to."""

    session_id: str
    url: str
    amount: Decimal
    account_ref: str
    idempotency_key: str


@dataclass(frozen=True)
class ChargeRequest:
    account_ref: str
    amount: Decimal
    payment_method: str
    kind: MethodKind
    #: The same key on a retry returns the first charge, never a second one.
    idempotency_key: str
    #: The processor's customer and ACH mandate when charging a saved method off-session.
    customer: str | None = None
    mandate: str | None = None


@dataclass(frozen=True)
class Charge:
    payment_id: str
    status: ChargeStatus
    amount: Decimal
    account_ref: str
    idempotency_key: str
    failure_code: str | None = None


@dataclass(frozen=True)
class Refund:
    refund_id: str
    payment_id: str
    amount: Decimal
    succeeded: bool


@dataclass(frozen=True, kw_only=True)
class PaymentEvent:
    """A fact the processor told us, verified. `account_ref` is None when the processor's
    object carries no metadata of ours (a dispute, a refund made in its dashboard): the posting
    side then finds the account by `payment_id`, recorded when the payment succeeded."""

    processor: str
    event_id: str
    payment_id: str
    amount: Decimal
    account_ref: str | None
    idempotency_key: str
    occurred_at: datetime
    method: MethodKind | None = None


@dataclass(frozen=True, kw_only=True)
class PaymentSucceeded(PaymentEvent):
    """Money taken: post it to the account."""


@dataclass(frozen=True, kw_only=True)
class PaymentFailed(PaymentEvent):
    """A card declined (or a charge that never went through): nothing to post or reverse."""

    failure_code: str | None = None


@dataclass(frozen=True, kw_only=True)
class PaymentRefunded(PaymentEvent):
    """`amount` of the payment went back to the customer: reverse that much."""

    refund_id: str


@dataclass(frozen=True, kw_only=True)
class PaymentDisputed(PaymentEvent):
    """A chargeback: the processor withdrew `amount`; reverse it."""

    dispute_id: str
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class AchReturned(PaymentEvent):
    """The bank returned the debit (NSF R01, closed R02, ...). It may follow a PaymentSucceeded
    (the sandbox, a late return) or replace it (Stripe reports a debit returned while still
    processing as a failed PaymentIntent): the posting side reverses the payment if it posted
    it, and in both cases records the return (fee, cash-only count, autopay enrolment)."""

    return_code: str | None = None


class Processor(Protocol):
    """A payment processor. Implementations: sandbox (demo, tests) and Stripe."""

    name: str

    def create_hosted_session(
        self, *, account_ref: str, amount: Decimal, idempotency_key: str,
        success_url: str, cancel_url: str,
    ) -> HostedSession: ...

    def payment_method(self, token: str) -> PaymentMethod: ...

    def charge(self, request: ChargeRequest) -> Charge: ...

    def refund(
        self, *, payment_id: str, amount: Decimal, idempotency_key: str, reason: str
    ) -> Refund: ...

    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], *, now: datetime
    ) -> PaymentEvent | None:
        """Verifies the signature and timestamp first (raising `kernel.webhooks.WebhookRefused`
        before the body is read), then maps the event; None for event types we ignore."""
        ...
