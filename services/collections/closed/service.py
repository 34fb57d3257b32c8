"""Use cases of closed accounts still owing after the closing bill.

The daily step (`run_daily`) is set-based: it opens a case for every closed account still
owing `grace_days` after its closing bill, ends the paid ones (recalling them from the agency),
and takes collection letters 1 and 2 on their days, one statement per step, the letters queued
through notices in one statement. Staff confirm a balance transfer to the customer's active
account (offered first), send the due accounts to the agency in a referral file, record what
the agency collected, and request write-offs that a supervisor other than the requester
approves. Each decision is announced in the same transaction (outbox); billing posts the
entries (`services/billing/ledger/collections_closed.py`).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.approval import approval_refusal
from kernel.auth import Principal, authority
from kernel.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.collections.closed import domain
from services.collections.closed import repository as repo
from services.collections.closed.schemas import (
    AgencyPaymentIn,
    AgencyPaymentOut,
    CaseDetail,
    CaseOut,
    PaymentsFileOut,
    ReferralOut,
    RunOut,
    TransferIn,
    TransferOut,
    WriteOffOut,
)
from services.collections.notices import service as notices
from services.collections.notices.domain import NoticeRequest
from services.collections.policy import service as policy

SYSTEM = "system"
#: The largest payments file the agency may send.
MAX_BYTES = 5_000_000


def _case_out(r: repo.CaseRow) -> CaseOut:
    p = policy.policy().closed_accounts
    st = domain.next_step(p, r.status, r.opened_on, r.letter_1_on, r.letter_2_on,
                          r.offer_declined_at is not None)
    return CaseOut(account_id=r.account_id, account_number=r.number, name=r.name,
                   status=r.status, closed_on=r.closed_on, opened_on=r.opened_on,
                   opening_balance=r.opening_balance, balance=r.balance,
                   transfer_to_account_id=r.transfer_to,
                   transfer_to_account_number=r.transfer_to_number,
                   offer_declined_by=r.offer_declined_by, letter_1_on=r.letter_1_on,
                   letter_2_on=r.letter_2_on, referral_id=r.referral_id,
                   referred_on=r.referred_on, referred_amount=r.referred_amount,
                   recalled_on=r.recalled_on, ended_on=r.ended_on, next_step=st.step,
                   next_on=st.on)


def _transfer_out(t: repo.Transfer) -> TransferOut:
    return TransferOut(transfer_id=t.id, from_account_id=t.from_account_id,
                       to_account_id=t.to_account_id, amount=t.amount,
                       transferred_on=t.transferred_on, confirmed_by=t.confirmed_by)


def _payment_out(p: repo.AgencyPayment) -> AgencyPaymentOut:
    return AgencyPaymentOut(payment_id=p.id, account_id=p.account_id,
                            agency_reference=p.agency_reference, amount=p.amount, fee=p.fee,
                            fee_added_to_debt=p.fee_added, received_on=p.received_on,
                            recorded_by=p.recorded_by, source=p.source)


def _write_off_out(w: repo.WriteOff) -> WriteOffOut:
    return WriteOffOut(write_off_id=w.id, account_id=w.account_id, amount=w.amount,
                       reason=w.reason, status=w.status, requested_by=w.requested_by,
                       requested_on=w.requested_on, decided_by=w.decided_by,
                       decided_at=w.decided_at, decision_note=w.decision_note,
                       written_off_on=w.written_off_on)


def _recalled(account_id: uuid.UUID, referral_id: uuid.UUID | None, on: date,
              reason: str) -> Event:
    return Event("collections.AgencyRecalled", f"account:{account_id}", {
        "account_id": str(account_id), "referral_id": str(referral_id) if referral_id else None,
        "recalled_on": on.isoformat(), "reason": reason})


# ---- the daily step --------------------------------------------------------------------------

async def run_daily(s: AsyncSession, today: date) -> dict[str, int]:
    """Open new cases, end the paid ones, take the letters due today. Running it twice on one
    day does nothing new (each step selects only what has not been done)."""
    p = policy.policy().closed_accounts
    opened = await repo.open_cases(s, today, p.grace_days, p.minimum_balance)
    paid = await repo.settle_paid(s, today)
    await publish(s, [_recalled(r.account_id, r.referral_id, today, "paid")
                      for r in paid if r.recalled], actor=SYSTEM)
    pay_by = today + timedelta(days=p.pay_within_days)
    first = await repo.take_letter_1(s, today, p.transfer_offer_days)
    second = await repo.take_letter_2(s, today, p.letter_2_days)
    await notices.queue(s, [
        *(NoticeRequest(account_id=r.account_id, kind="collection_letter_1",
                        reference=f"closed:{r.id}", amount=r.balance, action_on=pay_by)
          for r in first),
        *(NoticeRequest(account_id=r.account_id, kind="collection_letter_2",
                        reference=f"closed:{r.id}", amount=r.balance, action_on=pay_by)
          for r in second)], today=today, requested_by=SYSTEM)
    return {"opened": opened, "paid": len(paid), "recalled": sum(r.recalled for r in paid),
            "letter_1": len(first), "letter_2": len(second)}


async def run(s: AsyncSession, who: Principal, today: date) -> RunOut:
    counts = await run_daily(s, today)
    await audit.record(s, who, "run", "closed_accounts", today.isoformat(), after=counts)
    return RunOut(today=today, **counts)


# ---- the worklist ----------------------------------------------------------------------------

STAGES: dict[str, tuple[str, ...]] = {
    "open": domain.OPEN_STATUSES, "transfer_offered": ("transfer_offered",),
    "letters": ("letters",), "referred": ("referred",),
    "ended": ("transferred", "paid", "written_off"),
}


async def worklist(s: AsyncSession, today: date, stage: str, limit: int) -> list[CaseOut]:
    """Closed accounts still owing, oldest case first, each with its next step and its day
    (`stage=open`: every case not yet ended)."""
    return [_case_out(r) for r in await repo.worklist(s, today, STAGES[stage], limit)]


async def _case(s: AsyncSession, account_id: uuid.UUID, today: date) -> repo.CaseRow:
    r = await repo.case_row(s, account_id, today)
    if r is None:
        raise NotFound("This account has no closed-account case (a case opens when a closed "
                       "account still owes after its closing bill)", field="account_id")
    return r


async def case(s: AsyncSession, account_id: uuid.UUID, today: date) -> CaseDetail:
    r = await _case(s, account_id, today)
    t = await repo.transfer_of(s, r.id)
    return CaseDetail(**_case_out(r).model_dump(),
                      transfer=_transfer_out(t) if t else None,
                      agency_payments=[_payment_out(x) for x in
                                       await repo.payments_of(s, account_id)],
                      write_offs=[_write_off_out(w) for w in await repo.write_offs_of(s, r.id)])


async def _open_case(s: AsyncSession, account_id: uuid.UUID) -> repo.Case:
    c = await repo.lock_case(s, account_id)
    if c is None:
        raise NotFound("This account has no closed-account case", field="account_id")
    if c.status not in domain.OPEN_STATUSES:
        raise Conflict(f"This case has ended ({c.status})", case_status=c.status)
    return c


async def _balance(s: AsyncSession, account_id: uuid.UUID, today: date) -> Decimal:
    """The balance a transfer or write-off moves: every entry billing announced. Refused while
    collections' copy is behind billing (an entry announced and not yet delivered), since the
    amount would then not be billing's."""
    b = await repo.balance(s, account_id, today)
    if b.announced is not None and b.announced != b.all_entries:
        raise Conflict("Collections has not yet received every entry billing posted on this "
                       "account; try again in a moment", announced=f"{b.announced:.2f}",
                       received=f"{b.all_entries:.2f}")
    return b.all_entries


