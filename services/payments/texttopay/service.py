"""Use cases of text-to-pay: a phone enrolled for an account and confirmed, balance messages
texted, and the customer's answers (PAY, YES, STOP, HELP) acted on.

Texts are sent inside the request's transaction, after its rows are flushed: a refused number
rolls the enrolment back with it. A text sent by a transaction that then fails is sent again by
the retry (at least once); PAY itself charges once whatever is retried, under the balance
message's own idempotency key at the processor.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal, ensure_own_account
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.outbox import Event, publish
from kernel.sms import (
    InvalidPhone,
    SentMessage,
    SmsGateway,
    SmsRejected,
    SmsUnavailable,
    classify,
    e164,
    mask,
)
from kernel.sms.sandbox import SandboxSms
from services.payments.copy import service as copy
from services.payments.copy.service import Account
from services.payments.methods import service as methods
from services.payments.processors.base import (
    ChargeRequest,
    ChargeStatus,
    MethodKind,
    Processor,
    ProcessorUnavailable,
    UnknownPaymentMethod,
)
from services.payments.texttopay import domain
from services.payments.texttopay import repository as repo
from services.payments.texttopay.domain import Intent, PayVerdict, Voice
from services.payments.texttopay.repository import Enrolment
from services.payments.texttopay.schemas import (
    BalanceMessageOut,
    BalanceRunOut,
    EnrolmentOut,
    SandboxTextOut,
)

log = logging.getLogger("tapline.payments.texttopay")
SMS = Principal(sub="sms", role="system", name="Inbound text")


@dataclass(frozen=True)
class Texting:
    """What text-to-pay talks through, and the district's settings for it."""

    sms: SmsGateway
    processor: Processor
    voice: Voice
    reply_days: int
    confirm_minutes: int
    #: Where the provider reports delivery (None: the provider's default).
    status_url: str | None = None


class CodeWrong(Unprocessable):
    code, title = "texttopay-code", "The confirmation code does not match"


async def _notify(t: Texting, phone: str, body: str) -> str | None:
    """A best-effort text (a reply, a notice): refused or unanswered ones are logged by kind,
    never by number or words, and change nothing else."""
    try:
        return (await t.sms.send(phone, body)).message_id
    except (InvalidPhone, SmsRejected, SmsUnavailable) as exc:
        log.warning("texttopay: a reply was not sent (%s)", type(exc).__name__)
        return None


# -- enrolment -----------------------------------------------------------------------------------

async def _out(s: AsyncSession, e: Enrolment) -> EnrolmentOut:
    messages = await repo.messages_of(s, e.id)
    return EnrolmentOut(
        id=e.id, account_id=e.account_id, phone=e.phone, method_kind=e.method_kind,
        method_display=e.method_display, status=e.status,
        requested_by=e.requested_by, created_at=e.created_at, code_expires_at=e.code_expires_at,
        confirmed_at=e.confirmed_at, confirmed_by=e.confirmed_by, cancelled_at=e.cancelled_at,
        cancel_reason=e.cancel_reason,
        messages=[BalanceMessageOut(id=m.id, bill_id=m.bill_id, sent_on=m.sent_on,
                                    valid_through=m.valid_through, amount=m.amount,
                                    due_date=m.due_date, status=m.status,
                                    charge_status=m.charge_status, charged_at=m.charged_at)
                  for m in messages])


async def _account(s: AsyncSession, account_id: uuid.UUID) -> Account:
    """The account as payments' copy has it; 404 while payments has not heard of it."""
    acct = await copy.account_by_id(s, account_id)
    if acct is None:
        raise NotFound("No such account", field="account_id")
    return acct


def _payload(e: Enrolment, **extra: Any) -> dict[str, Any]:
    return {"enrolment_id": str(e.id), "account_id": str(e.account_id), "phone": e.phone,
            "method_kind": e.method_kind, "method_display": e.method_display,
            "status": e.status, **extra}


async def _cancel(s: AsyncSession, e: Enrolment, by: str, reason: str, now: datetime) -> None:
    """Only an enrolment that was announced (active) announces its end."""
    done = await repo.cancel(s, e.id, by, reason, now)
    if e.status == "active":
        await publish(s, [Event("payments.TextToPayCancelled", f"account:{e.account_id}",
                                _payload(done, reason=reason, cancelled_by=by,
                                         effective_at=now.isoformat()))], actor=by)


