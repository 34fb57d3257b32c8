"""Twilio, through its official library: `twilio.rest.Client` sends (the async API, so a send
never blocks the event loop), `twilio.request_validator.RequestValidator` verifies inbound
messages and status callbacks (kernel/sms/signature.py).

The client is built on the first send, inside the running loop (its aiohttp session belongs to
one). Tests hand in their own `http_client` (an `AsyncHttpClient` that records the request and
answers with a canned response), so the request the library builds is checked without the
network. The auth token is never logged: the library's own request log (which names the URL
and headers, never the form or the Authorization header) is kept at WARNING.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import AsyncHttpClient
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from kernel.sms import signature
from kernel.sms.base import (
    InboundMessage,
    InvalidPhone,
    MessageStatus,
    SentMessage,
    SmsRejected,
    SmsUnavailable,
    StatusUpdate,
)
from kernel.sms.phone import e164

NAME = "twilio"
#: Twilio's error codes that mean "this number": invalid, not mobile, opted out, blocked.
_NUMBER_ERRORS = {21211, 21214, 21407, 21408, 21610, 21612, 21614}

for _name in ("twilio.http_client", "twilio.async_http_client"):
    logging.getLogger(_name).setLevel(logging.WARNING)


class TwilioSms:
    name = NAME

    def __init__(self, account_sid: str, auth_tokens: Sequence[str], *,
                 from_number: str | None = None, messaging_service_sid: str | None = None,
                 timeout: float = 10.0, http_client: AsyncHttpClient | None = None) -> None:
        if not account_sid or not auth_tokens or not all(auth_tokens):
            raise ValueError("Twilio needs an account SID and an auth token")
        if not (from_number or messaging_service_sid):
            raise ValueError("Twilio needs a from number or a messaging service SID")
        self.account_sid = account_sid
        self._tokens = tuple(auth_tokens)
        try:
            self.from_number = e164(from_number) if from_number else None
        except InvalidPhone:
            raise ValueError("the from number is not a phone number in E.164 form") from None
        self.messaging_service_sid = messaging_service_sid
        self._timeout = timeout
        self._http = http_client
        self._client: Client | None = None

    def __repr__(self) -> str:
        return f"TwilioSms(account={self.account_sid})"

    def _rest(self) -> Client:
        if self._client is None:
            http = self._http or AsyncTwilioHttpClient(timeout=self._timeout)
            self._client = Client(self.account_sid, self._tokens[0], http_client=http,
                                  environment={})
        return self._client

    async def send(self, to: str, body: str, *, status_callback: str | None = None
                   ) -> SentMessage:
        to = e164(to, "to")
        sender: dict[str, Any] = ({"messaging_service_sid": self.messaging_service_sid}
                                  if self.messaging_service_sid else {"from_": self.from_number})
        if status_callback:
            sender["status_callback"] = status_callback
        try:
            message = await self._rest().messages.create_async(to=to, body=body, **sender)
        except TwilioRestException as exc:
            if exc.status >= 500 or exc.status == 429:
                raise SmsUnavailable(f"Twilio answered {exc.status}") from None
            if exc.code in _NUMBER_ERRORS:
                raise InvalidPhone(f"Twilio refused the number (error {exc.code})",
                                   field="to") from None
            raise SmsRejected(f"Twilio refused the message (error {exc.code})") from None
        except (TimeoutError, TwilioException, aiohttp.ClientError, OSError):
            raise SmsUnavailable() from None
        return SentMessage(NAME, str(message.sid), MessageStatus.of(message.status))

    def parse_inbound(self, url: str, body: bytes, headers: Mapping[str, str]
                      ) -> InboundMessage:
        return signature.inbound(NAME, self._tokens, url, body, headers)

    def parse_status(self, url: str, body: bytes, headers: Mapping[str, str]) -> StatusUpdate:
        return signature.status(NAME, self._tokens, url, body, headers)

    async def aclose(self) -> None:
        http = self._client.http_client if self._client is not None else None
        if isinstance(http, AsyncTwilioHttpClient):
            await http.close()
