"""The configured SMS gateway (TAPLINE_SMS_PROVIDER and its credentials)."""

from __future__ import annotations

from kernel.settings import Settings
from kernel.sms.base import SmsGateway
from kernel.sms.sandbox import SANDBOX_FROM, SandboxSms
from kernel.sms.twilio_gateway import TwilioSms

MAX_TOKENS = 2


def auth_tokens(settings: Settings) -> list[str]:
    raw = settings.sms_auth_token
    found = [x.strip() for x in (raw.get_secret_value() if raw else "").split(",") if x.strip()]
    if len(found) > MAX_TOKENS:
        raise ValueError("TAPLINE_SMS_AUTH_TOKEN holds at most two tokens (the old and the new "
                         "one during a rotation)")
    return found


def from_settings(settings: Settings) -> SmsGateway:
    """A misconfiguration stops the process at start, not at the first text."""
    tokens = auth_tokens(settings)
    if settings.sms_provider == "twilio":
        if not settings.sms_account_sid or not tokens:
            raise ValueError("the twilio SMS provider needs TAPLINE_SMS_ACCOUNT_SID and "
                             "TAPLINE_SMS_AUTH_TOKEN")
        if not (settings.sms_from or settings.sms_messaging_service_sid):
            raise ValueError("the twilio SMS provider needs TAPLINE_SMS_FROM or "
                             "TAPLINE_SMS_MESSAGING_SERVICE_SID")
        return TwilioSms(settings.sms_account_sid, tokens, from_number=settings.sms_from,
                         messaging_service_sid=settings.sms_messaging_service_sid,
                         timeout=settings.upstream_timeout)
    return SandboxSms(tokens[0] if tokens else None, from_number=settings.sms_from or SANDBOX_FROM)


def webhook_url(settings: Settings, path: str) -> str:
    """The URL the provider posts to for `path` (what its signature covers)."""
    return settings.sms_public_url.rstrip("/") + path