async def enrol_with(s: AsyncSession, who: Principal, t: Texting, account_id: uuid.UUID,
                     phone_text: str, method_id: uuid.UUID | None, token: str | None,
                     now: datetime) -> EnrolmentOut:
    """The portal's enrolment: one of the account's saved methods, or a processor's token."""
    if (method_id is None) == (token is None):
        raise Unprocessable("Choose one saved method (method_id) or give a token",
                            field="method_id")
    if method_id is not None:
        token = await methods.usable_token(s, who, account_id, method_id)
    assert token is not None
    return await enrol(s, who, t, account_id, phone_text, token, now)


async def enrol(s: AsyncSession, who: Principal, t: Texting, account_id: uuid.UUID,
                phone_text: str, token: str, now: datetime) -> EnrolmentOut:
    """Registers `phone_text` for the account with a processor's saved method, pending until
    the phone confirms (the code texted to it, or a YES reply)."""
    ensure_own_account(who, account_id)
    acct = await _account(s, account_id)
    if acct.status == "closed":
        raise Conflict("A closed account pays nothing by text", field="account_id")
    phone = e164(phone_text)
    method = await asyncio.to_thread(t.processor.payment_method, token)
    await repo.lock_account(s, account_id)
    other = await repo.active_of_phone(s, phone)
    if other is not None and other.account_id != account_id:
        raise Conflict("This phone already pays another account by text; it must stop that "
                       "first (STOP)", field="phone")
    for earlier in await repo.of_account(s, account_id):
        if earlier.status == "pending":
            await _cancel(s, earlier, who.sub, "replaced", now)
    eid, code = uuid.uuid4(), domain.new_code()
    e = await repo.insert_enrolment(
        s, id=eid, account_id=account_id, phone=phone, method_token=token,
        method_kind=method.kind.value, method_display=method.display,
        code_hash=domain.code_hash(str(eid), code),
        code_expires_at=now + timedelta(minutes=t.confirm_minutes), requested_by=who.sub,
        requested_role=who.role, now=now)
    await audit.record(s, who, "texttopay-enrol", "texttopay_enrolment", str(eid),
                       after={"account_id": account_id, "phone": mask(phone),
                              "method": method.display})
    await t.sms.send(phone, domain.confirm_text(t.voice, acct.number, method.display, code,
                                                t.confirm_minutes))
    return await _out(s, e)


async def _activate(s: AsyncSession, t: Texting, e: Enrolment, by: str, actor: str,
                    now: datetime) -> Enrolment:
    """Confirmed: the account's earlier registered phone (if any) is replaced."""
    await repo.lock_account(s, e.account_id)
    other = await repo.active_of_phone(s, e.phone)
    if other is not None and other.account_id != e.account_id:
        raise Conflict("This phone already pays another account by text", field="phone")
    for earlier in await repo.of_account(s, e.account_id):
        if earlier.status == "active":
            await _cancel(s, earlier, actor, "replaced", now)
    done = await repo.activate(s, e.id, by, now)
    await publish(s, [Event("payments.TextToPayEnrolled", f"account:{e.account_id}",
                            _payload(done, confirmed_by=by, requested_by=e.requested_by,
                                     effective_at=now.isoformat()))], actor=actor)
    return done


async def _enrolment(s: AsyncSession, who: Principal, enrolment_id: uuid.UUID,
                     lock: bool = False) -> Enrolment:
    e = await repo.get(s, enrolment_id, lock)
    if e is None:
        raise NotFound("No such text-to-pay enrolment", field="enrolment_id")
    ensure_own_account(who, e.account_id)
    return e


async def _live(s: AsyncSession, who: Principal, account_id: uuid.UUID) -> Enrolment:
    ensure_own_account(who, account_id)
    for e in await repo.of_account(s, account_id):
        if e.status != "cancelled":
            return e
    raise NotFound("The account has no text-to-pay phone", field="account_id")


async def confirm(s: AsyncSession, who: Principal, t: Texting, enrolment_id: uuid.UUID,
                  code: str, now: datetime) -> EnrolmentOut:
    e = await _enrolment(s, who, enrolment_id, lock=True)
    if e.status != "pending":
        raise Conflict(f"The enrolment is {e.status}, not waiting for its code")
    if now > e.code_expires_at or e.code_attempts >= domain.MAX_CODE_ATTEMPTS:
        raise Conflict("The code has expired or was tried too often: enrol the phone again",
                       field="code")
    if not domain.code_matches(str(e.id), code, e.code_hash):
        left = domain.MAX_CODE_ATTEMPTS - await repo.count_attempt(s, e.id)
        raise CodeWrong(f"{max(left, 0)} attempts left", field="code", commit=True)
    done = await _activate(s, t, e, "code", who.sub, now)
    await audit.record(s, who, "texttopay-confirm", "texttopay_enrolment", str(e.id),
                       after={"confirmed_by": "code"})
    acct = await _account(s, e.account_id)
    await _notify(t, e.phone, domain.enrolled_text(t.voice, acct.number, e.method_display))
    return await _out(s, done)


