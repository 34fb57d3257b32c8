"""Portal payments in tests: a sandbox processor the test owns, whose webhooks the courier
delivers to the payments app in-process, and customers' tokens for their accounts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kernel.webhooks import WebhookSecret
from services.payments.processors.sandbox import SandboxProcessor
from services.payments.processors.sandbox_courier import SandboxCourier

WEBHOOK = "http://payments/api/payments/webhooks/sandbox"
P = "/api/payments/portal/accounts"


@pytest.fixture
def sandbox(service_apps: dict[str, Any]) -> Iterator[SandboxProcessor]:
    """The payments app's processor for this test, and a courier that delivers its webhooks to
    the payments app itself (as the sandbox does to a running payments process)."""
    state = service_apps["payments"].state
    processor, courier = state.processor, getattr(state, "sandbox_courier", None)
    state.processor = SandboxProcessor([WebhookSecret.generate()])
    state.sandbox_courier = SandboxCourier(
        WEBHOOK, transport=httpx.ASGITransport(app=service_apps["payments"]), pause=0)
    yield state.processor
    state.processor, state.sandbox_courier = processor, courier


def customer(auth: Any, *account_ids: str, sub: str = "cust-1") -> dict[str, str]:
    headers: dict[str, str] = auth("customer", sub, tuple(account_ids))
    return headers


def charges(sandbox: SandboxProcessor, event_type: str = "payment.succeeded") -> list[Any]:
    return [json.loads(m.body)["data"] for m in sandbox.messages if m.event_type == event_type]


async def ledger(client: Any, auth: Any, account_id: str) -> list[tuple[str, str]]:
    led = (await client.get(f"/api/billing/ledger/accounts/{account_id}",
                            headers=auth("supervisor", "sam"))).json()
    return [(e["kind"], e["amount"]) for e in led["entries"]]


async def save_method(client: Any, headers: dict[str, str], account_id: str,
                      token: str = "pm_card_visa", key: str = "m-1",
                      default: bool = False) -> dict[str, Any]:
    r = await client.post(f"{P}/{account_id}/methods", json={"token": token, "default": default},
                          headers={**headers, "Idempotency-Key": key})
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out
