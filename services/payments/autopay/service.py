"""Autopay's use cases: enrol and cancel, the daily run that schedules debits from bills (and
charges card enrolments), and the NACHA file that posts the day's bank debits.

Every amount is decided from payments' copy of billing's balance at the moment it matters: when
the debit is scheduled (and the customer pre-noticed) and again when the money moves (file cut,
card charge), where a bill cancelled or paid meanwhile drops or lowers the debit. The bank
account number is decrypted only to write the file; everything else sees it masked.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.bankaccount import AccountType, BankAccount, BankKeyring, bank_keyring
from kernel.clock import utc_now
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.outbox import Event, publish
from kernel.settings import Settings, get_settings
from services.payments.autopay import domain, nacha
from services.payments.autopay import repository as repo
from services.payments.autopay.domain import BankingCalendar, Verdict
from services.payments.autopay.repository import Debit, DueDebit, Enrolment
from services.payments.autopay.schemas import (
    DebitOut,
    EnrolIn,
    EnrolmentOut,
    FileCutOut,
    FileOut,
    RotateOut,
    RunOut,
    Skipped,
)
from services.payments.lockbox.domain import reduce_remitter
from services.payments.lockbox.secret import remitter_secret
from services.payments.methods import service as methods
from services.payments.posting import domain as posting_domain
from services.payments.posting import service as posting
from services.payments.processors.base import (
    ChargeRequest,
    ChargeStatus,
    MethodKind,
    Processor,
    ProcessorUnavailable,
    UnknownPaymentMethod,
)
from services.payments.returns import standing

CALENDAR = BankingCalendar()
#: Who takes autopay's bank payments: one name, so a debit's key posts it once whoever cuts.
AUTOPAY = "autopay"
#: Returns that say the bank account itself is unusable: the same account is not enrolled again.
DEAD_ACCOUNT_CODES = frozenset({"R02", "R03", "R04"})


# ---- shapes -----------------------------------------------------------------------------------

def enrolment_out(e: Enrolment) -> EnrolmentOut:
    return EnrolmentOut(
        id=e.id, account_id=e.account_id, method=e.method, status=e.status, display=e.display,
        holder_name=e.holder_name, routing_number=e.routing_number,
        account_type=e.account_type, prenote_required=e.prenote_required,
        prenote_effective_on=e.prenote_effective_on, live_from=e.live_from,
        enrolled_on=e.enrolled_on, enrolled_by=e.enrolled_by, cancelled_on=e.cancelled_on,
        cancel_reason=e.cancel_reason, return_code=e.return_code)


def debit_out(d: Debit) -> DebitOut:
    return DebitOut(id=d.id, account_id=d.account_id, bill_id=d.bill_id,
                    enrolment_id=d.enrolment_id, method=d.method,
                    amount=d.sent_amount if d.sent_amount is not None else d.amount,
                    due_date=d.due_date, debit_on=d.debit_on, status=d.status,
                    drop_reason=d.drop_reason, trace_number=d.trace_number,
                    payment_id=d.payment_id)


def enrolment_payload(e: Enrolment, *, reason: str | None, effective_on: date) -> dict[str, Any]:
    """`payments.AutopayEnrolled` / `AutopayCancelled` (docs/events.md): the display is masked;
    `return_code` names the bank's return that ended it (null otherwise)."""
    return {"account_id": str(e.account_id), "enrolment_id": str(e.id), "method": e.method,
            "display": e.display, "status": e.status, "reason": reason,
            "effective_on": effective_on.isoformat(), "return_code": e.return_code}


# ---- enrolment --------------------------------------------------------------------------------

def keyring(settings: Settings | None = None) -> BankKeyring:
    return bank_keyring(settings or get_settings())


def account_hash(routing: str, number: str) -> str:
    """The keyed hash lockbox gives a check's bank account (routing + account), so one bank
    account is recognised across autopay and mailed checks, and never recoverable."""
    remitter = reduce_remitter(routing, number, remitter_secret(get_settings()))
    assert remitter is not None  # a validated account number is never empty
    return remitter.key


async def _account(s: AsyncSession, account_id: uuid.UUID) -> repo.AccountCopy:
    acct = await repo.account_copy(s, account_id)
    if acct is None:
        raise NotFound("No such account", field="account_id")
    return acct