# ---- balance transfer ------------------------------------------------------------------------

async def confirm_transfer(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                           body: TransferIn, today: date) -> TransferOut:
    """Staff confirm the transfer of the closed account's whole balance to the same customer's
    active account: `collections.BalanceTransferred`, and billing posts `transfer_out` on the
    closed account and `transfer_in` on the active one. A referred case is recalled."""
    c = await _open_case(s, account_id)
    to_id = body.to_account_id or c.transfer_to
    if to_id is None:
        raise Unprocessable("The customer has no active account to transfer to",
                            field="to_account_id")
    to = await repo.account(s, to_id)
    if to is None or to.status != "active":
        raise Unprocessable("The receiving account is not an active account",
                            field="to_account_id")
    if to.id == c.account_id or c.customer_id is None or to.customer_id != c.customer_id:
        raise Unprocessable("A closed account's balance moves only to the same customer's "
                            "active account", field="to_account_id")
    amount = await _balance(s, account_id, today)
    if amount <= 0:
        raise Unprocessable("The closed account owes nothing", field="account_id",
                            balance=f"{amount:.2f}")
    t = repo.Transfer(id=uuid.uuid4(), case_id=c.id, from_account_id=account_id,
                      to_account_id=to.id, amount=amount, transferred_on=today,
                      confirmed_by=who.sub, reason=body.reason)
    await repo.insert_transfer(s, t)
    await repo.end_case(s, c.id, "transferred", today)
    events = [Event("collections.BalanceTransferred", f"account:{account_id}", {
        "transfer_id": str(t.id), "from_account_id": str(account_id),
        "to_account_id": str(to.id), "amount": f"{amount:.2f}",
        "transferred_on": today.isoformat(), "approved_by": who.sub})]
    if c.status == "referred":
        events.append(_recalled(account_id, c.referral_id, today, "transferred"))
    await publish(s, events, actor=who.sub)
    await audit.record(s, who, "transfer", "closed_account", str(account_id),
                       reason=body.reason, approver=who.sub,
                       after={"to": to.id, "amount": amount, "transfer_id": t.id})
    return _transfer_out(t)


