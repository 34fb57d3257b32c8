"""The processor configuration names (TAPLINE_PAYMENTS_PROCESSOR and its secrets)."""

from __future__ import annotations

from kernel.settings import Settings
from kernel.webhooks import WebhookSecret
from services.payments.processors import sandbox, stripe_processor
from services.payments.processors.base import Processor

MAX_SECRETS = 2


def webhook_secrets(settings: Settings) -> list[str]:
    raw = settings.payments_webhook_secrets
    found = [x.strip() for x in (raw.get_secret_value() if raw else "").split(",") if x.strip()]
    if len(found) > MAX_SECRETS:
        raise ValueError("TAPLINE_PAYMENTS_WEBHOOK_SECRETS holds at most two secrets (the old "
                         "and the new one during a rotation)")
    return found


def from_settings(settings: Settings) -> Processor:
    """The configured processor. A misconfiguration stops the process at start, not at the
    first webhook."""
    found = webhook_secrets(settings)
    if settings.payments_processor == "stripe":
        if settings.stripe_api_key is None or not found:
            raise ValueError("the stripe processor needs TAPLINE_STRIPE_API_KEY and "
                             "TAPLINE_PAYMENTS_WEBHOOK_SECRETS")
        return stripe_processor.StripeProcessor(settings.stripe_api_key.get_secret_value(),
                                                found)
    parsed = [WebhookSecret.parse(x) for x in found] or [WebhookSecret.generate()]
    return sandbox.SandboxProcessor(parsed)