async def enrolment(s: AsyncSession, account_id: uuid.UUID) -> EnrolmentOut:
    """The account's active enrolment, else its latest (ended, with the reason)."""
    e = await repo.latest_enrolment(s, account_id)
    if e is None:
        raise NotFound("The account is not enrolled in autopay", field="account_id")
    return enrolment_out(e)


async def enrol(s: AsyncSession, who: Principal, account_id: uuid.UUID, body: EnrolIn,
                today: date, processor: Processor) -> EnrolmentOut:
    acct = await _account(s, account_id)
    if acct.status == "closed":
        raise Conflict("The account is closed", field="account_id")
    if await repo.active_enrolment(s, account_id, lock=True) is not None:
        raise Conflict("The account is already enrolled in autopay: cancel that enrolment "
                       "first", field="account_id", reason="already_enrolled")
    eid = uuid.uuid4()
    holder = (body.holder_name or acct.name or "").strip()
    if not holder:
        raise Unprocessable("The name on the bank account is needed", field="holder_name")
    # A saved method named is checked first: another account's answers 404, whatever else
    # is wrong with the request (ids are never probed through a 422).
    saved = (await methods.usable_token(s, who, account_id, body.method_id)
             if body.method_id is not None else None)
    if body.method == "bank":
        new = await _bank_enrolment(s, eid, account_id, body, holder, today, who)
    else:
        new = await _card_enrolment(eid, account_id, body, saved, holder, today, who, processor)
    e = await repo.insert_enrolment(s, new)
    await publish(s, [Event("payments.AutopayEnrolled", f"account:{account_id}",
                            enrolment_payload(e, reason=None, effective_on=today))],
                  actor=who.sub)
    await audit.record(s, who, "enrol-autopay", "autopay_enrolment", str(e.id), after={
        "account_id": str(account_id), "method": e.method, "display": e.display,
        "routing_number": e.routing_number, "prenote_required": e.prenote_required})
    return enrolment_out(e)


def _refuse_fields(body: EnrolIn, *names: str) -> None:
    for name in names:
        if getattr(body, name) is not None:
            raise Unprocessable(f"A {body.method} enrolment takes no {name} (it was not kept)",
                                field=name)


async def _bank_enrolment(s: AsyncSession, eid: uuid.UUID, account_id: uuid.UUID,
                          body: EnrolIn, holder: str, today: date,
                          who: Principal) -> repo.NewEnrolment:
    _refuse_fields(body, "card_token", "method_id")
    if not body.routing_number:
        raise Unprocessable("A bank enrolment needs the routing number", field="routing_number")
    if not body.account_number:
        raise Unprocessable("A bank enrolment needs the account number", field="account_number")
    bank = BankAccount.parse(body.routing_number, body.account_number, body.account_type)
    digest = account_hash(bank.routing_number, bank.account_number)
    earlier = await repo.same_bank_account(s, digest)
    dead = next((e for e in earlier if e.return_code in DEAD_ACCOUNT_CODES), None)
    if dead is not None:
        raise Unprocessable(f"The bank returned a debit from this account ({dead.return_code}: "
                            f"{dead.cancel_reason}); enrol another account",
                            field="account_number", reason="returned_account")
    # An account already proven by an aged prenote that was never returned needs no new one.
    proven = next((e.live_from for e in earlier if e.live_from is not None
                   and e.live_from <= today and e.return_code is None), None)
    return repo.NewEnrolment(
        id=eid, account_id=str(account_id), method="bank",
        display=f"{bank.account_type} {bank.masked}", holder_name=holder,
        routing_number=bank.routing_number, account_type=str(bank.account_type),
        account_token=keyring().encrypt(bank.account_number, context=str(eid)),
        account_hash=digest, card_token=None, prenote_required=proven is None,
        live_from=today if proven is not None else None, enrolled_on=today,
        enrolled_by=who.sub)


