"""Stripe, through its official `stripe` library: cards and US bank accounts (ACH Direct Debit)
as PaymentIntents, refunds, a Checkout session as the hosted page, and webhooks verified by the
library's own `stripe.Webhook.construct_event`.

What we send Stripe carries our account and idempotency key as PaymentIntent / Refund metadata
(`tapline_account`, `tapline_idempotency_key`), so the webhook that reports the outcome names
them again; the same key goes in Stripe's `Idempotency-Key` header, so a retried request returns
the first PaymentIntent instead of charging twice.

Webhook events we act on (subscribe the endpoint to these):
- `payment_intent.succeeded` -> PaymentSucceeded
- `payment_intent.payment_failed` -> PaymentFailed for a card; AchReturned for a bank account
  (Stripe reports the bank's return of a processing debit this way; its failure code is mapped
  to the NACHA R code)
- `refund.created`, `refund.updated`, `charge.refund.updated` with status `succeeded` ->
  PaymentRefunded (all three share the refund's idempotency key: it posts once)
- `charge.dispute.created` -> PaymentDisputed
Everything else verifies and is ignored (None).

Wired: the payments app builds it from configuration (TAPLINE_STRIPE_API_KEY and the webhook
secrets, two during a rotation) and the webhook router passes the raw body and headers to
`parse_webhook`. `tapline_account` is our account number.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import stripe

from kernel.errors import Conflict
from kernel.webhooks import (
    TOLERANCE,
    WebhookHeadersInvalid,
    WebhookSignatureInvalid,
    WebhookStale,
)
from services.payments.processors.base import (
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
    ProcessorUnavailable,
    Refund,
    RefundNotAllowed,
    UnknownPaymentMethod,
    from_cents,
    money,
    to_cents,
)

NAME = "stripe"
ACCOUNT_KEY = "tapline_account"
IDEMPOTENCY_KEY = "tapline_idempotency_key"

#: Stripe's ACH Direct Debit failure codes and the NACHA return each stands for.
ACH_RETURN_CODES = {
    "insufficient_funds": "R01",
    "account_closed": "R02",
    "no_account": "R03",
    "invalid_account_number": "R04",
    "debit_not_authorized": "R10",
    "bank_account_restricted": "R16",
    "account_frozen": "R16",
}

_REFUND_EVENTS = {"refund.created", "refund.updated", "charge.refund.updated"}


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _signed_at(header: str) -> int:
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit() and len(value) <= 10:
            return int(value)
    raise WebhookHeadersInvalid("Stripe-Signature has no t=<timestamp>")


class StripeProcessor:
    name = NAME

    def __init__(
        self,
        api_key: str,
        webhook_secrets: Sequence[str],
        *,
        http_client: stripe.HTTPClient | None = None,
        max_network_retries: int = 2,
    ) -> None:
        if not webhook_secrets:
            raise ValueError("Stripe webhooks need at least one signing secret")
        self.webhook_secrets = tuple(webhook_secrets)
        self._client = stripe.StripeClient(api_key, http_client=http_client,
                                           max_network_retries=max_network_retries)

    # -- API calls --------------------------------------------------------------------------

    def create_hosted_session(
        self, *, account_ref: str, amount: Decimal, idempotency_key: str,
        success_url: str, cancel_url: str,
    ) -> HostedSession:
        metadata = {ACCOUNT_KEY: account_ref, IDEMPOTENCY_KEY: idempotency_key}
        params: stripe.params.checkout.SessionCreateParams = {
            "mode": "payment",
            "allowed_payment_method_types": ["card", "us_bank_account"],
            "line_items": [{
                "quantity": 1,
                "price_data": {
                    "currency": "usd", "unit_amount": to_cents(amount),
                    "product_data": {"name": f"Water account {account_ref}"},
                },
            }],
            "client_reference_id": account_ref,
            "payment_intent_data": {"metadata": metadata},
            "metadata": metadata,
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        with _translated_errors():
            session = self._client.v1.checkout.sessions.create(
                params, {"idempotency_key": f"session-{idempotency_key}"})
        return HostedSession(session.id, session.url or "", money(amount), account_ref,
                             idempotency_key)

    def payment_method(self, token: str) -> PaymentMethod:
        with _translated_errors():
            found = self._client.v1.payment_methods.retrieve(token)
        if found.type == "card" and found.card is not None:
            return PaymentMethod(found.id, MethodKind.CARD,
                                 f"{found.card.brand} •••• {found.card.last4}")
        if found.type == "us_bank_account" and found.us_bank_account is not None:
            bank = found.us_bank_account
            return PaymentMethod(found.id, MethodKind.US_BANK_ACCOUNT,
                                 f"{bank.bank_name or 'bank account'} •••• {bank.last4}")
        raise UnknownPaymentMethod(f"payment method type {found.type} is not accepted",
                                   field="payment_method")

    def charge(self, request: ChargeRequest) -> Charge:
        amount = to_cents(request.amount)
        params: stripe.params.PaymentIntentCreateParams = {
            "amount": amount,
            "currency": "usd",
            "payment_method": request.payment_method,
            "allowed_payment_method_types": [request.kind.value],
            "confirm": True,
            "metadata": {ACCOUNT_KEY: request.account_ref,
                         IDEMPOTENCY_KEY: request.idempotency_key},
        }
        if request.customer:
            params["customer"] = request.customer
            params["off_session"] = True
        if request.mandate:
            params["mandate"] = request.mandate
        try:
            with _translated_errors(declines_pass=True):
                intent = self._client.v1.payment_intents.create(
                    params, {"idempotency_key": request.idempotency_key})
        except stripe.CardError as declined:
            return Charge(_declined_intent_id(declined), ChargeStatus.FAILED,
                          money(request.amount), request.account_ref, request.idempotency_key,
                          _decline_code(declined))
        status = {"succeeded": ChargeStatus.SUCCEEDED, "processing": ChargeStatus.PROCESSING}
        return Charge(intent.id, status.get(intent.status, ChargeStatus.FAILED),
                      from_cents(intent.amount), request.account_ref, request.idempotency_key,
                      None if intent.status in status else intent.status)

    def refund(
        self, *, payment_id: str, amount: Decimal, idempotency_key: str, reason: str
    ) -> Refund:
        with _translated_errors():
            refund = self._client.v1.refunds.create(
                {
                    "payment_intent": payment_id,
                    "amount": to_cents(amount),
                    "metadata": {IDEMPOTENCY_KEY: idempotency_key, "tapline_reason": reason[:500]},
                },
                {"idempotency_key": idempotency_key},
            )
        return Refund(refund.id, payment_id, from_cents(refund.amount),
                      refund.status == "succeeded")

    # -- webhooks ---------------------------------------------------------------------------

    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], *, now: datetime
    ) -> PaymentEvent | None:
        """Stripe's own check, with every secret still valid. Stripe's tolerance only looks
        back; the timestamp is also refused when it is more than five minutes ahead of `now`."""
        header = _header(headers, "stripe-signature")
        if not header:
            raise WebhookHeadersInvalid("the Stripe-Signature header is missing")
        signed_at = datetime.fromtimestamp(_signed_at(header), UTC)
        if abs(now - signed_at) > TOLERANCE:
            raise WebhookStale(f"signed at {signed_at.isoformat()}")
        try:
            payload = body.decode("utf-8")
        except UnicodeDecodeError:
            raise WebhookSignatureInvalid("the body is not UTF-8: no signature covers it") from None
        event: stripe.Event | None = None
        for secret in self.webhook_secrets:
            try:
                event = stripe.Webhook.construct_event(
                    payload, header, secret, tolerance=int(TOLERANCE.total_seconds()))
                break
            except stripe.SignatureVerificationError:
                continue
            except ValueError:  # signed, but not a Stripe event
                raise MalformedWebhook("not a Stripe event") from None
        if event is None:
            raise WebhookSignatureInvalid("no signature matches a current secret")
        try:
            return map_event(event.to_dict())
        except (KeyError, TypeError, ValueError) as exc:
            raise MalformedWebhook(f"unreadable {event.type}: {type(exc).__name__}") from None


def map_event(event: dict[str, Any]) -> PaymentEvent | None:
    """A verified Stripe event as our typed event; None for what payments does not act on."""
    kind: str = event["type"]
    obj: dict[str, Any] = event["data"]["object"]
    metadata: dict[str, str] = obj.get("metadata") or {}
    common: dict[str, Any] = {
        "processor": NAME,
        "event_id": str(event["id"]),
        "occurred_at": datetime.fromtimestamp(int(event["created"]), UTC),
        "account_ref": metadata.get(ACCOUNT_KEY),
    }
    if kind == "payment_intent.succeeded":
        return PaymentSucceeded(
            **common, payment_id=obj["id"], amount=from_cents(obj["amount_received"]),
            idempotency_key=metadata.get(IDEMPOTENCY_KEY) or f"{NAME}:{obj['id']}",
            method=_intent_method(obj))
    if kind == "payment_intent.payment_failed":
        error: dict[str, Any] = obj.get("last_payment_error") or {}
        method = _intent_method(obj)
        failed: dict[str, Any] = {
            **common, "payment_id": obj["id"], "amount": from_cents(obj["amount"]),
            "method": method}
        if method is MethodKind.US_BANK_ACCOUNT:
            return AchReturned(**failed, idempotency_key=f"{NAME}:{obj['id']}:return",
                               return_code=ACH_RETURN_CODES.get(error.get("code") or ""))
        return PaymentFailed(
            **failed, idempotency_key=metadata.get(IDEMPOTENCY_KEY) or f"{NAME}:{obj['id']}",
            failure_code=error.get("decline_code") or error.get("code"))
    if kind in _REFUND_EVENTS:
        if obj.get("status") != "succeeded" or not obj.get("payment_intent"):
            return None  # pending (ACH refunds take days) or failed: nothing left yet
        return PaymentRefunded(
            **common, payment_id=obj["payment_intent"], amount=from_cents(obj["amount"]),
            idempotency_key=metadata.get(IDEMPOTENCY_KEY) or f"{NAME}:{obj['id']}",
            refund_id=obj["id"])
    if kind == "charge.dispute.created":
        return PaymentDisputed(
            **common, payment_id=obj["payment_intent"], amount=from_cents(obj["amount"]),
            idempotency_key=f"{NAME}:{obj['id']}", dispute_id=obj["id"],
            reason=obj.get("reason"))
    return None


def _intent_method(intent: dict[str, Any]) -> MethodKind | None:
    error = intent.get("last_payment_error") or {}
    types = [(error.get("payment_method") or {}).get("type"),
             *(intent.get("payment_method_types") or [])]
    for t in types:
        if t in (MethodKind.CARD.value, MethodKind.US_BANK_ACCOUNT.value):
            return MethodKind(t)
    return None


def _declined_intent_id(declined: stripe.CardError) -> str:
    body = declined.json_body if isinstance(declined.json_body, dict) else {}
    intent = (body.get("error") or {}).get("payment_intent") or {}
    return str(intent.get("id") or "")


def _decline_code(declined: stripe.CardError) -> str:
    body = declined.json_body if isinstance(declined.json_body, dict) else {}
    error = body.get("error") or {}
    return str(error.get("decline_code") or declined.code or "card_declined")


@contextmanager
def _translated_errors(*, declines_pass: bool = False) -> Iterator[None]:
    """Stripe's exceptions as our problems: the caller's mistake is a 422, Stripe's trouble a
    502. `charge` lets a card decline through: for it a decline is an outcome, not an error."""
    try:
        yield
    except stripe.CardError:
        if declines_pass:
            raise
        raise ProcessorUnavailable("Stripe declined a request that moves no money") from None
    except stripe.InvalidRequestError as exc:
        if exc.code == "resource_missing" and exc.param == "payment_intent":
            raise RefundNotAllowed("Stripe has no such payment", field="payment_id") from None
        if exc.code == "resource_missing":
            raise UnknownPaymentMethod(field="payment_method") from None
        if exc.code in ("charge_already_refunded", "amount_too_large"):
            raise RefundNotAllowed(exc.user_message or exc.code, field="amount") from None
        raise ProcessorUnavailable(f"Stripe refused the request ({exc.code})") from None
    except stripe.IdempotencyError:
        raise Conflict("idempotency key reused with different parameters") from None
    except stripe.StripeError as exc:
        raise ProcessorUnavailable(f"Stripe: {type(exc).__name__}") from None