async def confirm_live(s: AsyncSession, who: Principal, t: Texting, account_id: uuid.UUID,
                       code: str, now: datetime) -> EnrolmentOut:
    return await confirm(s, who, t, (await _live(s, who, account_id)).id, code, now)


async def cancel(s: AsyncSession, who: Principal, enrolment_id: uuid.UUID, reason: str,
                 now: datetime) -> EnrolmentOut:
    e = await _enrolment(s, who, enrolment_id, lock=True)
    if e.status == "cancelled":
        return await _out(s, e)  # a repeated cancel changes nothing
    await _cancel(s, e, who.sub, reason, now)
    await audit.record(s, who, "texttopay-cancel", "texttopay_enrolment", str(e.id),
                       before={"status": e.status}, after={"status": "cancelled"},
                       reason=reason)
    return await _out(s, await _enrolment(s, who, enrolment_id))


async def cancel_live(s: AsyncSession, who: Principal, account_id: uuid.UUID, reason: str,
                      now: datetime) -> EnrolmentOut:
    return await cancel(s, who, (await _live(s, who, account_id)).id, reason, now)


async def get(s: AsyncSession, who: Principal, enrolment_id: uuid.UUID) -> EnrolmentOut:
    return await _out(s, await _enrolment(s, who, enrolment_id))


async def live(s: AsyncSession, who: Principal, account_id: uuid.UUID) -> EnrolmentOut:
    return await _out(s, await _live(s, who, account_id))


async def of_account(s: AsyncSession, who: Principal, account_id: uuid.UUID
                     ) -> list[EnrolmentOut]:
    ensure_own_account(who, account_id)
    return [await _out(s, e) for e in await repo.of_account(s, account_id)]


async def account_closed(s: AsyncSession, account_id: uuid.UUID, now: datetime) -> int:
    """Accounts closed the account: its registered (or pending) phone ends."""
    ended = 0
    for e in await repo.of_account(s, account_id):
        if e.status != "cancelled":
            await _cancel(s, e, "accounts", "account-closed", now)
            ended += 1
    return ended


# -- balance messages ----------------------------------------------------------------------------

#: Texts in flight at once during a run (a provider's API answers in ~100 ms; one at a time, a
#: district's 20,000 phones would take most of an hour).
SEND_CONCURRENCY = 16


async def _send_each(t: Texting, texts: list[tuple[uuid.UUID, str, str]]
                     ) -> list[tuple[uuid.UUID, SentMessage | Exception]]:
    gate = asyncio.Semaphore(SEND_CONCURRENCY)

    async def one(mid: uuid.UUID, phone: str, body: str) -> tuple[uuid.UUID,
                                                                 SentMessage | Exception]:
        async with gate:
            try:
                return mid, await t.sms.send(phone, body, status_callback=t.status_url)
            except (InvalidPhone, SmsRejected, SmsUnavailable) as exc:
                return mid, exc

    return list(await asyncio.gather(*(one(*x) for x in texts)))