async def _card_enrolment(eid: uuid.UUID, account_id: uuid.UUID, body: EnrolIn,
                          saved: str | None, holder: str, today: date, who: Principal,
                          processor: Processor) -> repo.NewEnrolment:
    """`saved`: the token of the saved card `method_id` names (already checked as the
    account's own)."""
    _refuse_fields(body, "routing_number", "account_number")
    if saved is not None:
        if body.card_token is not None:
            raise Unprocessable("Give a saved card or a card token, not both", field="method_id")
        token = saved
    else:
        token = (body.card_token or "").strip()
    if not token:
        raise Unprocessable("A card enrolment needs a saved card or the processor's card token",
                            field="card_token")
    if not posting_domain.is_token(token):
        raise Unprocessable("Cards are taken only as a processor's token; the value was not "
                            "kept", field="card_token")
    # A real processor answers over the network: off the event loop.
    method = await asyncio.to_thread(processor.payment_method, token)
    if method.kind is not MethodKind.CARD:
        raise UnknownPaymentMethod("The token is not a card", field="card_token")
    return repo.NewEnrolment(
        id=eid, account_id=str(account_id), method="card", display=method.display,
        holder_name=holder, routing_number=None, account_type=None, account_token=None,
        account_hash=None, card_token=token, prenote_required=False, live_from=today,
        enrolled_on=today, enrolled_by=who.sub)


async def cancel(s: AsyncSession, who: Principal, account_id: uuid.UUID, reason: str,
                 today: date) -> EnrolmentOut:
    """The enrolment ends today; its scheduled debits are dropped (nothing more is taken)."""
    e = await repo.active_enrolment(s, account_id, lock=True)
    if e is None:
        raise NotFound("The account is not enrolled in autopay", field="account_id")
    ended = await end_enrolment(s, who, e, reason=reason, on=today, return_code=None)
    return enrolment_out(ended)


async def end_enrolment(s: AsyncSession, who: Principal, e: Enrolment, *, reason: str,
                        on: date, return_code: str | None) -> Enrolment:
    await repo.drop_debits(s, await repo.scheduled_of_enrolment(s, e.id),
                           "enrolment_cancelled")
    ended = await repo.cancel_enrolment(s, e.id, on, who.sub, reason, return_code)
    await publish(s, [Event("payments.AutopayCancelled", f"account:{e.account_id}",
                            enrolment_payload(ended, reason=reason, effective_on=on))],
                  actor=who.sub)
    await audit.record(s, who, "cancel-autopay", "autopay_enrolment", str(e.id),
                       before={"status": e.status}, after={"status": ended.status,
                                                           "return_code": return_code},
                       reason=reason)
    return ended


# ---- the daily run ----------------------------------------------------------------------------

async def run(s: AsyncSession, who: Principal, today: date, processor: Processor) -> RunOut:
    """Schedule a debit for every bill due within the lead days (pre-noticed by
    `payments.AutopayDebitScheduled`), then charge the card debits due today. Running the same
    day again adds only what is new (a bill issued since), charges nothing twice."""
    settings = get_settings()
    await repo.lock(s, "run")
    bills = await repo.due_bills(s, today + timedelta(days=settings.autopay_lead_days))
    pending = await repo.scheduled_totals(s, sorted({b.account_id for b in bills}))
    held = await _cash_only(s, [b.account_id for b in bills if b.method == "bank"], today)
    planned: list[repo.NewDebit] = []
    skipped: list[Skipped] = []
    for b in bills:
        if b.method == "bank" and (b.cash_only or b.account_id in held):
            skipped.append(Skipped(account_id=b.account_id, bill_id=b.bill_id,
                                   reason="cash_only"))
            continue
        if b.balance is None:
            skipped.append(Skipped(account_id=b.account_id, bill_id=b.bill_id,
                                   reason="balance_unknown"))
            continue
        owed = domain.debit_amount(balance_due=b.balance - pending.get(b.account_id,
                                                                       Decimal("0")))
        if owed.amount is None:
            skipped.append(Skipped(account_id=b.account_id, bill_id=b.bill_id,
                                   reason=str(owed.reason)))
            continue
        planned.append(repo.NewDebit(
            enrolment_id=b.enrolment_id, account_id=b.account_id, bill_id=b.bill_id,
            method=b.method, amount=owed.amount, due_date=b.due_date,
            debit_on=_debit_date(b, today, settings)))
        pending[b.account_id] = pending.get(b.account_id, Decimal("0")) + owed.amount
    scheduled = await repo.insert_debits(s, planned, today)
    await publish(s, [Event("payments.AutopayDebitScheduled", f"account:{d.account_id}", {
        "debit_id": str(d.id), "account_id": str(d.account_id), "bill_id": str(d.bill_id),
        "amount": str(d.amount), "debit_on": d.debit_on.isoformat(), "method": d.method})
        for d in scheduled], actor=who.sub)
    charged, dropped = await _charge_cards(s, today, processor)
    if scheduled or charged or dropped:
        await audit.record(s, who, "run-autopay", "autopay_run", today.isoformat(), after={
            "scheduled": len(scheduled), "charged": len(charged), "dropped": len(dropped)})
    return RunOut(today=today, scheduled=[debit_out(d) for d in scheduled],
                  charged=[debit_out(d) for d in charged],
                  dropped=[debit_out(d) for d in dropped], skipped=skipped)