async def decline_transfer(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                           reason: str, today: date) -> CaseOut:
    """Staff decline the offered transfer (the customer disputes it, the other account is not
    theirs ...): the letters start on the next daily step."""
    c = await _open_case(s, account_id)
    if c.status != "transfer_offered":
        raise Conflict("No transfer is waiting on this case", case_status=c.status)
    await repo.decline_offer(s, c.id, who.sub)
    await audit.record(s, who, "decline_transfer", "closed_account", str(account_id),
                       reason=reason)
    return _case_out(await _case(s, account_id, today))


# ---- the agency --------------------------------------------------------------------------

async def refer(s: AsyncSession, who: Principal, today: date) -> ReferralOut:
    """Every case whose letter 2 is `referral_days` old and still owes at least the agency's
    minimum goes to the agency in one referral (its file: `referral_csv`); each is announced
    (`collections.AgencyReferred`) and the customer is told (`agency_referral` letter)."""
    p = policy.policy()
    r = repo.Referral(id=uuid.uuid4(), agency=p.agency.name, referred_on=today, accounts=0,
                      total=Decimal("0.00"), created_by=who.sub)
    rows = await repo.refer_due(s, r, p.closed_accounts.referral_days,
                                p.agency.minimum_referral)
    total = sum((x.referred_amount for x in rows), Decimal("0.00"))
    if not rows:
        raise Unprocessable("No account is due for referral today", field="today")
    await publish(s, [Event("collections.AgencyReferred", f"account:{x.account_id}", {
        "referral_id": str(r.id), "account_id": str(x.account_id),
        "amount": f"{x.referred_amount:.2f}", "referred_on": today.isoformat(),
        "agency": p.agency.name}) for x in rows], actor=who.sub)
    await notices.queue(s, [NoticeRequest(account_id=x.account_id, kind="agency_referral",
                                          reference=f"referral:{r.id}",
                                          amount=x.referred_amount, action_on=None)
                            for x in rows], today=today, requested_by=who.sub)
    await audit.record(s, who, "refer", "agency_referral", str(r.id),
                       after={"accounts": len(rows), "total": total, "agency": p.agency.name})
    return ReferralOut(referral_id=r.id, agency=r.agency, referred_on=today,
                       accounts=len(rows), total=total)


async def referrals(s: AsyncSession, limit: int) -> list[ReferralOut]:
    return [ReferralOut(referral_id=r.id, agency=r.agency, referred_on=r.referred_on,
                        accounts=r.accounts, total=r.total) for r in await repo.referrals(s, limit)]


async def referral_csv(s: AsyncSession, referral_id: uuid.UUID) -> tuple[str, str]:
    """The file for the agency: account, name, last known mailing address, phones, e-mails,
    language, amount, last payment date, closed date."""
    r = await repo.referral(s, referral_id)
    if r is None:
        raise NotFound("No such referral", field="referral_id")
    rows = [domain.Referred(
        number=x.number, name=x.name or "",
        mailing=domain.mailing_of(x.account_mailing, x.customer_mailing),
        phones=domain.strings(x.phones), emails=domain.strings(x.emails), language=x.language,
        amount=x.referred_amount, last_payment_on=x.last_payment_on, closed_on=x.closed_on,
        referred_on=x.referred_on) for x in await repo.referred_accounts(s, referral_id)]
    return f"referral-{r.referred_on}-{str(r.id)[:8]}.csv", domain.referral_csv(rows)


