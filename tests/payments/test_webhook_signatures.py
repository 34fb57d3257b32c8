"""Standard Webhooks signatures (kernel/webhooks.py): what we accept and what we refuse.

The reference vector is the one the specification publishes (and every official library tests
against): a vector we signed ourselves would only prove the verifier agrees with itself.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kernel.webhooks import (
    WebhookHeadersInvalid,
    WebhookSecret,
    WebhookSecretInvalid,
    WebhookSignatureInvalid,
    WebhookStale,
    sign,
    signed_headers,
    verify,
)

SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
SPEC_AT = datetime.fromtimestamp(SPEC_TIMESTAMP, UTC)

NOW = datetime(2026, 11, 27, 19, 0, tzinfo=UTC)


def spec_headers(**override: str) -> dict[str, str]:
    headers = {"webhook-id": SPEC_ID, "webhook-timestamp": str(SPEC_TIMESTAMP),
               "webhook-signature": SPEC_SIGNATURE}
    headers.update(override)
    return headers


def test_signing_reproduces_the_specifications_reference_signature():
    secret = WebhookSecret.parse(SPEC_SECRET)
    assert sign(secret, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE


def test_the_specifications_reference_delivery_verifies():
    delivery = verify(SPEC_BODY, spec_headers(), [WebhookSecret.parse(SPEC_SECRET)],
                      now=SPEC_AT + timedelta(seconds=10))
    assert delivery.webhook_id == SPEC_ID
    assert delivery.timestamp == SPEC_AT


def test_a_secret_pasted_without_its_prefix_is_the_same_secret():
    assert WebhookSecret.parse(SPEC_SECRET[len("whsec_"):]) == WebhookSecret.parse(SPEC_SECRET)


def test_a_tampered_body_is_refused():
    with pytest.raises(WebhookSignatureInvalid):
        verify(b'{"test": 2432232315}', spec_headers(), [WebhookSecret.parse(SPEC_SECRET)],
               now=SPEC_AT)


def test_a_signature_moved_to_another_message_id_is_refused():
    with pytest.raises(WebhookSignatureInvalid):
        verify(SPEC_BODY, spec_headers(**{"webhook-id": "msg_other"}),
               [WebhookSecret.parse(SPEC_SECRET)], now=SPEC_AT)


def test_a_signature_with_its_timestamp_changed_is_refused():
    with pytest.raises(WebhookSignatureInvalid):
        verify(SPEC_BODY, spec_headers(**{"webhook-timestamp": str(SPEC_TIMESTAMP + 1)}),
               [WebhookSecret.parse(SPEC_SECRET)], now=SPEC_AT)


def test_a_delivery_signed_with_another_secret_is_refused():
    secret, stranger = WebhookSecret.generate(), WebhookSecret.generate()
    headers = signed_headers([stranger], "msg_1", b"{}", NOW)
    with pytest.raises(WebhookSignatureInvalid):
        verify(b"{}", headers, [secret], now=NOW)


@pytest.mark.parametrize("age", [timedelta(minutes=5, seconds=1), timedelta(hours=3)])
def test_a_stale_timestamp_is_refused_even_with_a_good_signature(age):
    secret = WebhookSecret.generate()
    headers = signed_headers([secret], "msg_1", b"{}", NOW - age)
    with pytest.raises(WebhookStale):
        verify(b"{}", headers, [secret], now=NOW)


def test_a_timestamp_more_than_five_minutes_ahead_is_refused():
    secret = WebhookSecret.generate()
    headers = signed_headers([secret], "msg_1", b"{}", NOW + timedelta(minutes=5, seconds=1))
    with pytest.raises(WebhookStale):
        verify(b"{}", headers, [secret], now=NOW)


@pytest.mark.parametrize("skew", [timedelta(minutes=-5), timedelta(minutes=5)])
def test_five_minutes_of_clock_skew_either_way_is_accepted(skew):
    secret = WebhookSecret.generate()
    headers = signed_headers([secret], "msg_1", b"{}", NOW + skew)
    assert verify(b"{}", headers, [secret], now=NOW).webhook_id == "msg_1"


def test_the_old_secret_is_still_valid_during_a_rotation():
    old, new = WebhookSecret.generate(), WebhookSecret.generate()
    from_old_sender = signed_headers([old], "msg_1", b"{}", NOW)
    from_new_sender = signed_headers([new], "msg_2", b"{}", NOW)
    assert verify(b"{}", from_old_sender, [new, old], now=NOW).webhook_id == "msg_1"
    assert verify(b"{}", from_new_sender, [new, old], now=NOW).webhook_id == "msg_2"


def test_after_the_rotation_ends_the_old_secret_is_refused():
    old, new = WebhookSecret.generate(), WebhookSecret.generate()
    with pytest.raises(WebhookSignatureInvalid):
        verify(b"{}", signed_headers([old], "msg_1", b"{}", NOW), [new], now=NOW)


def test_a_sender_in_rotation_signs_with_both_secrets_and_either_receiver_accepts():
    old, new = WebhookSecret.generate(), WebhookSecret.generate()
    headers = signed_headers([new, old], "msg_1", b"{}", NOW)
    assert len(headers["webhook-signature"].split()) == 2
    assert verify(b"{}", headers, [old], now=NOW).webhook_id == "msg_1"
    assert verify(b"{}", headers, [new], now=NOW).webhook_id == "msg_1"


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_delivery_missing_a_header_is_refused_as_bad_request(missing):
    headers = spec_headers()
    del headers[missing]
    with pytest.raises(WebhookHeadersInvalid) as refused:
        verify(SPEC_BODY, headers, [WebhookSecret.parse(SPEC_SECRET)], now=SPEC_AT)
    assert refused.value.status == 400


@pytest.mark.parametrize("override", [
    {"webhook-timestamp": "1614265330.5"},
    {"webhook-timestamp": "1e9"},
    {"webhook-timestamp": "99999999999999999999"},
    {"webhook-signature": "v1"},  # no comma: the official library raises ValueError here
    {"webhook-signature": " ".join([SPEC_SIGNATURE] * 9)},
    {"webhook-id": "msg with spaces"},
])
def test_malformed_headers_are_a_bad_request_never_a_crash(override):
    with pytest.raises(WebhookHeadersInvalid):
        verify(SPEC_BODY, spec_headers(**override), [WebhookSecret.parse(SPEC_SECRET)],
               now=SPEC_AT)


def test_header_names_are_case_insensitive():
    headers = {k.title(): v for k, v in spec_headers().items()}
    assert verify(SPEC_BODY, headers, [WebhookSecret.parse(SPEC_SECRET)], now=SPEC_AT)


def test_a_good_signature_among_unknown_schemes_and_garbage_is_accepted():
    header = f"v1a,c29tZXRoaW5n v1,not-base64!! {SPEC_SIGNATURE}"
    assert verify(SPEC_BODY, spec_headers(**{"webhook-signature": header}),
                  [WebhookSecret.parse(SPEC_SECRET)], now=SPEC_AT)


def test_only_v1_signatures_count():
    header = SPEC_SIGNATURE.replace("v1,", "v2,")
    with pytest.raises(WebhookSignatureInvalid):
        verify(SPEC_BODY, spec_headers(**{"webhook-signature": header}),
               [WebhookSecret.parse(SPEC_SECRET)], now=SPEC_AT)


def test_a_body_that_is_not_utf8_is_verified_as_bytes():
    secret = WebhookSecret.generate()
    body = b"\xff\xfe not text"
    headers = signed_headers([secret], "msg_1", body, NOW)
    assert verify(body, headers, [secret], now=NOW).webhook_id == "msg_1"
    with pytest.raises(WebhookSignatureInvalid):
        verify(body + b"!", headers, [secret], now=NOW)


def test_refusals_are_problems_a_router_answers_with_401_or_400():
    assert WebhookSignatureInvalid().status == 401
    assert WebhookStale().status == 401
    assert WebhookHeadersInvalid().status == 400


@pytest.mark.parametrize("text", ["whsec_", "whsec_c2hvcnQ=", "whsec_not base64!"])
def test_an_empty_short_or_garbled_secret_is_a_configuration_error(text):
    with pytest.raises(WebhookSecretInvalid):
        WebhookSecret.parse(text)


def test_a_secret_never_shows_its_key():
    secret = WebhookSecret.parse(SPEC_SECRET)
    assert "MfKQ9r8" not in repr(secret) and "MfKQ9r8" not in str(secret)
    assert WebhookSecret.parse(secret.text()) == secret