async def _cash_only(s: AsyncSession, account_ids: list[uuid.UUID],
                     on: date) -> set[uuid.UUID]:
    """Which accounts payments holds cash-only on `on` (after returns, or a supervisor's flag),
    asking the returns rule only about accounts with any return history."""
    return {a for a in await repo.with_return_history(s, sorted(set(account_ids)))
            if await standing.holds_cash_only(s, a, on)}


def _debit_date(b: repo.DueBill, today: date, settings: Settings) -> date:
    """A card is charged on the due date (today if that has passed); a bank debit settles on
    the due date's banking day, never before its prenote has aged."""
    if b.method == "card":
        return max(b.due_date, today)
    not_before = domain.live_debits_from(
        live_from=b.live_from, prenote_required=b.prenote_required, today=today,
        calendar=CALENDAR, wait=settings.autopay_prenote_days)
    return domain.schedule_debit(due_date=b.due_date, today=today, calendar=CALENDAR,
                                 not_before=not_before).settlement_date


def _review(d: DueDebit, settles_on: date | None, prenote_required: bool,
            held_cash_only: bool = False) -> domain.Review:
    """`settles_on` is None for a card (a processor payment is taken from a cash-only account
    too); for a bank debit, accounts' flag or payments' own (after returns) drops it."""
    return domain.review_debit(
        scheduled=d.amount, enrolment_active=d.enrolment_status == "active",
        bill_open=d.bill_status == "open", balance=d.balance, other_scheduled=d.others,
        cash_only=(d.cash_only or held_cash_only) and settles_on is not None,
        settles_on=settles_on,
        live_from=d.live_from, prenote_required=prenote_required)


async def _charge_cards(s: AsyncSession, today: date,
                        processor: Processor) -> tuple[list[Debit], list[Debit]]:
    """Card debits due by today, looked at again, charged through the processor under the
    debit's own idempotency key (a retried run never charges twice). The processor's webhook
    posts the payment (channel `processor`), as for any card payment."""
    charged: list[Debit] = []
    dropped: list[Debit] = []
    for d in await repo.due_debits(s, "card", today):
        review = _review(d, None, False)
        if review.verdict is Verdict.DROP:
            dropped += await repo.drop_debits(s, [d.id], review.reason or "dropped")
            continue
        if review.verdict is Verdict.HOLD or review.amount is None or not d.account_number:
            continue
        assert d.card_token is not None
        try:
            charge = await asyncio.to_thread(processor.charge, ChargeRequest(
                account_ref=d.account_number, amount=review.amount, payment_method=d.card_token,
                kind=MethodKind.CARD, idempotency_key=f"autopay:{d.id}"))
        except ProcessorUnavailable:
            continue  # still scheduled: the next run tries again under the same key
        except UnknownPaymentMethod:
            charged.append(await repo.mark_charged(s, d.id, "failed", review.amount, "",
                                                   "unknown_payment_method"))
            continue
        ok = charge.status is not ChargeStatus.FAILED
        charged.append(await repo.mark_charged(
            s, d.id, "charged" if ok else "failed", review.amount, charge.payment_id,
            None if ok else (charge.failure_code or "declined")))
    return charged, dropped


# ---- the NACHA file ---------------------------------------------------------------------------