async def balance_messages(s: AsyncSession, who: Principal, t: Texting,
                           today: date) -> BalanceRunOut:
    """Texts every registered phone whose account owes: once per bill and day, so a re-run
    (or a retried request) texts nobody twice. Rows are written in one statement, the texts
    sent concurrently, their outcomes written in one more."""
    enrolled = {str(e.account_id): e for e in await repo.active(s)}
    due = await copy.balances_due(s, list(enrolled))
    rows = [repo.NewMessage(uuid.uuid4(), enrolled[d.account_id].id,
                            enrolled[d.account_id].account_id, d.bill_id, d.balance, d.due_date)
            for d in due]
    inserted = await repo.insert_messages(s, rows, sent_on=today,
                                          valid_through=today + timedelta(days=t.reply_days),
                                          provider=t.sms.name)
    texts = [(r.id, enrolled[d.account_id].phone,
              domain.balance_text(t.voice, d.number, d.balance, d.due_date,
                                  enrolled[d.account_id].method_display))
             for r, d in zip(rows, due, strict=True) if r.id in inserted]
    outcomes = await _send_each(t, texts)
    Outcome = tuple[uuid.UUID, str | None, str, str | None]
    sent: list[Outcome] = [(mid, out.message_id, out.status.value, None)
                           for mid, out in outcomes if isinstance(out, SentMessage)]
    failed: list[Outcome] = [(mid, None, "failed", type(out).__name__) for mid, out in outcomes
                             if isinstance(out, InvalidPhone | SmsRejected)]
    unavailable = [mid for mid, out in outcomes if isinstance(out, SmsUnavailable)]
    await repo.messages_sent(s, sent + failed)
    await repo.forget_messages(s, unavailable)
    result = BalanceRunOut(today=today, sent=len(sent), already_sent=len(rows) - len(inserted),
                           failed=len(failed), unavailable=len(unavailable))
    await audit.record(s, who, "texttopay-balance-messages", "texttopay_run", today.isoformat(),
                       after=result.model_dump(exclude={"today"}))
    return result


async def delivery_status(s: AsyncSession, sms: SmsGateway, url: str, body: bytes,
                          headers: Any) -> tuple[str, str]:
    """A provider's status callback: verified first, then the balance message's status moves
    forward (callbacks arrive in any order)."""
    update = sms.parse_status(url, body, headers)
    m = await repo.message_by_provider_id(s, sms.name, update.message_id)
    if m is None:
        return update.message_id, "unknown"
    if not domain.status_moves(m.status, update.status.value):
        return update.message_id, "unchanged"
    await repo.message_sent(s, m.id, m.provider_message_id, update.status.value,
                            update.error_code)
    return update.message_id, "updated"


# -- the sandbox's phone, for the demo ---------------------------------------------------------

def _sandbox(sms: SmsGateway) -> SandboxSms:
    if not isinstance(sms, SandboxSms):
        raise NotFound("Only the sandbox SMS provider has a test phone", field="provider")
    return sms


def sandbox_outbox(sms: SmsGateway, phone: str | None, limit: int) -> list[SandboxTextOut]:
    """What the sandbox 'delivered', newest first (the demo's phone screen)."""
    box = _sandbox(sms)
    found = box.to(e164(phone)) if phone else list(box.outbox)
    return [SandboxTextOut(message_id=m.message_id, to=m.to, body=m.body, sent_at=m.sent_at)
            for m in reversed(found[-limit:])]


async def sandbox_text(s: AsyncSession, t: Texting, url: str, from_phone: str, body: str,
                       today: date, now: datetime) -> tuple[str, str]:
    """A customer's text made up in the demo: signed by the sandbox as Twilio would sign it,
    then handled exactly as a provider's webhook is. Only with the sandbox processor too: staff
    must never be able to make up a PAY that charges a real card."""
    if t.processor.name != "sandbox":
        raise NotFound("The test phone only pays the sandbox processor", field="provider")
    post = _sandbox(t.sms).inbound(url, e164(from_phone, "from_phone"), body)
    return await inbound(s, t, url, post.body, post.headers, today, now)


# -- inbound texts -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Handled:
    outcome: str
    reply: str | None
    enrolment_id: uuid.UUID | None = None
    balance_message_id: uuid.UUID | None = None


async def inbound(s: AsyncSession, t: Texting, url: str, body: bytes, headers: Any,
                  today: date, now: datetime) -> tuple[str, str]:
    """A customer's text: verified before anything is read or written, handled once per
    provider message id, answered. (message id, outcome)."""
    msg = t.sms.parse_inbound(url, body, headers)
    intent = domain.intent(classify(msg.body))
    if not await repo.record_inbound(s, t.sms.name, msg.message_id, intent.value):
        return msg.message_id, "duplicate"
    try:
        phone: str | None = e164(msg.from_phone)
    except InvalidPhone:
        phone = None  # a short code or an alphanumeric sender: nobody to answer
    if phone is None:
        done = _Handled("unknown-number", None)
    else:
        done = await _handle(s, t, phone, intent, today, now)
        if intent in (Intent.STOP, Intent.START, Intent.HELP):
            # A carrier keyword reaches every text programme on the number, not only this
            # one: accounts' notifications stop (or resume) texting the phone too.
            await publish(s, [Event("payments.TextKeywordReceived", f"phone:{phone}", {
                "phone": phone, "keyword": intent.value, "received_at": now.isoformat()})],
                actor=SMS.sub)
    await repo.inbound_outcome(s, t.sms.name, msg.message_id, done.outcome, done.enrolment_id,
                               done.balance_message_id)
    if done.reply and phone is not None:
        await _notify(t, phone, done.reply)
    log.info("texttopay: inbound %s read as %s: %s", msg.message_id, intent.value, done.outcome)
    return msg.message_id, done.outcome


