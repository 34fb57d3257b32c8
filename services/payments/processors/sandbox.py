"""The built-in sandbox processor: a processor that lives in our process, for the demo and tests.

It behaves like a real one where payments can go wrong: it issues tokens (Stripe's test token
names, so a test reads the same against either), declines the decline tokens, keeps ACH debits
`processing` until `settle` (which may then return them with an R code), refunds no more than
was taken, opens chargebacks, and announces each outcome as a webhook message signed with the
Standard Webhooks scheme (kernel/webhooks.py). `deliveries.plan_deliveries` turns those messages
into the retried, duplicated and reordered deliveries a real processor sends.

State is in memory, one instance per process: the webhook storm test's two payments processes
share only the signing secret, as they would with a real processor. Wired: the payments app
builds one from configuration (`TAPLINE_PAYMENTS_PROCESSOR=sandbox`) and the webhook router
calls `parse_webhook`. Not yet: the demo serving `hosted_page_url` with a page that calls
`complete_hosted_session`.
"""

from __future__ import annotations

import json
import secrets
import string
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from kernel.clock import utc_now
from kernel.errors import Conflict, NotFound
from kernel.webhooks import WebhookSecret, signed_headers, verify
from services.payments.processors.base import (
    CENT,
    AchReturned,
    Charge,
    ChargeRequest,
    ChargeStatus,
    HostedSession,
    MalformedWebhook,
    MethodKind,
    PaymentDisputed,
    PaymentEvent,
    PaymentFailed,
    PaymentMethod,
    PaymentRefunded,
    PaymentSucceeded,
    Refund,
    RefundNotAllowed,
    UnknownPaymentMethod,
    money,
)

NAME = "sandbox"



