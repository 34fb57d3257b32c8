"""Delivery plans: what the webhook storm sends is what a real processor (and an attacker) does."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kernel.webhooks import WebhookRefused, WebhookSecret
from services.payments.processors.base import (
    ChargeRequest,
    MethodKind,
    PaymentRefunded,
    PaymentSucceeded,
)
from services.payments.processors.deliveries import Flaw, plan_deliveries
from services.payments.processors.sandbox import SandboxProcessor

NOW = datetime(2026, 11, 27, 19, 0, tzinfo=UTC)


def busy_sandbox(payments: int = 200) -> SandboxProcessor:
    """`payments` card payments, every tenth refunded in part."""
    processor = SandboxProcessor([WebhookSecret.generate()], clock=lambda: NOW)
    for i in range(payments):
        charge = processor.charge(ChargeRequest(
            f"10000{i:03d}", Decimal("10.00") + i, "pm_card_visa", MethodKind.CARD, f"pay-{i}"))
        if i % 10 == 0:
            processor.refund(payment_id=charge.payment_id, amount=Decimal("1.25"),
                             idempotency_key=f"refund-{i}", reason="overpaid")
    return processor


def test_every_message_is_delivered_and_thirty_percent_of_deliveries_are_repeats():
    processor = busy_sandbox()
    plan = plan_deliveries(processor.messages, secret=processor.signing_secret, now=NOW,
                           duplicate_rate=0.3, seed=7)
    ids = Counter(d.webhook_id for d in plan)
    assert set(ids) == {m.webhook_id for m in processor.messages}
    repeats = len(plan) - len(ids)
    assert repeats / len(plan) == pytest.approx(0.3, abs=0.01)


def test_the_plan_reorders_so_some_refund_arrives_before_its_payment():
    processor = busy_sandbox()
    plan = plan_deliveries(processor.messages, secret=processor.signing_secret, now=NOW, seed=7)
    seen: set[str] = set()
    early_refunds = 0
    for delivery in plan:
        event = processor.parse_webhook(delivery.body, delivery.headers, now=NOW)
        if isinstance(event, PaymentSucceeded):
            seen.add(event.payment_id)
        elif isinstance(event, PaymentRefunded) and event.payment_id not in seen:
            early_refunds += 1
    assert early_refunds > 0


def test_every_genuine_delivery_verifies_and_all_copies_of_a_message_are_one_event():
    processor = busy_sandbox()
    plan = plan_deliveries(processor.messages, secret=processor.signing_secret, now=NOW, seed=3)
    by_id: dict[str, set[object]] = {}
    for delivery in plan:
        event = processor.parse_webhook(delivery.body, delivery.headers,
                                        now=NOW + timedelta(minutes=3))
        assert event is not None and event.event_id == delivery.webhook_id
        by_id.setdefault(delivery.webhook_id, set()).add(event)
    assert all(len(copies) == 1 for copies in by_id.values())


def test_retries_are_re_signed_and_duplicates_are_the_same_bytes():
    processor = busy_sandbox(50)
    plan = plan_deliveries(processor.messages, secret=processor.signing_secret, now=NOW,
                           duplicate_rate=0.5, seed=1)
    signatures: dict[str, set[str]] = {}
    for delivery in plan:
        signatures.setdefault(delivery.webhook_id, set()).add(delivery.headers["webhook-signature"])
    repeated = Counter(d.webhook_id for d in plan)
    assert any(len(signatures[i]) > 1 for i in repeated)  # some retries, re-signed
    assert any(repeated[i] > len(signatures[i]) for i in repeated)  # some identical copies


def test_every_hostile_delivery_is_refused_and_each_kind_is_present():
    processor = busy_sandbox()
    plan = plan_deliveries(processor.messages, secret=processor.signing_secret, now=NOW,
                           hostile_rate=0.1, seed=11)
    hostile = [d for d in plan if not d.trusted]
    assert {d.flaw for d in hostile} == set(Flaw)
    for delivery in hostile:
        with pytest.raises(WebhookRefused):
            processor.parse_webhook(delivery.body, delivery.headers, now=NOW)


def test_the_same_seed_plans_the_same_storm_hostile_deliveries_included():
    processor = busy_sandbox(30)
    one = plan_deliveries(processor.messages, secret=processor.signing_secret, now=NOW, seed=5,
                          hostile_rate=0.2)
    two = plan_deliveries(processor.messages, secret=processor.signing_secret, now=NOW, seed=5,
                          hostile_rate=0.2)
    assert [(d.body, d.headers) for d in one] == [(d.body, d.headers) for d in two]
