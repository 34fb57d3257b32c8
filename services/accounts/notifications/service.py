"""Use cases of notifications.

`notify` is the public entry for every feature and handler: "tell these accounts this", each
notice named by its cause (`source`), so the same cause never sends twice. It resolves the
customer, their choices and consent, and queues one message per channel, set-based.
`send_round` is the sender's step (claim, render, send, record); it commits on its own, outside
any request, because a message handed to a mail server cannot be taken back by a rollback.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.clock import utc_now
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.mail import Refusal, send_many
from kernel.settings import Settings, get_settings
from kernel.sms.base import InvalidPhone, SmsGateway, SmsRejected, SmsUnavailable
from kernel.sms.phone import e164
from services.accounts.contacts import service as contact_log
from services.accounts.notifications import domain, repository, templates
from services.accounts.notifications.schemas import (
    MessageOut,
    PreferenceOut,
    PreviewOut,
    UndeliverableOut,
)

log = logging.getLogger("tapline.notifications")

#: How notifications appear in the contact log.
CATEGORY, ACTOR = "notification", "notifications"
#: Seconds a claimed message is the sender's before another may take it.
LEASE_SECONDS = 300


@dataclass(frozen=True)
class Notice:
    """Something to tell an account's customer. `source` names its cause (an event id, or
    `bill:<id>`); `not_before` delays it (an autopay pre-notice days ahead)."""

    account_id: uuid.UUID
    kind: str
    source: str
    facts: dict[str, Any] = field(default_factory=dict)
    not_before: datetime | None = None
    source_event_id: uuid.UUID | None = None
    #: Only these channels (a leak alert's own preference), else the customer's choice.
    only: tuple[str, ...] | None = None


def zone(settings: Settings | None = None) -> ZoneInfo:
    return ZoneInfo((settings or get_settings()).timezone)


def quiet_hours(settings: Settings | None = None) -> domain.QuietHours:
    s = settings or get_settings()
    return domain.QuietHours(time.fromisoformat(s.notify_quiet_start),
                             time.fromisoformat(s.notify_quiet_end), zone(s))


def status_url() -> str:
    """Where the SMS provider reports what became of a text (the router's status path)."""
    from kernel.sms.configured import webhook_url
    return webhook_url(get_settings(), "/api/accounts/notifications/sms/status")


def portal_url(settings: Settings) -> str:
    base = settings.payments_portal_public_url or f"http://{settings.host}:{settings.port}"
    return base.rstrip("/") + "/portal"


def district(settings: Settings | None = None) -> dict[str, Any]:
    s = settings or get_settings()
    return {"name": s.utility_name, "phone": s.district_phone, "portal_url": portal_url(s)}


async def notify(s: AsyncSession, notices: list[Notice], now: datetime | None = None) -> int:
    """Queue the messages these notices make (one per channel the customer gets); returns how
    many are new. Nothing is sent here: the sender takes them after the commit.

    A whole delivery (a bill run's e-bills) is one statement for every customer who gets the
    kind by e-mail only; only the notices of customers who chose texts take the longer way
    (their phone in E.164, quiet hours). Every message of one call is due at the same `now`,
    so an account's messages keep the order of the events that caused them."""
    if not notices:
        return 0
    now = now or utc_now()
    for n in notices:
        if n.kind not in domain.KINDS:
            raise ValueError(f"unknown notification kind {n.kind!r}")
    queued, texting = await repository.enqueue_emails(s, [repository.EmailNotice(
        n.account_id, n.kind, domain.dedupe_key(n.source, n.kind, "email"), n.facts,
        n.not_before, n.source_event_id, n.only is None or "email" in n.only)
        for n in notices], _KIND_ROWS, now)
    if texting:
        queued += await _notify_texting(s, [notices[i] for i in texting], now)
    return queued


_KIND_ROWS = [repository.KindRow(k.name, k.default, k.may_opt_out) for k in domain.KINDS.values()]


async def _notify_texting(s: AsyncSession, notices: list[Notice], now: datetime) -> int:
    """The notices of customers who chose texts (or texts and e-mail), one by one in Python:
    `domain.channels_for` decides, with the phone in E.164 and the quiet hours."""
    people = {r.account_id: r for r in await repository.recipients(
        s, sorted({n.account_id for n in notices}))}
    chosen = await repository.preferences(s, sorted({r.customer_id for r in people.values()}))
    phones = {a: _mobile(r.phone) for a, r in people.items()}
    addresses = [("email", r.email) for r in people.values() if r.email] + [
        ("text", p) for p in phones.values() if p]
    blocked = await repository.suppressed(s, addresses)
    quiet = quiet_hours()
    rows: list[repository.NewMessage] = []
    for n in notices:
        who = people.get(n.account_id)
        if who is None:
            continue
        kind = domain.KINDS[n.kind]
        choice = chosen.get((who.customer_id, n.kind))
        for channel, address in domain.channels_for(
                kind, choice, who.email, phones[n.account_id], who.texts_allowed,  # type: ignore[arg-type]
                blocked, n.only):
            at = max(n.not_before or now, now)
            if channel == "text":
                at = quiet.next_allowed(at)
            rows.append(repository.NewMessage(
                id=uuid.uuid4(), dedupe_key=domain.dedupe_key(n.source, n.kind, channel),
                account_id=n.account_id, customer_id=who.customer_id, kind=n.kind,
                channel=channel, language=who.language, recipient=address,
                facts={"name": who.name, "account_number": who.account_number, **n.facts},
                not_before=at, source_event_id=n.source_event_id))
    return await repository.enqueue(s, rows)


def _mobile(phone: str | None) -> str | None:
    """The phone in E.164, as texts need it; None when it is not one a text can reach."""
    if not phone:
        return None
    try:
        return e164(phone)
    except InvalidPhone:
        return None


# ---- sending ----------------------------------------------------------------------------------

@dataclass
class Channels:
    """What the sender sends through (the tests give their own SMS sandbox)."""

    settings: Settings
    sms: SmsGateway | None


def _render(m: repository.MessageRow, settings: Settings) -> templates.Rendered:
    return templates.render(m.kind, m.language, m.facts, district=district(settings),
                            zone=settings.timezone,
                            extra=str(settings.notify_templates) if settings.notify_templates
                            else None)


def _email(m: repository.MessageRow, r: templates.Rendered, settings: Settings) -> Message:
    """The message in the stdlib's `email.mime` classes: a quarter of the cost of
    `EmailMessage` with the modern policy, which a run of thousands notices."""
    e: Message = MIMEMultipart("alternative") if r.html else MIMEText(r.text, "plain", "utf-8")
    if r.html:
        e.attach(MIMEText(r.text, "plain", "utf-8"))
        e.attach(MIMEText(r.html, "html", "utf-8"))
    e["From"] = settings.mail_from
    e["To"] = m.recipient
    # a non-ASCII subject as RFC 2047 words (compat32 takes a Header object for them)
    e["Subject"] = r.subject if r.subject.isascii() else Header(r.subject, "utf-8")  # type: ignore[assignment]
    e["Message-ID"] = domain.message_id_for(str(m.id), "notifications.tapline.invalid")
    e["Auto-Submitted"] = "auto-generated"
    return e


def _failed_or_retry(m: repository.MessageRow, why: str, permanent: bool,
                     now: datetime) -> repository.Outcome:
    again = None if permanent else domain.retry_at(m.attempts, now)
    if again is None:
        return repository.Outcome(m.id, "failed", error=why)
    return repository.Outcome(m.id, "queued", error=why, retry_at=again)


async def send_round(session_factory: Any, channels: Channels, now: datetime | None = None
                     ) -> int:
    """Claim due messages, send them, record how each went (sent, retried with backoff, or
    failed) and log each sent one on the account. Returns how many were claimed."""
    settings = channels.settings
    now = now or utc_now()
    async with session_factory() as s:
        claimed = await repository.claim(s, now, settings.notify_batch, LEASE_SECONDS)
        await s.commit()
    if not claimed:
        return 0
    outcomes: list[repository.Outcome] = []
    contacts: list[tuple[uuid.UUID, str, str]] = []
    mails: list[tuple[repository.MessageRow, templates.Rendered, Message]] = []
    for m in claimed:
        try:
            r = _render(m, settings)
        except Exception as exc:  # a template that cannot render this message's facts
            log.error("notification %s: template %s/%s failed: %s", m.id, m.language, m.kind,
                      type(exc).__name__)
            outcomes.append(repository.Outcome(m.id, "failed", error="template failed"))
            continue
        if m.channel == "email":
            mails.append((m, r, _email(m, r, settings)))
            continue
        outcomes.append(await _text(m, r, channels.sms, now))
    if mails:
        refusals: list[Refusal | None]
        try:
            refusals = await send_many(settings, [e for _, _, e in mails])
        except Exception as exc:  # no mail server configured: every one waits for a retry
            log.warning("notifications: mail not sent: %s", type(exc).__name__)
            refusals = [Refusal(False, "mail unavailable")] * len(mails)
        for (m, r, e), refused in zip(mails, refusals, strict=True):
            if refused is None:
                outcomes.append(repository.Outcome(
                    m.id, "sent", subject=r.subject, body_text=r.text, body_html=r.html,
                    provider_id=str(e["Message-ID"])))
            else:
                outcomes.append(_failed_or_retry(m, refused.reason, refused.permanent, now))
    by_id = {m.id: m for m in claimed}
    for o in outcomes:
        if o.status == "sent":
            m = by_id[o.id]
            label = domain.KINDS[m.kind].label
            contacts.append((m.account_id, "email" if m.channel == "email" else "text",
                             f"{label}: sent by {m.channel} to {domain.masked(m.recipient)}"))
    async with session_factory() as s:
        await repository.record(s, outcomes, utc_now())
        await contact_log.log_many(s, contacts, CATEGORY, ACTOR)
        await s.commit()
    return len(claimed)


async def _text(m: repository.MessageRow, r: templates.Rendered, sms: SmsGateway | None,
                now: datetime) -> repository.Outcome:
    if sms is None:
        return repository.Outcome(m.id, "failed", error="no SMS provider")
    try:
        sent = await sms.send(m.recipient, r.sms, status_callback=status_url())
    except (InvalidPhone, SmsRejected) as exc:
        return _failed_or_retry(m, exc.title, True, now)
    except SmsUnavailable as exc:
        return _failed_or_retry(m, exc.title, False, now)
    return repository.Outcome(m.id, "sent", subject=r.subject, body_text=r.sms,
                              provider_id=f"{sent.provider}:{sent.message_id}")


# ---- what comes back: bounces, delivery, STOP ------------------------------------------------

async def bounced(s: AsyncSession, who: Principal, raw: bytes) -> MessageOut | None:
    """A delivery status notification: a hard bounce marks the message bounced, stops every
    further message to the address, and tells staff (the contact log and the undeliverable
    list); a soft one is noted. A mail that is not a bounce answers 422."""
    b = domain.parse_bounce(raw)
    if b is None:
        raise Unprocessable("Not a delivery status notification (multipart/report)",
                            field="body")
    ref = domain.record_of(b.message_id)
    m = await repository.message(s, uuid.UUID(ref), lock=True) if ref else None
    if m is None:
        raise NotFound("The report is not about a message of ours", field="body")
    if not b.hard:
        await repository.set_status(s, m.id, m.status, error=f"delayed: {b.status}")
        return await message_out(s, m.id)
    detail = f"{b.status} {b.diagnostic}".strip()[:300]
    await repository.set_status(s, m.id, "bounced", error=detail)
    await repository.suppress(s, "email", m.recipient, "hard_bounce", detail, m.id)
    await repository.cancel_to(s, "email", m.recipient, "the address bounced")
    await contact_log.log_many(s, [(m.account_id, "email", (
        f"E-mail to {domain.masked(m.recipient)} bounced ({b.status}): nothing more is sent "
        "there until the address is corrected"))], CATEGORY, who.sub)
    await audit.record(s, who, "notification.bounced", "notification_message", str(m.id),
                       reason=detail)
    return await message_out(s, m.id)


async def text_status(s: AsyncSession, provider_id: str, status: str,
                      error: str | None) -> None:
    """The SMS provider's later word on a text: delivered, or undelivered / failed."""
    m = await repository.by_provider_id(s, provider_id)
    if m is None:
        return
    if status == "delivered":
        await repository.set_status(s, m.id, "delivered")
    elif status in ("undelivered", "failed"):
        await repository.set_status(s, m.id, "failed", error=error or status)


async def keyword(s: AsyncSession, phone: str, word: str, reason: str = "stop") -> None:
    """A STOP from a phone ends every text to it (and what is queued); START lets them go on."""
    if word == "stop":
        await repository.suppress(s, "text", phone, reason, "the customer texted STOP", None)
        await repository.cancel_to(s, "text", phone, "the customer texted STOP")
    elif word == "start":
        await repository.unsuppress(s, "text", phone, "stop")


async def cancel_reminders(s: AsyncSession, account_ids: list[uuid.UUID]) -> int:
    """Due-date reminders of accounts that owe nothing now are not sent."""
    return await repository.cancel_queued(s, account_ids, ["due_reminder"],
                                          "paid before the reminder")


# ---- staff -----------------------------------------------------------------------------------

def _out(m: repository.MessageRow) -> MessageOut:
    return MessageOut(
        id=m.id, account_id=m.account_id, kind=m.kind, label=domain.KINDS[m.kind].label
        if m.kind in domain.KINDS else m.kind, channel=m.channel, language=m.language,
        recipient=domain.masked(m.recipient), status=m.status, attempts=m.attempts,
        subject=m.subject, body_text=m.body_text, last_error=m.last_error,
        queued_at=m.queued_at, not_before=m.not_before, sent_at=m.sent_at,
        delivered_at=m.delivered_at, failed_at=m.failed_at)


async def message_out(s: AsyncSession, message_id: uuid.UUID) -> MessageOut:
    m = await repository.message(s, message_id)
    if m is None:
        raise NotFound("No such message", field="message_id")
    return _out(m)


async def messages_of(s: AsyncSession, account_id: uuid.UUID, limit: int = 100
                      ) -> list[MessageOut]:
    return [_out(m) for m in await repository.messages_of(s, account_id, limit)]


async def resend(s: AsyncSession, who: Principal, message_id: uuid.UUID) -> MessageOut:
    """Staff send a failed or bounced message again (after the address was corrected)."""
    m = await repository.message(s, message_id, lock=True)
    if m is None:
        raise NotFound("No such message", field="message_id")
    if m.status not in ("failed", "bounced", "cancelled"):
        raise Conflict(f"The message is {m.status}; only a failed, bounced or cancelled one is "
                       "sent again")
    await repository.unsuppress(s, m.channel, m.recipient, "hard_bounce")
    await repository.requeue(s, m.id)
    await audit.record(s, who, "notification.resend", "notification_message", str(m.id))
    return await message_out(s, m.id)


SAMPLE: dict[str, dict[str, Any]] = {
    "e_bill": {"total": "84.20", "due_date": "2026-12-20", "statement_url": "https://example.org/s.pdf",
               "autopay": False},
    "payment_receipt": {"amount": "84.20", "received_on": "2026-12-02", "receipt": "R-000123"},
    "autopay_prenotice": {"amount": "84.20", "debit_on": "2026-12-20",
                          "method": "checking ****6789"},
    "payment_returned": {"amount": "84.20", "reason": "R01 insufficient funds"},
    "due_reminder": {"total": "84.20", "due_date": "2026-12-20"},
    "past_due": {"amount_past_due": "126.40", "disconnect_on": "2027-01-22"},
    "leak_alert": {"first_hour": "2026-12-01T08:00:00+00:00",
                   "last_hour": "2026-12-02T08:00:00+00:00", "peak_gph": "4.2",
                   "hours": [{"at": "2026-12-01T08:00:00+00:00", "gallons": "3.9"}]},
    "high_usage": {"first_hour": "2026-12-01T14:00:00+00:00",
                   "last_hour": "2026-12-01T16:00:00+00:00", "peak_gph": "310",
                   "hours": [{"at": "2026-12-01T14:00:00+00:00", "gallons": "310"}]},
    "service_visit": {"address": "12 Oak St", "scheduled_date": "2026-12-04",
                      "order_kind": "meter exchange"},
    "service_started": {"address": "12 Oak St", "start_date": "2026-12-01"},
    "service_stopped": {"address": "12 Oak St", "stop_date": "2026-12-31"},
}


def preview(kind: str, language: str, facts: dict[str, Any] | None = None) -> PreviewOut:
    """A kind's message with sample facts (or the given ones), as the customer would read it."""
    if kind not in domain.KINDS:
        raise NotFound("No such kind of message", field="kind")
    settings = get_settings()
    values = {"name": "María López", "account_number": "100027457", **SAMPLE.get(kind, {}),
              **(facts or {})}
    try:
        r = templates.render(kind, language, values, district=district(settings),
                             zone=settings.timezone)
    except templates.TemplateNotFound:
        raise
    except Exception as exc:
        raise Unprocessable(f"The template cannot be filled: {exc}", field="facts") from exc
    return PreviewOut(kind=kind, language=language, subject=r.subject, text=r.text, html=r.html,
                      sms=r.sms)


async def customer_of(s: AsyncSession, account_id: uuid.UUID) -> uuid.UUID:
    """An account's customer: choices are the customer's, for all of their accounts."""
    found = await repository.customer_of(s, account_id)
    if found is None:
        raise NotFound("No such account", field="account_id")
    return found


async def preferences_of(s: AsyncSession, customer_id: uuid.UUID) -> list[PreferenceOut]:
    chosen = await repository.preferences_of(s, customer_id)
    return [PreferenceOut(kind=k.name, label=k.label, channels=chosen.get(k.name, k.default),
                          default=k.default, may_opt_out=k.may_opt_out)
            for k in domain.KINDS.values()]


async def set_preference(s: AsyncSession, who: Principal, customer_id: uuid.UUID, kind: str,
                         channels: str) -> list[PreferenceOut]:
    k = domain.KINDS.get(kind)
    if k is None:
        raise NotFound("No such kind of message", field="kind")
    if channels == "none" and not k.may_opt_out:
        raise Unprocessable(f"{k.label} cannot be turned off (choose e-mail or text)",
                            field="channels")
    await repository.set_preference(s, customer_id, kind, channels, who.sub)
    await audit.record(s, who, "notification.preference", "customer", str(customer_id),
                       after={"kind": kind, "channels": channels})
    return await preferences_of(s, customer_id)


async def undeliverable(s: AsyncSession, limit: int = 200) -> list[UndeliverableOut]:
    return [UndeliverableOut(channel=u.channel, address=u.address, reason=u.reason,
                             detail=u.detail, since=u.since, account_ids=u.account_ids)
            for u in await repository.undeliverable(s, limit)]