def sandbox_id() -> str:
    """A sandbox object's id: letters only, since a run of digits in a token or on a page reads
    as a card or account number (and is refused or flagged as one)."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(24))

@dataclass(frozen=True)
class _TestMethod:
    method: PaymentMethod
    #: None: succeeds. A decline code (cards) or an ACH return code (bank accounts).
    outcome: str | None = None


def _card(token: str, brand: str, last4: str, outcome: str | None = None) -> _TestMethod:
    return _TestMethod(PaymentMethod(token, MethodKind.CARD, f"{brand} •••• {last4}"), outcome)


def _bank(token: str, last4: str, outcome: str | None = None) -> _TestMethod:
    return _TestMethod(
        PaymentMethod(token, MethodKind.US_BANK_ACCOUNT, f"SANDBOX BANK •••• {last4}"), outcome)


#: Stripe's test token names where Stripe has one; the bank ones name their ACH return.
TEST_METHODS = {m.method.token: m for m in (
    _card("pm_card_visa", "visa", "4242"),
    _card("pm_card_mastercard", "mastercard", "4444"),
    _card("pm_card_chargeDeclined", "visa", "0002", "card_declined"),
    _card("pm_card_chargeDeclinedInsufficientFunds", "visa", "9995", "insufficient_funds"),
    _bank("pm_usBankAccount", "6789"),
    _bank("pm_usBankAccount_insufficientFunds", "1116", "R01"),
    _bank("pm_usBankAccount_accountClosed", "2227", "R02"),
    _bank("pm_usBankAccount_noAccount", "3338", "R03"),
)}


class IdempotencyKeyReused(Conflict):
    code, title = "idempotency-key-reused", "Idempotency key reused with different parameters"


@dataclass(frozen=True)
class WebhookMessage:
    """One event as the processor sends it; every delivery of it carries the same id."""

    webhook_id: str
    event_type: str
    body: bytes


@dataclass
class _Payment:
    charge: Charge
    kind: MethodKind
    outcome: str | None
    refunded: Decimal = Decimal("0.00")
    disputed: bool = False
    refunds: dict[str, Refund] = field(default_factory=dict)


class SandboxProcessor:
    """See the module docstring. Thread-safe: the demo's server calls it from many requests."""

    name = NAME

    def __init__(
        self,
        webhook_secrets: Sequence[WebhookSecret],
        *,
        signing_secret: WebhookSecret | None = None,
        base_url: str = "https://sandbox.tapline.invalid",
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if not webhook_secrets:
            raise ValueError("the sandbox needs at least one webhook secret")
        #: The secrets we accept (two during a rotation) ...
        self.webhook_secrets = tuple(webhook_secrets)
        #: ... and the one the processor side signs with.
        self.signing_secret = signing_secret or self.webhook_secrets[0]
        self.base_url = base_url.rstrip("/")
        self._clock = clock
        self._lock = threading.Lock()
        self._methods: dict[str, _TestMethod] = dict(TEST_METHODS)
        self._payments: dict[str, _Payment] = {}
        self._charges_by_key: dict[str, tuple[ChargeRequest, Charge]] = {}
        self._refunds_by_key: dict[str, tuple[tuple[str, Decimal], Refund]] = {}
        self._sessions: dict[str, HostedSession] = {}
        #: Every webhook message emitted, in the order the processor emitted them.
        self.messages: list[WebhookMessage] = []

    # -- tokens and hosted page -------------------------------------------------------------

    def tokenize(self, kind: MethodKind, last4: str, *, outcome: str | None = None) -> str:
        """What the hosted page's form does with the number: keeps it, hands back a token. Only
        the last four digits ever reach us."""
        if len(last4) != 4 or not last4.isdigit():
            raise ValueError("last4 is four digits")
        # letters only: a run of seven digits reads as a card or account number and is refused
        token = "pm_sbx_" + sandbox_id()
        maker = _card(token, "visa", last4, outcome) if kind is MethodKind.CARD else _bank(
            token, last4, outcome)
        with self._lock:
            self._methods[token] = maker
        return token

    def payment_method(self, token: str) -> PaymentMethod:
        found = self._methods.get(token)
        if found is None:
            raise UnknownPaymentMethod(field="payment_method")
        return found.method

    def create_hosted_session(
        self, *, account_ref: str, amount: Decimal, idempotency_key: str,
        success_url: str, cancel_url: str,
    ) -> HostedSession:
        amount = money(amount)
        session_id = "cs_sbx_" + sandbox_id()
        session = HostedSession(session_id, f"{self.base_url}/pay/{session_id}", amount,
                                account_ref, idempotency_key)
        with self._lock:
            self._sessions[session_id] = session
        return session

    def complete_hosted_session(self, session_id: str, method_token: str) -> Charge:
        """The customer paid on the hosted page with `method_token`."""
        session = self._sessions.get(session_id)
        if session is None:
            raise NotFound("no such hosted session")
        kind = self.payment_method(method_token).kind
        return self.charge(ChargeRequest(session.account_ref, session.amount, method_token, kind,
                                         session.idempotency_key))

    # -- charges, settlement, refunds, disputes ---------------------------------------------

    def charge(self, request: ChargeRequest) -> Charge:
        amount = money(request.amount)
        test = self._methods.get(request.payment_method)
        if test is None or test.method.kind is not request.kind:
            raise UnknownPaymentMethod(field="payment_method")
        with self._lock:
            earlier = self._charges_by_key.get(request.idempotency_key)
            if earlier is not None:
                if earlier[0] != request:
                    raise IdempotencyKeyReused(field="idempotency_key")
                return earlier[1]
            payment_id = "pi_sbx_" + sandbox_id()
            card = request.kind is MethodKind.CARD
            declined = card and test.outcome is not None
            status = (ChargeStatus.FAILED if declined else
                      ChargeStatus.SUCCEEDED if card else ChargeStatus.PROCESSING)
            charge = Charge(payment_id, status, amount, request.account_ref,
                            request.idempotency_key, test.outcome if declined else None)
            self._charges_by_key[request.idempotency_key] = (request, charge)
            self._payments[payment_id] = _Payment(charge, request.kind, test.outcome)
            if status is ChargeStatus.SUCCEEDED:
                self._emit("payment.succeeded", charge, request.idempotency_key)
            elif status is ChargeStatus.FAILED:
                self._emit("payment.failed", charge, request.idempotency_key,
                           failure_code=test.outcome)
        return charge

    def settle(self, payment_id: str) -> None:
        """An ACH debit reaches its settlement date: it succeeds, and a bank account whose
        token names a return code is then returned with it (as a real R01 arrives after the
        funds were reported)."""
        with self._lock:
            payment = self._payment(payment_id)
            if payment.charge.status is not ChargeStatus.PROCESSING:
                raise Conflict("only a processing ACH debit settles")
            charge = payment.charge = _replace_status(payment.charge, ChargeStatus.SUCCEEDED)
            self._emit("payment.succeeded", charge, charge.idempotency_key)
            if payment.outcome is not None:
                self._emit("payment.ach_returned", charge, f"{NAME}:{payment_id}:return",
                           return_code=payment.outcome)

    def return_ach(self, payment_id: str, return_code: str) -> None:
        with self._lock:
            payment = self._payment(payment_id)
            if payment.kind is not MethodKind.US_BANK_ACCOUNT:
                raise Conflict("only a bank account debit is returned")
            self._emit("payment.ach_returned", payment.charge, f"{NAME}:{payment_id}:return",
                       return_code=return_code)

    def refund(
        self, *, payment_id: str, amount: Decimal, idempotency_key: str, reason: str
    ) -> Refund:
        amount = money(amount)
        with self._lock:
            earlier = self._refunds_by_key.get(idempotency_key)
            if earlier is not None:
                if earlier[0] != (payment_id, amount):
                    raise IdempotencyKeyReused(field="idempotency_key")
                return earlier[1]
            payment = self._payment(payment_id)
            left = payment.charge.amount - payment.refunded
            if payment.charge.status is not ChargeStatus.SUCCEEDED or payment.disputed:
                raise RefundNotAllowed("only a succeeded, undisputed payment is refunded")
            if amount > left:
                raise RefundNotAllowed(f"{left} is left to refund", field="amount")
            refund = Refund("re_sbx_" + sandbox_id(), payment_id, amount, True)
            payment.refunded += amount
            payment.refunds[refund.refund_id] = refund
            self._refunds_by_key[idempotency_key] = ((payment_id, amount), refund)
            self._emit("payment.refunded", payment.charge, idempotency_key, amount=amount,
                       refund_id=refund.refund_id, reason=reason)
        return refund

    def dispute(self, payment_id: str, reason: str = "fraudulent") -> str:
        """The cardholder's bank charges the payment back."""
        with self._lock:
            payment = self._payment(payment_id)
            if payment.charge.status is not ChargeStatus.SUCCEEDED or payment.disputed:
                raise Conflict("only a succeeded payment is disputed, once")
            payment.disputed = True
            dispute_id = "dp_sbx_" + sandbox_id()
            self._emit("payment.disputed", payment.charge, f"{NAME}:{dispute_id}",
                       amount=payment.charge.amount - payment.refunded,
                       dispute_id=dispute_id, reason=reason)
        return dispute_id

    def _payment(self, payment_id: str) -> _Payment:
        payment = self._payments.get(payment_id)
        if payment is None:
            raise NotFound("no such payment")
        return payment

    def _emit(self, event_type: str, charge: Charge, idempotency_key: str, *,
              amount: Decimal | None = None, **extra: str | None) -> None:
        data: dict[str, Any] = {
            "payment_id": charge.payment_id,
            "amount": str(amount if amount is not None else charge.amount),
            "currency": "usd",
            "account_ref": charge.account_ref,
            "idempotency_key": idempotency_key,
            "method": self._payments[charge.payment_id].kind.value,
            **{k: v for k, v in extra.items() if v is not None},
        }
        body = {"type": event_type, "timestamp": self._clock().isoformat(), "data": data}
        self.messages.append(WebhookMessage(
            "msg_sbx_" + sandbox_id(), event_type,
            json.dumps(body, separators=(",", ":")).encode()))

    # -- webhooks ---------------------------------------------------------------------------

    def signed(self, message: WebhookMessage, now: datetime) -> dict[str, str]:
        """The headers of one delivery of `message`, signed at `now`."""
        return signed_headers([self.signing_secret], message.webhook_id, message.body, now)

    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], *, now: datetime
    ) -> PaymentEvent | None:
        delivery = verify(body, headers, self.webhook_secrets, now=now)
        return parse_event(delivery.webhook_id, body)