async def recalls_csv(s: AsyncSession, since: date, until: date) -> str:
    """Accounts recalled from the agency (paid, transferred or written off) between two days,
    for the agency to close."""
    return domain.recall_csv([(r.number, r.name or "", r.referred_on, r.recalled_on, r.status)
                              for r in await repo.recalls(s, since, until)])


async def _record(s: AsyncSession, who: Principal, lines: list[domain.AgencyLine],
                  source: str) -> tuple[int, int]:
    """Records the lines not yet recorded (by the agency's reference), announced in the same
    statement; refuses the whole set when an account was never referred or a reference was
    recorded before with other figures. Returns (new, already recorded)."""
    p = policy.policy().agency
    numbers = sorted({ln.account_number for ln in lines})
    referred = {r.number for r in await repo.referred_numbers(s, numbers)}
    known = {k.agency_reference: k for k in
             await repo.known_references(s, [ln.reference for ln in lines])}
    fees = domain.fees(lines, p.commission_percent)
    errors: list[FieldError] = []
    for ln, fee in zip(lines, fees, strict=True):
        k = known.get(ln.reference)
        if ln.account_number not in referred:
            errors.append(FieldError(field=f"line {ln.line}", message=(
                f"account {ln.account_number} was not referred to the agency")))
        elif k is not None and (k.number, k.amount, k.fee, k.received_on) != (
                ln.account_number, ln.amount, fee, ln.received_on):
            errors.append(FieldError(field=f"line {ln.line}", message=(
                f"reference {ln.reference} was recorded before with other figures")))
    if errors:
        raise Unprocessable("The agency's payments were not recorded", errors=errors)
    new = await repo.record_payments(
        s, [domain.payment_id(ln.reference) for ln in lines],
        [ln.account_number for ln in lines], [ln.amount for ln in lines], fees,
        [ln.received_on for ln in lines], [ln.reference for ln in lines],
        p.fee_added_to_debt, who.sub, source)
    return new, len(lines) - new


async def record_payment(s: AsyncSession, who: Principal,
                         body: AgencyPaymentIn) -> AgencyPaymentOut:
    """One payment the agency reports (by its reference: reported again, it is recorded once).
    `collections.AgencyPaymentRecorded`: billing credits `agency_payment` and, when the policy
    adds the agency's fee to the debt, debits the `collection_fee`."""
    ln = domain.AgencyLine(1, domain.account_number(body.account_number), body.amount,
                           body.fee, body.received_on, body.agency_reference)
    new, _ = await _record(s, who, [ln], "entry")
    got = await repo.payment(s, domain.payment_id(ln.reference))
    assert got is not None
    if new:
        await audit.record(s, who, "agency_payment", "closed_account", str(got.account_id),
                           after={"amount": got.amount, "fee": got.fee,
                                  "reference": got.agency_reference})
    return _payment_out(got)


async def record_payments_file(s: AsyncSession, who: Principal, name: str,
                               content: bytes) -> PaymentsFileOut:
    """The agency's payments file (`domain.PAYMENT_COLUMNS`), all lines or none: a file sent
    twice records nothing the second time."""
    if len(content) > MAX_BYTES:
        raise Unprocessable("The file is larger than 5 MB", field="file")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Unprocessable("The file is not UTF-8 text", field="file") from e
    lines, bad = domain.parse_payments(text)
    if bad:
        raise Unprocessable("The agency's payments file was not recorded", errors=[
            FieldError(field=f"line {b.line}", message=b.message) for b in bad])
    new, dup = await _record(s, who, lines, name[:200] or "file")
    fees = domain.fees(lines, policy.policy().agency.commission_percent)
    await audit.record(s, who, "agency_payments_file", "agency_payments", name[:200],
                       after={"lines": len(lines), "recorded": new})
    return PaymentsFileOut(file=name, lines=len(lines), recorded=new, already_recorded=dup,
                           amount=sum((ln.amount for ln in lines), Decimal("0.00")),
                           fee=sum(fees, Decimal("0.00")))


# ---- write-off ---------------------------------------------------------------------------