async def _handle(s: AsyncSession, t: Texting, phone: str, intent: Intent, today: date,
                  now: datetime) -> _Handled:
    v = t.voice
    live = await repo.live_of_phone(s, phone)
    active = next((e for e in live if e.status == "active"), None)
    if intent is Intent.STOP:
        for e in live:
            await _cancel(s, e, SMS.sub, "stop", now)
            await audit.record(s, SMS, "texttopay-cancel", "texttopay_enrolment", str(e.id),
                               before={"status": e.status}, after={"status": "cancelled"},
                               reason="STOP")
        return _Handled("stopped", domain.stop_text(v), live[0].id if live else None)
    if intent is Intent.HELP:
        return _Handled("help", domain.help_text(v), live[0].id if live else None)
    if intent is Intent.START:
        return _Handled("start", domain.start_text(v), live[0].id if live else None)
    if intent is Intent.YES:
        return await _yes(s, t, live, active, now)
    if intent is Intent.PAY:
        if active is None and live:
            return _Handled("not-confirmed", domain.confirm_first_text(v), live[0].id)
        if active is None:
            return _Handled("unknown-number", domain.unknown_number_text(v))
        return await _pay(s, t, active, today, now)
    if not live:
        return _Handled("unknown-number", domain.unknown_number_text(v))
    return _Handled("unknown-keyword", domain.unknown_keyword_text(v), live[0].id)


async def _yes(s: AsyncSession, t: Texting, live: list[Enrolment], active: Enrolment | None,
               now: datetime) -> _Handled:
    pending = next((e for e in live if e.status == "pending" and now <= e.code_expires_at
                    and e.code_attempts < domain.MAX_CODE_ATTEMPTS), None)
    if pending is None:
        if active is not None:
            acct = await _account(s, active.account_id)
            return _Handled("already-enrolled", domain.enrolled_text(
                t.voice, acct.number, active.method_display), active.id)
        return _Handled("no-pending", domain.no_pending_text(t.voice))
    try:
        done = await _activate(s, t, pending, "reply", SMS.sub, now)
    except Conflict:
        return _Handled("phone-taken", domain.no_pending_text(t.voice), pending.id)
    await audit.record(s, SMS, "texttopay-confirm", "texttopay_enrolment", str(done.id),
                       after={"confirmed_by": "reply"})
    acct = await _account(s, done.account_id)
    return _Handled("confirmed", domain.enrolled_text(t.voice, acct.number,
                                                      done.method_display), done.id)


async def _pay(s: AsyncSession, t: Texting, e: Enrolment, today: date,
               now: datetime) -> _Handled:
    m = await repo.latest_message(s, e.id)
    acct = await _account(s, e.account_id)
    quote = None if m is None else domain.Quote(m.amount, m.valid_through, m.charge_status)
    verdict = domain.judge_pay(quote, today, acct.balance,
                               account_open=acct.status != "closed")
    amount = m.amount if m is not None else None
    if verdict is not PayVerdict.CHARGE or m is None:
        return _Handled(verdict.value, domain.pay_refusal_text(t.voice, verdict, amount,
                                                              acct.balance),
                        e.id, m.id if m else None)
    request = ChargeRequest(account_ref=acct.number, amount=m.amount,
                            payment_method=e.method_token, kind=MethodKind(e.method_kind),
                            idempotency_key=m.charge_key)
    try:
        charge = await asyncio.to_thread(t.processor.charge, request)
    except ProcessorUnavailable:
        return _Handled("processor-unavailable", domain.unavailable_text(t.voice), e.id, m.id)
    except UnknownPaymentMethod:
        return _Handled("method-invalid", domain.method_invalid_text(t.voice), e.id, m.id)
    await repo.record_charge(s, m.id, charge.payment_id, charge.status.value, now)
    if charge.status is ChargeStatus.FAILED:
        return _Handled("declined", domain.pay_refusal_text(
            t.voice, PayVerdict.DECLINED, m.amount, acct.balance), e.id, m.id)
    return _Handled("charged", domain.paid_text(t.voice, m.amount, e.method_display,
                                                charge.payment_id), e.id, m.id)