def originator(settings: Settings) -> nacha.Originator:
    return nacha.Originator(
        immediate_destination=settings.autopay_immediate_destination,
        immediate_destination_name=settings.autopay_immediate_destination_name,
        immediate_origin=settings.autopay_immediate_origin,
        immediate_origin_name=settings.autopay_immediate_origin_name,
        company_name=settings.autopay_company_name, company_id=settings.autopay_company_id,
        odfi_routing=settings.autopay_odfi_routing,
        company_entry_description=settings.autopay_entry_description)


def file_out(f: repo.AutopayFile) -> FileOut:
    return FileOut(id=f.id, cut_on=f.cut_on, effective_on=f.effective_on, sha256=f.sha256,
                   entry_count=f.entry_count, debit_count=f.debit_count,
                   prenote_count=f.prenote_count, total=f.total, entry_hash=f.entry_hash,
                   block_count=f.block_count, cut_by=f.cut_by, cut_at=f.cut_at)


def _effective(today: date, effective_on: date | None) -> date:
    earliest = domain.first_possible_settlement(today, CALENDAR)
    if effective_on is None:
        return earliest
    if not CALENDAR.is_banking_day(effective_on):
        raise Unprocessable("The effective date must be a banking day (no weekend or Federal "
                            "Reserve holiday)", field="effective_on")
    if effective_on < earliest:
        raise Unprocessable(f"A file cut on {today} settles on {earliest} at the earliest",
                            field="effective_on")
    return effective_on


async def cut_file(s: AsyncSession, who: Principal, today: date,
                   effective_on: date | None) -> FileCutOut:
    """The day's NACHA PPD debit file: waiting prenotes and the bank debits due by its
    effective date, each looked at again first. Every live debit posts as a payment (channel
    `autopay`, tender `bank`) in this transaction, under the debit's own key. The same day again
    answers with the file already cut."""
    settings = get_settings()
    await repo.lock(s, "file")
    prior = await repo.file_on(s, today)
    if prior is not None:
        return FileCutOut(file=file_out(prior), duplicate=True,
                          debits=[debit_out(d) for d in await repo.debits_of_file(s, prior.id)],
                          dropped=[], held=[])
    effective = _effective(today, effective_on)
    prenotes = await repo.waiting_prenotes(s)
    sending: list[tuple[DueDebit, Decimal]] = []
    dropped: list[Debit] = []
    held: list[uuid.UUID] = []
    due = await repo.due_debits(s, "bank", effective)
    cash_only = await _cash_only(s, [d.account_id for d in due], effective)
    for d in due:
        review = _review(d, effective, d.prenote_required, d.account_id in cash_only)
        if review.verdict is Verdict.DROP:
            dropped += await repo.drop_debits(s, [d.id], review.reason or "dropped")
        elif review.verdict is Verdict.HOLD or review.amount is None:
            held.append(d.id)
        else:
            sending.append((d, review.amount))
    if not prenotes and not sending:
        return FileCutOut(file=None, duplicate=False, debits=[],
                          dropped=[debit_out(d) for d in dropped],
                          held=await _held(s, held))
    ring = keyring(settings)
    entries = [_entry(ring, e.id, e.routing_number, e.account_type, e.account_token,
                      e.holder_name, Decimal("0"), e.account_number) for e in prenotes]
    entries += [_entry(ring, d.enrolment_id, d.routing_number, d.account_type,
                       d.account_token, d.holder_name, amount, d.account_number or "")
                for d, amount in sending]
    first = await repo.last_trace_seq(s) + 1
    if first + len(entries) > 9_999_999:
        first = 1
    zone = ZoneInfo(settings.timezone)
    written = nacha.write_ppd_debit_file(
        originator(settings),
        [nacha.Batch(effective, entries, descriptive_date=effective.strftime("%b %y").upper())],
        created_at=utc_now().astimezone(zone).replace(tzinfo=None),
        first_trace_sequence=first)
    file_id = uuid.uuid4()
    f = await repo.insert_file(s, repo.NewFile(
        id=file_id, cut_on=today, effective_on=effective, file_id_modifier="A",
        content_sealed=ring.encrypt(written.text, context=f"autopay-file:{file_id}"),
        sha256=hashlib.sha256(written.text.encode("ascii")).hexdigest(),
        entry_count=len(written.entries), debit_count=len(sending),
        prenote_count=len(prenotes), total=written.total_debit,
        entry_hash=written.entry_hash, block_count=written.block_count,
        first_trace_seq=first, last_trace_seq=first + len(entries) - 1, cut_by=who.sub))
    traces = [w.trace_number for w in written.entries]
    await repo.set_prenotes(s, file_id, effective, domain.earliest_live_debit(
        effective, CALENDAR, settings.autopay_prenote_days), [
        (e.id, trace) for e, trace in zip(prenotes, traces[:len(prenotes)], strict=True)])
    payments = await posting.post_autopay(s, AUTOPAY, [posting_domain.BankDebitLine(
        key=f"autopay:{d.id}", account_id=str(d.account_id), account_number=d.account_number
        or "", amount=amount, received_on=effective) for d, amount in sending])
    sent = await repo.mark_sent(s, file_id, [
        repo.Sent(d.id, trace, amount, payments[f"autopay:{d.id}"])
        for (d, amount), trace in zip(sending, traces[len(prenotes):], strict=True)])
    await audit.record(s, who, "cut-autopay-file", "autopay_file", str(file_id), after={
        "cut_on": today, "effective_on": effective, "debits": len(sending),
        "prenotes": len(prenotes), "total": written.total_debit, "sha256": f.sha256})
    return FileCutOut(file=file_out(f), duplicate=False,
                      debits=sorted((debit_out(d) for d in sent),
                                    key=lambda x: x.trace_number or ""),
                      dropped=[debit_out(d) for d in dropped], held=await _held(s, held))


