"""Standard Webhooks (www.standardwebhooks.com): signing what we send, verifying what we get.

A delivery carries three headers: `webhook-id` (the message id, the same on every retry, so a
receiver dedupes by it), `webhook-timestamp` (integer Unix seconds) and `webhook-signature`
(space-separated `v1,<base64 HMAC-SHA256>` entries over `{id}.{timestamp}.{body}`). Secrets are
`whsec_` + base64 of the key bytes.

`verify` checks the headers, the timestamp (five minutes either way, against a `now` the caller
passes, so tests move time) and the signature against every secret still valid (two during a
rotation), with a constant-time compare, BEFORE anything reads the body: it takes the raw bytes
and hands back only what the signed headers said. Refusals are `Problem`s, so a router that lets
them propagate answers with an RFC 9457 body: a missing or malformed header is 400, a stale
timestamp or a signature no secret made is 401.

Why not the `standardwebhooks` package (1.1.0, checked 2026-11): it reads the clock itself (no
`now` to pass), raises one exception type for every refusal, turns a malformed signature entry
into a `ValueError` (a 500 here) and a non-UTF-8 body into a `UnicodeDecodeError`, and takes one
secret per object. What it does is forty lines of HMAC, so this module implements the
specification and proves itself against the specification's published test vector
(tests/payments/test_webhook_signatures.py).

Used by the sandbox processor (services/payments/processors/sandbox.py) to sign and verify its
deliveries; the payments webhook router (services/payments/webhooks/) calls a processor's
`parse_webhook`, and any outgoing webhooks we send later sign with `signed_headers`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kernel.errors import Problem

TOLERANCE = timedelta(minutes=5)
SECRET_PREFIX = "whsec_"
#: The specification allows keys of 24 to 64 bytes; shorter ones are guessable.
MIN_KEY_BYTES, MAX_KEY_BYTES = 24, 64
#: A sender signs with at most a few secrets; a header with more entries is an attack on our CPU.
MAX_SIGNATURES = 8
_ID = re.compile(r"[A-Za-z0-9_.:\-]{1,128}")
_TIMESTAMP = re.compile(r"[0-9]{1,10}")  # up to the year 2286


class WebhookRefused(Problem):
    """A delivery we do not trust; nothing in its body has been read."""

    status, code, title = 401, "webhook-refused", "Webhook refused"


class WebhookHeadersInvalid(WebhookRefused):
    status, code, title = 400, "webhook-headers", "Webhook headers missing or malformed"


class WebhookStale(WebhookRefused):
    code, title = "webhook-stale", "Webhook timestamp outside the tolerance"


class WebhookSignatureInvalid(WebhookRefused):
    code, title = "webhook-signature", "Webhook signature does not match"


class WebhookSecretInvalid(ValueError):
    """A configured secret is unusable: configuration is wrong, not the request."""


@dataclass(frozen=True, repr=False)
class WebhookSecret:
    """A signing key. Its repr never shows the key, so it cannot leak into a log."""

    key: bytes

    @classmethod
    def parse(cls, text: str) -> WebhookSecret:
        raw = text.strip().removeprefix(SECRET_PREFIX)
        try:
            key = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
        except binascii.Error:
            raise WebhookSecretInvalid("a webhook secret is whsec_ followed by base64") from None
        if not MIN_KEY_BYTES <= len(key) <= MAX_KEY_BYTES:
            raise WebhookSecretInvalid(
                f"a webhook secret's key has {MIN_KEY_BYTES} to {MAX_KEY_BYTES} bytes")
        return cls(key)

    @classmethod
    def generate(cls) -> WebhookSecret:
        return cls(secrets.token_bytes(32))

    def text(self) -> str:
        return SECRET_PREFIX + base64.b64encode(self.key).decode("ascii")

    def __repr__(self) -> str:
        return "WebhookSecret(***)"


@dataclass(frozen=True)
class VerifiedDelivery:
    """What the signed headers vouch for: the body may now be parsed."""

    webhook_id: str
    timestamp: datetime


def _digest(secret: WebhookSecret, webhook_id: str, timestamp: int, body: bytes) -> bytes:
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    return hmac.new(secret.key, signed, hashlib.sha256).digest()


def sign(secret: WebhookSecret, webhook_id: str, timestamp: int, body: bytes) -> str:
    """One `v1,<base64>` signature entry."""
    return "v1," + base64.b64encode(_digest(secret, webhook_id, timestamp, body)).decode("ascii")


def signed_headers(
    secrets_: Sequence[WebhookSecret], webhook_id: str, body: bytes, now: datetime
) -> dict[str, str]:
    """The three headers of a delivery, signed with every secret given (the new one and the old
    one during a rotation, so receivers that know either accept it)."""
    if not secrets_:
        raise WebhookSecretInvalid("signing needs at least one secret")
    if not _ID.fullmatch(webhook_id):
        raise ValueError("a webhook id is 1 to 128 letters, digits or _.:-")
    timestamp = int(now.timestamp())
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(sign(s, webhook_id, timestamp, body) for s in secrets_),
    }


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value.strip()
    raise WebhookHeadersInvalid(f"the {name} header is missing")


def _signatures(header: str) -> Iterable[bytes]:
    entries = header.split()
    if not entries or len(entries) > MAX_SIGNATURES:
        raise WebhookHeadersInvalid(f"webhook-signature holds 1 to {MAX_SIGNATURES} entries")
    for entry in entries:
        version, sep, value = entry.partition(",")
        if not sep:
            raise WebhookHeadersInvalid("a webhook-signature entry is version,signature")
        if version != "v1":  # v1a (asymmetric) and future schemes: not ours to check
            continue
        try:
            yield base64.b64decode(value, validate=True)
        except binascii.Error:
            continue  # not a signature any secret made


def verify(
    body: bytes,
    headers: Mapping[str, str],
    secrets_: Sequence[WebhookSecret],
    *,
    now: datetime,
    tolerance: timedelta = TOLERANCE,
) -> VerifiedDelivery:
    """Accepts the delivery if its timestamp is within `tolerance` of `now` and one `v1`
    signature was made by one of `secrets_`; raises a `WebhookRefused` otherwise."""
    if not secrets_:
        raise WebhookSecretInvalid("verifying needs at least one secret")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    webhook_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    signature = _header(headers, "webhook-signature")
    if not _ID.fullmatch(webhook_id):
        raise WebhookHeadersInvalid("webhook-id is 1 to 128 letters, digits or _.:-")
    if not _TIMESTAMP.fullmatch(stamp):
        raise WebhookHeadersInvalid("webhook-timestamp is integer Unix seconds")
    timestamp = int(stamp)
    signed_at = datetime.fromtimestamp(timestamp, UTC)
    if abs(now - signed_at) > tolerance:
        raise WebhookStale(f"signed at {signed_at.isoformat()}, more than {tolerance} from now")
    expected = [_digest(s, webhook_id, timestamp, body) for s in secrets_]
    matched = False
    for given in _signatures(signature):
        for candidate in expected:
            # No early exit: the time taken does not tell which entry or secret matched.
            matched |= hmac.compare_digest(candidate, given)
    if not matched:
        raise WebhookSignatureInvalid("no signature matches a current secret")
    return VerifiedDelivery(webhook_id=webhook_id, timestamp=signed_at)
