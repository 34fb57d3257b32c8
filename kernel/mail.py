"""E-mail: SMTP to any server named by a URL, or the development inbox in demo mode.

One SMTP path, `send_many(settings, messages)`: notifications' thousands over a few
connections, one answer per message. `send_mail(settings, message)` is that path for one message,
a refusal raised as a 503 (portal identity's links). With `TAPLINE_SMTP_URL` set, mail goes
over SMTP (aiosmtplib); without it in demo mode, it is written as an `.eml` file under
`data_dir/mail`, where `dev_inbox` (and the gateway's `/api/mail/dev-inbox`) shows it, so a demo
runs with no mail server and still shows what a customer would have received. Outside demo
mode, no URL is an operator's mistake: sending is refused with a 503 rather than mail silently
going nowhere.

Addresses and bodies are personal data: nothing here logs them (only the Message-ID).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import format_datetime, make_msgid, parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import aiosmtplib

from kernel.clock import utc_now
from kernel.errors import Problem
from kernel.settings import Settings

log = logging.getLogger("tapline.mail")

#: URL scheme -> (default port, implicit TLS, STARTTLS: True required / None when offered)
_SCHEMES: dict[str, tuple[int, bool, bool | None]] = {
    "smtp": (25, False, None),
    "smtp+starttls": (587, False, True),
    "smtps": (465, True, False),
}


class MailUnavailable(Problem):
    """The message could not be handed to a mail server; nothing was sent."""

    status, code, title = 503, "mail-unavailable", "E-mail could not be sent"


@dataclass(frozen=True)
class SmtpTarget:
    hostname: str
    port: int
    use_tls: bool
    start_tls: bool | None
    username: str | None
    password: str | None


def smtp_target(url: str) -> SmtpTarget:
    """What a `TAPLINE_SMTP_URL` names: host, port, TLS mode and login."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise ValueError(
            f"TAPLINE_SMTP_URL: scheme must be one of {', '.join(_SCHEMES)}, not {scheme!r}")
    if not parts.hostname:
        raise ValueError("TAPLINE_SMTP_URL names no host")
    default_port, use_tls, start_tls = _SCHEMES[scheme]
    return SmtpTarget(
        hostname=parts.hostname, port=parts.port or default_port, use_tls=use_tls,
        start_tls=start_tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def uses_dev_inbox(settings: Settings) -> bool:
    """Mail is kept in the development inbox: demo mode and no SMTP server configured."""
    return settings.smtp_url is None and settings.demo


def inbox_dir(settings: Settings) -> Path:
    return settings.data_dir / "mail"


def _complete(settings: Settings, message: Message) -> None:
    if "From" not in message:
        message["From"] = settings.mail_from
    if "Date" not in message:
        message["Date"] = format_datetime(utc_now())
    if "Message-ID" not in message:
        message["Message-ID"] = make_msgid(domain="tapline.invalid")


async def send_mail(settings: Settings, message: Message) -> None:
    """Hand one message over: `send_many([message])`, the one SMTP path, with a refusal (the
    server down or saying no) raised as `MailUnavailable` (503) for a caller that answers a
    request (portal identity's links). Notifications call `send_many` and keep the refusals."""
    [refused] = await send_many(settings, [message])
    if refused is not None:
        raise MailUnavailable("The mail server did not take the message; try again")


@dataclass(frozen=True)
class Refusal:
    """Why the server would not take one message: `permanent` (5xx: the address or the message
    will never be taken) or not (4xx, a dropped connection: try again later)."""

    permanent: bool
    reason: str


async def send_many(settings: Settings, messages: Sequence[Message]) -> list[Refusal | None]:
    """Hand many messages over a few SMTP connections at once (`smtp_connections`; a
    notification run sends thousands: a connection each would spend its time in handshakes, one
    in all would wait on every round trip). One answer per message, in order: None when the
    server took it. A connection lost midway leaves its rest refused, for a retry."""
    for m in messages:
        _complete(settings, m)
    if settings.smtp_url is None:
        if not settings.demo:
            raise MailUnavailable("No mail server is configured (TAPLINE_SMTP_URL)")
        for m in messages:
            _keep(settings, m)
        return [None] * len(messages)
    target = smtp_target(settings.smtp_url.get_secret_value())
    k = max(1, min(settings.smtp_connections, len(messages)))
    shares = await asyncio.gather(*(_over_one(settings, target, messages[i::k])
                                    for i in range(k)))
    out: list[Refusal | None] = [None] * len(messages)
    for i, share in enumerate(shares):
        out[i::k] = share
    log.info("mail: %d of %d handed over", sum(r is None for r in out), len(messages))
    return out


async def _over_one(settings: Settings, target: SmtpTarget, messages: Sequence[Message]
                    ) -> list[Refusal | None]:
    out: list[Refusal | None] = []
    smtp = aiosmtplib.SMTP(hostname=target.hostname, port=target.port, use_tls=target.use_tls,
                           start_tls=target.start_tls, timeout=settings.smtp_timeout)
    try:
        await smtp.connect()
        if target.username and target.password:
            await smtp.login(target.username, target.password)
        for m in messages:
            try:
                await smtp.send_message(m)
                out.append(None)
            except aiosmtplib.SMTPRecipientsRefused as exc:
                codes = [e.code for e in exc.recipients]
                out.append(Refusal(all(c >= 500 for c in codes), "recipient refused"))
            except aiosmtplib.SMTPResponseException as exc:
                out.append(Refusal(exc.code >= 500, f"server said {exc.code}"))
    except (aiosmtplib.SMTPException, OSError) as exc:
        log.warning("mail: connection lost after %d of %d: %s", len(out), len(messages),
                    type(exc).__name__)
    finally:
        with contextlib.suppress(aiosmtplib.SMTPException, OSError):
            await smtp.quit()
    out += [Refusal(False, "connection lost")] * (len(messages) - len(out))
    return out


def _keep(settings: Settings, message: Message) -> None:
    folder = inbox_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    # Named so that sorting the names sorts by time; written whole, then renamed into place.
    name = f"{utc_now().strftime('%Y%m%dT%H%M%S%f')}-{uuid.uuid4().hex[:8]}.eml"
    tmp = folder / f".{name}.tmp"
    tmp.write_bytes(message.as_bytes(policy=policy.SMTP))
    os.replace(tmp, folder / name)
    log.info("mail %s kept in the development inbox", message["Message-ID"])


@dataclass(frozen=True)
class DevMail:
    """One message in the development inbox."""

    id: str
    sent_at: datetime
    sender: str
    to: str
    subject: str
    text: str
    html: str | None


def _body(message: EmailMessage, kind: str) -> str | None:
    part = message.get_body(preferencelist=(kind,))
    if part is None or not isinstance(part, EmailMessage):
        return None
    return str(part.get_content())


def dev_inbox(settings: Settings, limit: int = 200) -> list[DevMail]:
    """The development inbox's messages, newest first (at most `limit`)."""
    folder = inbox_dir(settings)
    if not folder.is_dir():
        return []
    found: list[DevMail] = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:limit]:
        parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        date = parsed["Date"]
        found.append(DevMail(
            id=path.stem, sent_at=parsedate_to_datetime(str(date)) if date else utc_now(),
            sender=str(parsed["From"] or ""), to=str(parsed["To"] or ""),
            subject=str(parsed["Subject"] or ""), text=_body(parsed, "plain") or "",
            html=_body(parsed, "html"),
        ))
    return found
