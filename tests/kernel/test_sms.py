"""The SMS gateway: the sandbox's outbox and signed inbound posts, Twilio's requests built by
the official library (recorded, no network) and its webhooks verified by the library's
RequestValidator with signatures made from a test auth token."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from twilio.http import AsyncHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator

from kernel.errors import Problem
from kernel.settings import Settings
from kernel.sms import (
    InvalidPhone,
    Keyword,
    MessageStatus,
    SmsMalformed,
    SmsRefused,
    SmsRejected,
    SmsSignatureMissing,
    SmsUnavailable,
    classify,
    e164,
)
from kernel.sms.configured import from_settings
from kernel.sms.sandbox import SandboxSms
from kernel.sms.twilio_gateway import TwilioSms

URL = "https://tapline.example.org/api/payments/sms/inbound/twilio"
SID = "AC" + "1" * 32
TOKEN = "test-auth-token-0123456789abcdef"


class Recorder(AsyncHttpClient):
    """An http client for twilio.rest.Client that records each request and answers canned."""

    def __init__(self, status: int = 201, answer: dict[str, Any] | None = None) -> None:
        super().__init__(logger=__import__("logging").getLogger("test"), is_async=True)
        self.status = status
        self.answer = answer or {"sid": "SM" + "a" * 32, "status": "queued"}
        self.requests: list[dict[str, Any]] = []

    async def request(self, method: str, uri: str, params: Any = None, data: Any = None,
                      headers: Any = None, auth: Any = None,
                      timeout: Any = None,  # noqa: ASYNC109 (the library's signature)
                      allow_redirects: bool = False) -> Response:
        self.requests.append({"method": method, "uri": uri, "data": dict(data or {}),
                              "auth": auth, "headers": dict(headers or {})})
        return Response(self.status, json.dumps(self.answer))


def twilio_post(fields: dict[str, str], token: str = TOKEN, url: str = URL
                ) -> tuple[bytes, dict[str, str]]:
    """A webhook post as Twilio makes it: form body, signature by the library from `token`."""
    sig = RequestValidator(token).compute_signature(url, fields)
    return urlencode(fields).encode(), {"X-Twilio-Signature": sig}


INBOUND = {"MessageSid": "SM" + "b" * 32, "AccountSid": SID, "From": "+15415550123",
           "To": "+15005550006", "Body": "PAY", "NumMedia": "0"}


def test_phone_numbers_are_read_as_e164_and_impossible_ones_refused():
    assert e164("(541) 555-0123") == "+15415550123"
    assert e164("1 541 555 0123") == "+15415550123"
    assert e164("+44 20 7946 0958") == "+442079460958"
    for bad in ("555-0123", "(041) 555-0123", "+1 541 055 0123", "+0123456789", "call me", ""):
        with pytest.raises(InvalidPhone):
            e164(bad)


def test_carrier_keywords_are_recognised_whatever_their_case_and_punctuation():
    assert classify(" stop ").keyword is Keyword.STOP
    assert classify("Unsubscribe!").keyword is Keyword.STOP
    assert classify("help?").keyword is Keyword.HELP
    assert classify("start").keyword is Keyword.START
    other = classify("pay.")
    assert (other.keyword, other.word) == (Keyword.OTHER, "PAY")
    assert classify("please stop texting me").keyword is Keyword.OTHER


async def test_the_sandbox_delivers_to_its_outbox_and_refuses_what_twilio_refuses():
    sms = SandboxSms()
    sent = await sms.send("541-555-0123", "Your balance is $10.00", status_callback="https://x/s")
    assert sent.status is MessageStatus.QUEUED and sent.message_id.startswith("SM")
    (m,) = sms.to("+15415550123")
    assert (m.message_id, m.body, m.status_callback) == (sent.message_id,
                                                         "Your balance is $10.00", "https://x/s")
    with pytest.raises(InvalidPhone):
        await sms.send("12", "x")
    sms.opted_out.add("+15415550123")
    with pytest.raises(SmsRejected):
        await sms.send("+15415550123", "x")


def test_a_sandbox_inbound_passes_the_same_verification_and_forgeries_do_not():
    sms = SandboxSms()
    post = sms.inbound(URL, "+15415550123", "pay")
    msg = sms.parse_inbound(URL, post.body, post.headers)
    assert (msg.from_phone, msg.body, msg.message_id) == ("+15415550123", "pay", post.message_id)
    assert "+1541" not in repr(msg)
    tampered = post.body.replace(b"Body=pay", b"Body=STOP")
    assert tampered != post.body
    with pytest.raises(SmsRefused):
        sms.parse_inbound(URL, tampered, post.headers)
    with pytest.raises(SmsRefused):  # signed for another URL
        sms.parse_inbound(URL.replace("twilio", "sandbox"), post.body, post.headers)
    forged = sms.inbound(URL, "+15415550123", "pay", token="not-the-token")
    with pytest.raises(SmsRefused) as refused:
        sms.parse_inbound(URL, forged.body, forged.headers)
    assert refused.value.status == 401
    with pytest.raises(SmsSignatureMissing) as unsigned:
        sms.parse_inbound(URL, post.body, {})
    assert unsigned.value.status == 400


def test_a_status_callback_is_verified_and_read():
    sms = SandboxSms()
    post = sms.status_callback(URL, "SM" + "c" * 32, "undelivered", "30003")
    update = sms.parse_status(URL, post.body, post.headers)
    assert (update.status, update.error_code) == (MessageStatus.UNDELIVERED, "30003")


async def test_twilio_send_builds_the_messages_request_with_the_library():
    http = Recorder()
    sms = TwilioSms(SID, [TOKEN], from_number="+15005550006", http_client=http)
    sent = await sms.send("(541) 555-0123", "Reply PAY to pay $12.34",
                          status_callback="https://tapline.example.org/api/payments/sms/status/t")
    assert (sent.provider, sent.message_id, sent.status) == ("twilio", "SM" + "a" * 32,
                                                             MessageStatus.QUEUED)
    (req,) = http.requests
    assert req["method"] == "POST"
    assert req["uri"] == f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Messages.json"
    assert req["auth"] == (SID, TOKEN)
    assert req["data"] == {"To": "+15415550123", "From": "+15005550006",
                           "Body": "Reply PAY to pay $12.34",
                           "StatusCallback": "https://tapline.example.org/api/payments/sms/status/t"}
    assert TOKEN not in repr(sms)


async def test_twilio_send_through_a_messaging_service_names_it_instead_of_a_number():
    http = Recorder()
    sms = TwilioSms(SID, [TOKEN], messaging_service_sid="MG" + "9" * 32, http_client=http)
    await sms.send("+15415550123", "hello")
    data = http.requests[0]["data"]
    assert data["MessagingServiceSid"] == "MG" + "9" * 32 and "From" not in data


@pytest.mark.parametrize(("status", "code", "problem"), [
    (400, 21211, InvalidPhone), (400, 21610, InvalidPhone), (400, 30007, SmsRejected),
    (500, None, SmsUnavailable), (429, 20429, SmsUnavailable)])
async def test_twilio_refusals_become_problems(status: int, code: int | None,
                                               problem: type[Problem]):
    http = Recorder(status, {"code": code, "message": "no", "status": status})
    sms = TwilioSms(SID, [TOKEN], from_number="+15005550006", http_client=http)
    with pytest.raises(problem):
        await sms.send("+15415550123", "hello")


def test_twilio_inbound_is_verified_by_the_request_validator_with_either_token():
    sms = TwilioSms(SID, ["new-token-abc", TOKEN], from_number="+15005550006")
    body, headers = twilio_post(INBOUND)
    msg = sms.parse_inbound(URL, body, headers)
    assert (msg.provider, msg.message_id, msg.body) == ("twilio", INBOUND["MessageSid"], "PAY")
    # Twilio signs with or without the default port: the validator accepts both
    body, headers = twilio_post(INBOUND, url=URL.replace(".org/", ".org:443/"))
    assert sms.parse_inbound(URL, body, headers).message_id == INBOUND["MessageSid"]


def test_twilio_inbound_tampered_wrong_token_or_unsigned_is_refused():
    sms = TwilioSms(SID, [TOKEN], from_number="+15005550006")
    body, headers = twilio_post(INBOUND)
    with pytest.raises(SmsRefused):
        sms.parse_inbound(URL, body.replace(b"Body=PAY", b"Body=STOP"), headers)
    with pytest.raises(SmsRefused):
        sms.parse_inbound(URL, *twilio_post(INBOUND, token="wrong-token"))
    with pytest.raises(SmsSignatureMissing):
        sms.parse_inbound(URL, body, {})
    with pytest.raises(SmsRefused):
        sms.parse_inbound(URL, b"\xff\xfe" + body, headers)
    with pytest.raises(SmsMalformed):
        sms.parse_inbound(URL, b"x" * 70_000, headers)


def test_a_signed_post_without_a_message_id_is_malformed():
    sms = TwilioSms(SID, [TOKEN], from_number="+15005550006")
    fields = {k: v for k, v in INBOUND.items() if k != "MessageSid"}
    with pytest.raises(SmsMalformed):
        sms.parse_inbound(URL, *twilio_post(fields))


def test_configuration_picks_the_provider_and_refuses_twilio_without_credentials():
    assert isinstance(from_settings(Settings(sms_provider="sandbox")), SandboxSms)
    with pytest.raises(ValueError, match="SMS_ACCOUNT_SID"):
        from_settings(Settings(sms_provider="twilio"))
    with pytest.raises(ValueError, match="SMS_FROM"):
        from_settings(Settings(sms_provider="twilio", sms_account_sid=SID,
                               sms_auth_token=TOKEN))  # type: ignore[arg-type]
    sms = from_settings(Settings(sms_provider="twilio", sms_account_sid=SID,
                                 sms_auth_token=TOKEN,  # type: ignore[arg-type]
                                 sms_from="+15005550006"))
    assert isinstance(sms, TwilioSms) and TOKEN not in repr(sms)


def test_a_from_number_that_is_no_phone_number_stops_the_process_at_start():
    with pytest.raises(ValueError, match="E.164"):
        TwilioSms(SID, [TOKEN], from_number="DISTRICT")