def _replace_status(charge: Charge, status: ChargeStatus) -> Charge:
    return Charge(charge.payment_id, status, charge.amount, charge.account_ref,
                  charge.idempotency_key, charge.failure_code)


_EVENTS: dict[str, type[PaymentEvent]] = {
    "payment.succeeded": PaymentSucceeded,
    "payment.failed": PaymentFailed,
    "payment.refunded": PaymentRefunded,
    "payment.disputed": PaymentDisputed,
    "payment.ach_returned": AchReturned,
}
def parse_event(event_id: str, body: bytes) -> PaymentEvent | None:
    """A verified sandbox body as our typed event; None for a type payments ignores."""
    try:
        doc = json.loads(body)
        event_cls = _EVENTS.get(doc["type"])
        if event_cls is None:
            return None
        data = doc["data"]
        amount = Decimal(data["amount"]) if isinstance(data["amount"], str) else None
        if amount is None or not amount.is_finite() or amount <= 0 or amount != amount.quantize(
                CENT):
            raise MalformedWebhook("amount is a positive decimal string with two places")
        occurred_at = datetime.fromisoformat(doc["timestamp"])
        if occurred_at.tzinfo is None:
            raise MalformedWebhook("timestamp has no offset")
        common: dict[str, Any] = {
            "processor": NAME, "event_id": event_id, "payment_id": str(data["payment_id"]),
            "amount": amount.quantize(CENT), "account_ref": str(data["account_ref"]),
            "idempotency_key": str(data["idempotency_key"]), "occurred_at": occurred_at,
            "method": MethodKind(data["method"]),
        }
        if event_cls is PaymentFailed:
            return PaymentFailed(**common, failure_code=data.get("failure_code"))
        if event_cls is PaymentRefunded:
            return PaymentRefunded(**common, refund_id=str(data["refund_id"]))
        if event_cls is PaymentDisputed:
            return PaymentDisputed(**common, dispute_id=str(data["dispute_id"]),
                                   reason=data.get("reason"))
        if event_cls is AchReturned:
            return AchReturned(**common, return_code=data.get("return_code"))
        return event_cls(**common)
    except MalformedWebhook:
        raise
    except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
        raise MalformedWebhook(f"not a sandbox event: {type(exc).__name__}") from None
