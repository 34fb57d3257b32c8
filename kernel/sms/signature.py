"""Twilio's webhook signature, checked by the library's own `RequestValidator`.

Twilio signs a form post with HMAC-SHA1 (or HMAC-SHA256 under a SharedKey, named in
`X-Twilio-Webhooks-Signature-Settings`) of the full URL it posted to followed by every form
field's name and value in name order, base64 in `X-Twilio-Signature`. The sandbox signs its
inbound messages with `sign` below (the library's `compute_signature`), so a sandbox message
passes the very verification a Twilio one does.

`verify` reads nothing of the form but what the signature needs: the bytes are decoded and
split into fields only to recompute the signature, and the fields are handed back only once it
matched one of the tokens (two while the auth token is rotated).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import parse_qsl

from twilio.request_validator import (
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)

from kernel.sms.base import (
    InboundMessage,
    MessageStatus,
    SmsMalformed,
    SmsRefused,
    SmsSignatureMissing,
    StatusUpdate,
)

#: A Twilio message webhook is a few hundred bytes; anything near this is not one.
MAX_BODY = 64 * 1024


class _Form(dict[str, list[str]]):
    """Form fields with repeats kept, as `RequestValidator` reads a Flask MultiDict."""

    def getall(self, name: str) -> list[str]:
        return self[name]


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        lower = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lower), None)
    return value


def _form(body: bytes) -> _Form:
    form = _Form()
    for name, value in parse_qsl(body.decode("utf-8"), keep_blank_values=True):
        form.setdefault(name, []).append(value)
    return form


def verify(tokens: Sequence[str], url: str, body: bytes,
           headers: Mapping[str, str]) -> dict[str, str]:
    """The form's fields (first value of each), once the signature matched a token."""
    if len(body) > MAX_BODY:
        raise SmsMalformed("The body is larger than any message webhook")
    signature = _header(headers, SIGNATURE_HEADER)
    if not signature:
        raise SmsSignatureMissing(f"No {SIGNATURE_HEADER} header")
    algorithm = get_signature_algorithm(_header(headers, SIGNATURE_SETTINGS_HEADER))
    try:
        form = _form(body)
    except UnicodeDecodeError:
        raise SmsRefused() from None  # the provider signs UTF-8 forms only
    if not any(RequestValidator(t).validate(url, form, signature, algorithm) for t in tokens):
        raise SmsRefused()
    return {name: values[0] for name, values in form.items()}


def sign(token: str, url: str, fields: Mapping[str, str]) -> str:
    """The `X-Twilio-Signature` a provider holding `token` sends with `fields` posted to `url`."""
    return str(RequestValidator(token).compute_signature(url, dict(fields)))


def required(fields: Mapping[str, str], *names: str) -> list[str]:
    missing = [n for n in names if not fields.get(n)]
    if missing:
        raise SmsMalformed(f"The message lacks {', '.join(missing)}")
    return [fields[n] for n in names]


def inbound(provider: str, tokens: Sequence[str], url: str, body: bytes,
            headers: Mapping[str, str]) -> InboundMessage:
    """A verified inbound message (Twilio's form: MessageSid, From, To, Body)."""
    fields = verify(tokens, url, body, headers)
    sid, sender, to = required(fields, "MessageSid", "From", "To")
    return InboundMessage(provider, sid, sender, to, fields.get("Body", ""))


def status(provider: str, tokens: Sequence[str], url: str, body: bytes,
           headers: Mapping[str, str]) -> StatusUpdate:
    """A verified status callback (MessageSid, MessageStatus, ErrorCode)."""
    fields = verify(tokens, url, body, headers)
    sid, state = required(fields, "MessageSid", "MessageStatus")
    return StatusUpdate(provider, sid, MessageStatus.of(state), fields.get("ErrorCode") or None)