async def request_write_off(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                            reason: str, today: date) -> WriteOffOut:
    """Ask to write off what a closed account still owes once the letters have gone (or the
    agency has it). It always waits for a supervisor's approval."""
    c = await _open_case(s, account_id)
    if c.letter_2_on is None and c.referral_id is None:
        raise Unprocessable("A closed account is written off only after its collection "
                            "letters (or the agency) have failed", field="account_id",
                            rule="closed.write_off_after_letters")
    if await repo.open_write_off(s, c.id) is not None:
        raise Conflict("A write-off of this account is already waiting or done")
    amount = await _balance(s, account_id, today)
    if amount <= 0:
        raise Unprocessable("The closed account owes nothing", field="account_id")
    w = repo.WriteOff(id=uuid.uuid4(), case_id=c.id, account_id=account_id, amount=amount,
                      reason=reason, status="pending", requested_by=who.sub,
                      requested_role=who.role, requested_on=today, decided_by=None,
                      decided_at=None, decision_note=None, written_off_on=None)
    await repo.insert_write_off(s, w)
    await audit.record(s, who, "request_write_off", "closed_account", str(account_id),
                       reason=reason, after={"write_off_id": w.id, "amount": amount})
    return await write_off(s, w.id)


async def _pending(s: AsyncSession, write_off_id: uuid.UUID) -> repo.WriteOff:
    w = await repo.write_off(s, write_off_id, lock=True)
    if w is None:
        raise NotFound("No such write-off", field="write_off_id")
    if w.status != "pending":
        raise Conflict(f"This write-off is already {w.status}", write_off_status=w.status)
    return w


async def approve_write_off(s: AsyncSession, who: Principal, write_off_id: uuid.UUID,
                            today: date) -> WriteOffOut:
    """A supervisor other than the requester, with authority for the amount, approves: the
    balance must still be what was asked to be written off (a payment since changes it)."""
    w = await _pending(s, write_off_id)
    why = approval_refusal(who.sub, authority(who.role), w.requested_by, w.amount)
    if why:
        raise Forbidden(why)
    c = await repo.case_by_id(s, w.case_id, lock=True)
    assert c is not None
    if c.status not in domain.OPEN_STATUSES:
        raise Conflict(f"This case has ended ({c.status})", case_status=c.status)
    now = await _balance(s, w.account_id, today)
    if now != w.amount:
        raise Conflict(f"The balance is now ${now:.2f}, not the ${w.amount:.2f} asked to be "
                       f"written off: reject this request and ask again",
                       balance=f"{now:.2f}")
    done = await repo.decide_write_off(s, w.id, "approved", who.sub, None, today)
    await repo.end_case(s, c.id, "written_off", today)
    events = [Event("collections.WrittenOff", f"account:{w.account_id}", {
        "write_off_id": str(w.id), "account_id": str(w.account_id), "amount": f"{w.amount:.2f}",
        "written_off_on": today.isoformat(), "requested_by": w.requested_by,
        "approved_by": who.sub, "reason": w.reason})]
    if c.status == "referred":
        events.append(_recalled(w.account_id, c.referral_id, today, "written_off"))
    await publish(s, events, actor=who.sub)
    await audit.record(s, who, "approve_write_off", "closed_account", str(w.account_id),
                       approver=who.sub, reason=w.reason,
                       after={"write_off_id": w.id, "amount": w.amount})
    return _write_off_out(done)


async def reject_write_off(s: AsyncSession, who: Principal, write_off_id: uuid.UUID,
                           reason: str) -> WriteOffOut:
    w = await _pending(s, write_off_id)
    if who.sub == w.requested_by:
        raise Forbidden("nobody decides their own request")
    done = await repo.decide_write_off(s, w.id, "rejected", who.sub, reason, None)
    await audit.record(s, who, "reject_write_off", "closed_account", str(w.account_id),
                       approver=who.sub, reason=reason)
    return _write_off_out(done)


async def write_off(s: AsyncSession, write_off_id: uuid.UUID) -> WriteOffOut:
    w = await repo.write_off(s, write_off_id)
    if w is None:
        raise NotFound("No such write-off", field="write_off_id")
    return _write_off_out(w)


async def write_offs(s: AsyncSession, status: str | None, limit: int) -> list[WriteOffOut]:
    """Write-offs (`status=pending`: the supervisor's approval list)."""
    return [_write_off_out(w) for w in await repo.write_offs(s, status, limit)]
