"""Delivering the sandbox's webhooks to our own webhook endpoint, as a real processor would.

A real processor calls `POST /api/payments/webhooks/{processor}` when a payment succeeds; the
sandbox lives in our process and only writes signed messages into its list. The courier sends
the messages about the payments it is given (signed now, with the sandbox's signing secret) to
the configured webhook URL — by default this payments process's own — after the request that
caused them has committed (a background task), and retries a refused delivery a few times,
as a processor does. Each message is sent once by a courier (a later delivery of the same one
is the storm test's business, not the demo's); the endpoint dedupes by the message id anyway.

A bank debit is settled at once before its messages go out (the sandbox's `settle`; a real
processor takes days), so an R-coded test account is returned right after it posts.

Tests give the app a courier whose transport is the payments app itself
(`app.state.sandbox_courier`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Iterable
from typing import Any

import httpx

from kernel.clock import utc_now
from kernel.errors import Conflict, NotFound
from kernel.settings import Settings, get_settings
from services.payments.processors.sandbox import SandboxProcessor, WebhookMessage

log = logging.getLogger(__name__)
ATTEMPTS = 3


def default_url(settings: Settings) -> str:
    return (settings.payments_sandbox_webhook_url
            or f"{settings.url_for('payments')}/api/payments/webhooks/sandbox")


class SandboxCourier:
    def __init__(self, url: str, *, transport: httpx.AsyncBaseTransport | None = None,
                 pause: float = 0.5) -> None:
        self.url = url
        self.transport = transport
        self.pause = pause
        self._lock = threading.Lock()
        self._sent: set[str] = set()

    def pending(self, processor: SandboxProcessor, payment_refs: Iterable[str]
                ) -> list[WebhookMessage]:
        """The messages about `payment_refs` this courier has not sent yet (claimed now)."""
        refs = set(payment_refs)
        out = []
        with self._lock:
            for m in list(processor.messages):
                if m.webhook_id in self._sent:
                    continue
                if json.loads(m.body)["data"]["payment_id"] in refs:
                    self._sent.add(m.webhook_id)
                    out.append(m)
        return out

    async def deliver(self, processor: SandboxProcessor, payment_refs: Iterable[str]) -> list[int]:
        """Sends what is pending for `payment_refs`; the last status of each delivery."""
        statuses = []
        async with httpx.AsyncClient(transport=self.transport, timeout=10.0) as client:
            for m in self.pending(processor, payment_refs):
                statuses.append(await self._send(client, processor, m))
        return statuses

    async def _send(self, client: httpx.AsyncClient, processor: SandboxProcessor,
                    m: WebhookMessage) -> int:
        status = 0
        for attempt in range(ATTEMPTS):
            headers = {**processor.signed(m, utc_now()), "content-type": "application/json"}
            try:
                status = (await client.post(self.url, content=m.body, headers=headers)
                          ).status_code
            except httpx.HTTPError as exc:
                log.warning("sandbox webhook %s not delivered: %s", m.webhook_id,
                            type(exc).__name__)
                status = 0
            if 200 <= status < 300:
                return status
            if attempt + 1 < ATTEMPTS:
                await asyncio.sleep(self.pause * (attempt + 1))
        log.warning("sandbox webhook %s refused (%s) after %d attempts", m.webhook_id, status,
                    ATTEMPTS)
        return status


def courier_of(state: Any) -> SandboxCourier:
    """The app's courier (made from configuration on first use)."""
    courier: SandboxCourier | None = getattr(state, "sandbox_courier", None)
    if courier is None:
        courier = SandboxCourier(default_url(get_settings()))
        state.sandbox_courier = courier
    return courier


async def deliver_for(state: Any, payment_refs: list[str]) -> None:
    """Background task after a request that charged through the processor: a sandbox's
    webhooks go out; any other processor sends its own. The sandbox settles a bank debit at
    once (a real one takes days), so the demo sees it post, and a test bank account that
    names a return code is then returned."""
    processor = getattr(state, "processor", None)
    if isinstance(processor, SandboxProcessor) and payment_refs:
        for ref in payment_refs:
            with contextlib.suppress(Conflict, NotFound):  # a card: nothing to settle
                processor.settle(ref)
        await courier_of(state).deliver(processor, payment_refs)
