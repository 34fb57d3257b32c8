"""How a real processor delivers webhooks, as a plan: retried, duplicated, reordered, and with the
hostile requests anyone on the internet can send.

`plan_deliveries` turns the sandbox's messages into the requests the webhook endpoint will see.
A retry is the same message re-signed at a later timestamp (same `webhook-id`, new signature);
a duplicate is the same bytes twice (a proxy or the network repeating itself); the order is
shuffled, so a refund can arrive before the payment it refunds. Hostile deliveries (tampered
body, stale timestamp, no signature, signed with a secret we never had) are marked
`trusted=False`: the endpoint must refuse each one and write nothing.

Deterministic for a seed, so a failing storm replays exactly. Used by the webhook storm test
(tests/payments/test_webhook_storm.py: 10,000 deliveries, 30% duplicates, two clients, two
payments processes).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from kernel.webhooks import TOLERANCE, WebhookSecret, signed_headers
from services.payments.processors.sandbox import WebhookMessage


class Flaw(StrEnum):
    TAMPERED = "tampered"
    STALE = "stale"
    UNSIGNED = "unsigned"
    WRONG_SECRET = "wrong-secret"


@dataclass(frozen=True)
class PlannedDelivery:
    webhook_id: str
    body: bytes
    headers: dict[str, str]
    #: 1 for the first delivery of a message, 2.. for its retries and duplicates.
    attempt: int
    flaw: Flaw | None = None

    @property
    def trusted(self) -> bool:
        return self.flaw is None


def plan_deliveries(
    messages: Sequence[WebhookMessage],
    *,
    secret: WebhookSecret,
    now: datetime,
    duplicate_rate: float = 0.3,
    hostile_rate: float = 0.0,
    seed: int = 0,
    spread: timedelta = timedelta(seconds=60),
) -> list[PlannedDelivery]:
    """Every message at least once; `duplicate_rate` of the genuine deliveries are repeats of
    a random message; `hostile_rate` more (as a share of the genuine ones) are flawed; all in a
    random order. Genuine deliveries are signed within `spread` before `now`, so they verify at
    any instant up to `TOLERANCE - spread` after it."""
    if not 0 <= duplicate_rate < 1 or not 0 <= hostile_rate <= 1:
        raise ValueError("duplicate_rate is in [0, 1), hostile_rate in [0, 1]")
    if spread >= TOLERANCE:
        raise ValueError("spread must leave room inside the tolerance")
    rng = random.Random(seed)
    span = int(spread.total_seconds())

    def at() -> datetime:
        return now - timedelta(seconds=rng.randint(0, span))

    plan: list[PlannedDelivery] = []
    attempts: dict[str, int] = {}
    for message in messages:
        attempts[message.webhook_id] = 1
        plan.append(PlannedDelivery(message.webhook_id, message.body,
                                    signed_headers([secret], message.webhook_id, message.body,
                                                   at()), 1))
    if messages:
        total = round(len(messages) / (1 - duplicate_rate))
        for _ in range(total - len(messages)):
            first = rng.choice(plan[:len(messages)])
            attempts[first.webhook_id] += 1
            headers = (dict(first.headers) if rng.random() < 0.5 else  # the same bytes again
                       signed_headers([secret], first.webhook_id, first.body, at()))  # a retry
            plan.append(PlannedDelivery(first.webhook_id, first.body, headers,
                                        attempts[first.webhook_id]))
        flaws = list(Flaw)
        genuine = len(plan)
        for i in range(round(genuine * hostile_rate)):
            plan.append(_hostile(rng.choice(messages), flaws[i % len(flaws)], secret, now,
                                 WebhookSecret(rng.randbytes(32))))
    rng.shuffle(plan)
    return plan


def _hostile(message: WebhookMessage, flaw: Flaw, secret: WebhookSecret, now: datetime,
             stranger: WebhookSecret) -> PlannedDelivery:
    headers = signed_headers([secret], message.webhook_id, message.body, now)
    body = message.body
    if flaw is Flaw.TAMPERED:  # a bigger amount, under the original signature
        body = body.replace(b'"amount":"', b'"amount":"9', 1)
    elif flaw is Flaw.STALE:  # a captured delivery replayed after the tolerance
        headers = signed_headers([secret], message.webhook_id, body,
                                 now - TOLERANCE - timedelta(minutes=1))
    elif flaw is Flaw.UNSIGNED:
        del headers["webhook-signature"]
    else:
        headers = signed_headers([stranger], message.webhook_id, body, now)
    return PlannedDelivery(message.webhook_id, body, headers, 0, flaw)