def _entry(ring: BankKeyring, enrolment_id: uuid.UUID, routing: str | None,
           account_type: str | None, token: str | None, holder: str, amount: Decimal,
           number: str) -> nacha.Debit:
    """One entry (a zero amount is the prenote); the number is opened only here. The
    customer's statement shows the utility account number as the id."""
    assert token is not None and routing and account_type
    return nacha.Debit(
        routing_number=routing, account_number=ring.decrypt(token, context=str(enrolment_id)),
        account_type=AccountType(account_type), amount=amount, individual_id=number,
        individual_name=holder, prenote=amount == 0)


async def _held(s: AsyncSession, ids: list[uuid.UUID]) -> list[DebitOut]:
    return [debit_out(d) for d in await repo.debits_by_id(s, ids)]


async def file_text(s: AsyncSession, who: Principal, file_id: uuid.UUID) -> tuple[str, str]:
    """(text, sha256) of a cut file, opened for download (audited: it names bank accounts)."""
    found = await repo.file_content(s, file_id)
    if found is None:
        raise NotFound("No such autopay file", field="file_id")
    f, sealed = found
    content = keyring().decrypt(sealed, context=f"autopay-file:{f.id}")
    await audit.record(s, who, "download-autopay-file", "autopay_file", str(f.id))
    return content, f.sha256


async def debits(s: AsyncSession, account_id: uuid.UUID) -> list[DebitOut]:
    return [debit_out(d) for d in await repo.debits_of_account(s, account_id)]



async def drop_for_bill(s: AsyncSession, bill_id: uuid.UUID, reason: str) -> list[DebitOut]:
    """The bill's debit, while still scheduled, is dropped (a redelivery finds none left)."""
    return [debit_out(d) for d in await repo.drop_debits(
        s, await repo.scheduled_of_bill(s, bill_id), reason)]


async def rotate_keys(s: AsyncSession, who: Principal) -> RotateOut:
    """Every enrolment's account number and every kept file re-sealed under the newest bank
    key (each with its own context, as sealed), in one transaction; audited without values."""
    ring = keyring()
    current = ring.current_key_id
    await repo.lock(s, "file")
    enrolments = [(e_id, ring.rotate(token, context=str(e_id)))
                  for e_id, token in await repo.sealed_enrolments(s)
                  if ring.needs_rotation(token)]
    files = [(f_id, ring.rotate(sealed, context=f"autopay-file:{f_id}"))
             for f_id, sealed in await repo.sealed_files(s) if ring.needs_rotation(sealed)]
    await repo.reseal(s, enrolments, files)
    if enrolments or files:
        await audit.record(s, who, "rotate-bank-keys", "autopay_bank_keys", current,
                           after={"enrolments": len(enrolments), "files": len(files)})
    return RotateOut(key_id=current, enrolments=len(enrolments), files=len(files))
