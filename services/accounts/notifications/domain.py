"""The rules of notifying a customer (pure): which kinds there are and who may turn them off,
which channels a message goes by, when a text may be sent, how a failed send is retried, what a
bounce report says.

Accounts is the one place that talks to customers: other services announce facts (a bill, a
payment, a past-due step, a leak) and the handlers here turn each into at most one message per
channel, keyed by what caused it, so a redelivered event sends nothing twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email import message_from_bytes, policy
from email.message import Message
from typing import Literal
from zoneinfo import ZoneInfo

Channel = Literal["email", "text"]
Choice = Literal["email", "text", "both", "none"]


@dataclass(frozen=True)
class Kind:
    name: str
    #: What is sent when the customer chose nothing.
    default: Choice
    #: May the customer turn it off? (An e-bill is the bill of a paperless customer; an autopay
    #: pre-notice is what NACHA asks before a debit of a changing amount.)
    may_opt_out: bool
    #: Shown to staff and on the portal's preferences page.
    label: str


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("e_bill", "email", False, "E-bill ready"),
    Kind("payment_receipt", "email", True, "Payment receipt"),
    Kind("autopay_prenotice", "email", False, "Autopay: the amount before it is drawn"),
    Kind("payment_returned", "email", True, "Payment returned or failed"),
    Kind("due_reminder", "email", True, "Due-date reminder"),
    Kind("past_due", "email", True, "Past-due reminder"),
    Kind("leak_alert", "both", True, "Possible leak"),
    Kind("high_usage", "email", True, "High water use"),
    Kind("service_visit", "email", True, "Service visit"),
    Kind("service_started", "email", True, "Service started"),
    Kind("service_stopped", "email", True, "Service stopped"),
)}


def choice_of(kind: Kind, chosen: Choice | None) -> Choice:
    """What the customer gets of `kind`: their choice, else the kind's default; `none` for a
    kind that may not be turned off reads as the default."""
    choice: Choice = chosen or kind.default
    if choice == "none" and not kind.may_opt_out:
        return kind.default
    return choice


def channels_for(kind: Kind, chosen: Choice | None, email: str | None, phone: str | None,
                 texts_allowed: bool, suppressed: frozenset[tuple[str, str]],
                 only: tuple[str, ...] | None = None) -> list[tuple[Channel, str]]:
    """(channel, address) pairs a message of `kind` goes to. Texts need the customer's consent
    to texts and a phone; nothing goes to a suppressed address or phone. `only` narrows the
    choice to these channels (a leak alert's own preference).

    A customer who chose texts but cannot be texted (no mobile number, no consent, or they
    texted STOP) gets the e-mail instead when they have an address, whatever the kind: they
    asked to be told, and the portal promises e-mail until texts can go."""
    choice = choice_of(kind, chosen)
    want_email = choice in ("email", "both") and (only is None or "email" in only)
    want_text = choice in ("text", "both") and (only is None or "text" in only)
    out: list[tuple[Channel, str]] = []
    can_text = bool(phone) and texts_allowed and ("text", phone) not in suppressed
    can_email = bool(email) and ("email", email) not in suppressed
    if want_text and can_text and phone:
        out.append(("text", phone))
    if (want_email or (want_text and not can_text)) and can_email and email:
        out.append(("email", email))
    return out


def dedupe_key(source: str, kind: str, channel: str) -> str:
    """One message per cause, kind and channel: `source` names the cause (an event id, or a
    fact such as `bill:<id>`)."""
    return f"{source}:{kind}:{channel}"


# ---- when ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuietHours:
    """No texts between `start` and `end` local time (a span across midnight is fine)."""

    start: time
    end: time
    zone: ZoneInfo

    def next_allowed(self, at: datetime) -> datetime:
        """`at` itself when a text may go then, else the end of the quiet hours (UTC)."""
        local = at.astimezone(self.zone)
        t = local.timetz().replace(tzinfo=None)
        if self.start == self.end:
            return at
        quiet = (self.start <= t < self.end) if self.start < self.end else (
            t >= self.start or t < self.end)
        if not quiet:
            return at
        day = local.date() if t < self.end else local.date() + timedelta(days=1)
        return datetime.combine(day, self.end, self.zone).astimezone(at.tzinfo)


#: Attempts and the wait before each retry; after the last, the message has failed.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
           timedelta(hours=2), timedelta(hours=6))


def retry_at(attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed tries (None: give up)."""
    if attempts > len(BACKOFF):
        return None
    return now + BACKOFF[attempts - 1]


def morning_of(day: date, zone: ZoneInfo, hour: int = 8) -> datetime:
    """A message meant for a day goes out that morning, local time."""
    return datetime.combine(day, time(hour), zone)


# ---- what a bounce report says ----------------------------------------------------------------

@dataclass(frozen=True)
class Bounce:
    """A delivery status notification (RFC 3464) about one of our messages."""

    message_id: str | None  # our Message-ID, from the returned headers
    recipient: str | None
    status: str  # the enhanced status code, e.g. 5.1.1
    action: str  # failed / delayed / delivered / relayed / expanded
    diagnostic: str

    @property
    def hard(self) -> bool:
        """A permanent failure: the address will not work, so nothing more goes to it."""
        return self.action == "failed" and self.status.startswith("5.")


_STATUS = re.compile(r"^[245]\.\d{1,3}\.\d{1,3}$")


def parse_bounce(raw: bytes) -> Bounce | None:
    """The bounce in a DSN (multipart/report; report-type=delivery-status), or None when the
    mail is not one (an autoresponder, a reply)."""
    msg = message_from_bytes(raw, policy=policy.default)
    if msg.get_content_type() != "multipart/report":
        return None
    status_part: Message | None = None
    returned: Message | None = None
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            status_part = part
        elif ctype in ("message/rfc822", "text/rfc822-headers"):
            returned = part
    if status_part is None:
        return None
    fields = _status_fields(status_part)
    status = fields.get("status", "")
    if not _STATUS.match(status):
        return None
    recipient = fields.get("final-recipient") or fields.get("original-recipient")
    if recipient and ";" in recipient:
        recipient = recipient.split(";", 1)[1].strip()
    return Bounce(message_id=_returned_message_id(returned), recipient=recipient,
                  status=status, action=fields.get("action", "").lower(),
                  diagnostic=fields.get("diagnostic-code", ""))


def _status_fields(part: Message) -> dict[str, str]:
    """The per-recipient fields of a delivery-status part (the first recipient's)."""
    payload = part.get_payload()
    fields: dict[str, str] = {}
    for block in payload if isinstance(payload, list) else []:
        if not isinstance(block, Message):
            continue
        for name, value in block.items():
            fields.setdefault(name.lower(), " ".join(str(value).split()))
    if not fields:  # some parsers leave the text whole
        text = part.get_payload(decode=True) or b""
        for line in bytes(text).decode("utf-8", "replace").splitlines():
            name, sep, value = line.partition(":")
            if sep:
                fields.setdefault(name.strip().lower(), value.strip())
    return fields


def _returned_message_id(part: Message | None) -> str | None:
    if part is None:
        return None
    payload = part.get_payload()
    inner: Message | None = None
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        inner = payload[0]
    elif isinstance(payload, (str, bytes)):
        raw = payload.encode() if isinstance(payload, str) else payload
        inner = message_from_bytes(raw, policy=policy.default)
    if inner is None:
        return None
    mid = inner.get("Message-ID")
    return str(mid).strip() if mid else None


def message_id_for(message_uuid: str, domain: str) -> str:
    """Our Message-ID names the message record, so a bounce finds it."""
    return f"<{message_uuid}@{domain}>"


def record_of(message_id: str | None) -> str | None:
    """The message record a Message-ID of ours names."""
    if not message_id:
        return None
    m = re.match(r"^<([0-9a-f-]{36})@", message_id.strip())
    return m.group(1) if m else None


def masked(address: str) -> str:
    """For the contact log: enough to recognise, not enough to copy."""
    if "@" in address:
        name, _, host = address.partition("@")
        return f"{name[:1]}***@{host}"
    return f"***{address[-4:]}"
