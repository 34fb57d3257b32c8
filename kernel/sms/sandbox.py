"""The sandbox SMS provider: texts go to an in-process outbox the demo and tests read, and the
customer's side (`inbound`, `status_callback`) produces form posts signed exactly as Twilio
signs them, so the webhook route runs the same verification it runs for Twilio.

State is in memory, one instance per process (like the sandbox processor). The auth token is
generated per instance unless configured (`TAPLINE_SMS_AUTH_TOKEN`), so a test that builds its
own sandbox knows it.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from kernel.clock import utc_now
from kernel.sms import signature
from kernel.sms.base import (
    InboundMessage,
    MessageStatus,
    SentMessage,
    SmsRejected,
    StatusUpdate,
)
from kernel.sms.phone import e164

NAME = "sandbox"
SANDBOX_FROM = "+15005550006"  # Twilio's magic test "from" number


@dataclass(frozen=True)
class OutboxMessage:
    """One text as the sandbox 'delivered' it."""

    message_id: str
    to: str
    from_: str
    body: str
    status_callback: str | None
    sent_at: datetime


@dataclass(frozen=True)
class SignedPost:
    """A webhook request as the provider sends it: form body and headers."""

    body: bytes
    headers: dict[str, str]
    message_id: str


def _sid() -> str:
    return "SM" + secrets.token_hex(16)


class SandboxSms:
    name = NAME

    def __init__(self, auth_token: str | None = None, *, from_number: str = SANDBOX_FROM,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self._token = auth_token or secrets.token_hex(16)
        self.account_sid = "AC" + secrets.token_hex(16)
        self.from_number = from_number
        self._clock = clock
        self._lock = threading.Lock()
        self.outbox: list[OutboxMessage] = []
        #: Numbers that told the carrier STOP: sending to them is refused, as Twilio refuses
        #: (error 21610) once a number has opted out.
        self.opted_out: set[str] = set()

    def __repr__(self) -> str:
        return f"SandboxSms(from={self.from_number})"

    # -- the interface -------------------------------------------------------------------------

    async def send(self, to: str, body: str, *, status_callback: str | None = None
                   ) -> SentMessage:
        to = e164(to, "to")
        if to in self.opted_out:
            raise SmsRejected("The recipient has opted out (21610)", field="to")
        message = OutboxMessage(_sid(), to, self.from_number, body, status_callback,
                                self._clock())
        with self._lock:
            self.outbox.append(message)
        return SentMessage(NAME, message.message_id, MessageStatus.QUEUED)

    def parse_inbound(self, url: str, body: bytes, headers: Mapping[str, str]
                      ) -> InboundMessage:
        return signature.inbound(NAME, [self._token], url, body, headers)

    def parse_status(self, url: str, body: bytes, headers: Mapping[str, str]) -> StatusUpdate:
        return signature.status(NAME, [self._token], url, body, headers)

    # -- the sandbox's other side ---------------------------------------------------------------

    def to(self, phone: str) -> list[OutboxMessage]:
        """The texts sent to `phone`, oldest first."""
        with self._lock:
            return [m for m in self.outbox if m.to == phone]

    def _post(self, url: str, fields: dict[str, str], token: str | None) -> SignedPost:
        sig = signature.sign(token or self._token, url, fields)
        return SignedPost(urlencode(fields).encode(),
                          {"X-Twilio-Signature": sig,
                           "Content-Type": "application/x-www-form-urlencoded"},
                          fields["MessageSid"])

    def inbound(self, url: str, from_: str, body: str, *, to: str | None = None,
                message_id: str | None = None, token: str | None = None) -> SignedPost:
        """A customer's text to our number, as the webhook post Twilio would make to `url`
        (`token`: sign with another token, as a forger would)."""
        fields = {"ToCountry": "US", "SmsMessageSid": "", "NumMedia": "0", "SmsSid": "",
                  "SmsStatus": "received", "Body": body, "To": to or self.from_number,
                  "NumSegments": "1", "MessageSid": message_id or _sid(),
                  "AccountSid": self.account_sid, "From": from_, "ApiVersion": "2010-04-01"}
        fields["SmsMessageSid"] = fields["SmsSid"] = fields["MessageSid"]
        return self._post(url, fields, token)

    def status_callback(self, url: str, message_id: str, status: str,
                        error_code: str | None = None) -> SignedPost:
        fields = {"MessageSid": message_id, "SmsSid": message_id, "MessageStatus": status,
                  "SmsStatus": status, "AccountSid": self.account_sid,
                  "From": self.from_number, "ApiVersion": "2010-04-01"}
        if error_code:
            fields["ErrorCode"] = error_code
        return self._post(url, fields, None)
