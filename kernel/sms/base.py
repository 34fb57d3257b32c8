"""What a service needs from an SMS provider, in our own words and types.

Sending answers with the provider's message id and its first status; the provider later tells
the status callback URL how the message fared (delivered, undelivered, failed), which a
notification record (issue 16) follows. Inbound messages and status callbacks arrive as signed
form posts: `parse_inbound` and `parse_status` verify the signature against the URL the
provider posted to BEFORE anything in the form is trusted, and refuse with a `Problem` (401 for
a bad signature, 400 for a missing one or a form without its fields), so a router that lets it
propagate answers with an RFC 9457 body and writes nothing.

Message bodies and phone numbers are personal data: no implementation logs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from kernel.errors import BadGateway, Problem, Unprocessable


class MessageStatus(StrEnum):
    """A message's life at the provider (Twilio's names; `accepted` and `scheduled` read as
    queued, `receiving`/`received` only describe inbound messages)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    CANCELED = "canceled"
    RECEIVED = "received"

    @classmethod
    def of(cls, provider_status: str | None) -> MessageStatus:
        value = (provider_status or "").strip().lower()
        if value in ("accepted", "scheduled", ""):
            return cls.QUEUED
        if value in ("receiving", "received", "read"):
            return cls.RECEIVED if value != "read" else cls.DELIVERED
        try:
            return cls(value)
        except ValueError:
            return cls.FAILED if "fail" in value else cls.QUEUED


class SmsRefused(Problem):
    """A webhook whose signature does not match: not the provider's. Nothing was read."""

    status, code, title = 401, "sms-signature", "SMS webhook signature does not match"


class SmsSignatureMissing(SmsRefused):
    status, code, title = 400, "sms-signature-missing", "SMS webhook signature missing"


class SmsMalformed(Problem):
    """Signed, but not a message we can read (a field missing, a body too large)."""

    status, code, title = 400, "sms-malformed", "SMS webhook is not a message"


class InvalidPhone(Unprocessable):
    code, title = "invalid-phone", "Not a mobile number in E.164 form (+15415550123)"


class SmsRejected(Unprocessable):
    """The provider refused this message (an invalid or unsubscribed number, ...)."""

    code, title = "sms-rejected", "The SMS provider refused the message"


class SmsUnavailable(BadGateway):
    code, title = "sms-unavailable", "The SMS provider did not answer"


@dataclass(frozen=True)
class SentMessage:
    provider: str
    message_id: str
    status: MessageStatus


@dataclass(frozen=True, repr=False)
class InboundMessage:
    """A verified text from a customer. Its repr is the id only: a stray log line names no
    phone and no words."""

    provider: str
    message_id: str
    from_phone: str
    to_phone: str
    body: str

    def __repr__(self) -> str:
        return f"InboundMessage({self.provider}:{self.message_id})"


@dataclass(frozen=True)
class StatusUpdate:
    provider: str
    message_id: str
    status: MessageStatus
    error_code: str | None = None


class SmsGateway(Protocol):
    """An SMS provider. Implementations: `kernel.sms.sandbox` and `kernel.sms.twilio_gateway`.

    `url` is the full public URL the provider posted to (the signature covers it): the caller
    builds it from configuration (`TAPLINE_SMS_PUBLIC_URL` + the request path), never from the
    request's Host header, which a proxy rewrites.
    """

    name: str

    async def send(self, to: str, body: str, *, status_callback: str | None = None
                   ) -> SentMessage:
        """Texts `body` to `to` (E.164). Raises `InvalidPhone`, `SmsRejected` or
        `SmsUnavailable`; never logs the number or the words."""
        ...

    def parse_inbound(self, url: str, body: bytes, headers: Mapping[str, str]
                      ) -> InboundMessage: ...

    def parse_status(self, url: str, body: bytes, headers: Mapping[str, str]
                     ) -> StatusUpdate: ...
