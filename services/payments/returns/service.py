"""Returned payments: a check the bank sent back, an autopay debit returned in a NACHA file.

`return_payment` is the one way a payment is returned (staff at `POST /returns`, autopay's
return-file import): it reverses the whole payment once per `return_key`, assesses the
configured returned-payment fee, recounts the account's returns for cash-only, announces
`payments.PaymentReturned` (billing reverses the payment and posts the fee; accounts marks the
deposit history) and `payments.CashOnlyChanged` when payments' flag changes, and audits, all
in the caller's transaction (flush only, never commit).

Returns of one account are serialised by a lock on the account, so the recount sees every
return before it and two returns of one payment cannot both pass the "returned once" check.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.clock import utility_today
from kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from kernel.outbox import Event, publish
from kernel.settings import get_settings
from services.payments.copy import service as copy
from services.payments.posting import service as posting
from services.payments.returns import domain
from services.payments.returns import repository as repo
from services.payments.returns.domain import CashOnly, Returnable
from services.payments.returns.repository import NewReturn, Return
from services.payments.returns.schemas import CashOnlyIn, CashOnlyOut, ReturnIn, ReturnOut
from services.payments.returns.standing import account_state, state
from services.payments.transfers import service as transfers


async def return_payment(session: AsyncSession, who: Principal, payment_id: uuid.UUID, *,
                         reason: str, return_code: str | None, returned_on: date,
                         return_key: str, note: str | None = None,
                         assess_fee: bool = True) -> ReturnOut:
    """Reverse one posted payment (`reason` `returned_check` or `ach_return`) once per
    `return_key`: the same key again answers with the first return; another return of a
    payment already returned is 409. Today is the utility's date."""
    return await _return(session, who, payment_id, reason=reason, return_code=return_code,
                         returned_on=returned_on, return_key=return_key, note=note,
                         assess_fee=assess_fee, waiver=None, today=utility_today())


async def record_return(s: AsyncSession, who: Principal, body: ReturnIn, key: str | None,
                        today: date) -> ReturnOut:
    """Staff record a check or money order the bank returned (by payment id or receipt)."""
    key = posting.require_key(key)
    if (body.payment_id is None) == (body.receipt_number is None):
        raise Unprocessable("Name the payment by payment_id or by receipt_number (one of them)",
                            field="payment_id")
    waiver: tuple[str, str] | None = None
    if body.waive_fee:
        if who.role != "supervisor":
            raise Forbidden("Only a supervisor may waive the returned-payment fee",
                            field="waive_fee")
        waiver = (who.sub, domain.reason_text(body.waive_reason, "waive_reason"))
    elif body.waive_reason is not None:
        raise Unprocessable("waive_reason goes with waive_fee", field="waive_reason")
    payment_id = body.payment_id
    if payment_id is None:
        payment_id = (await posting.by_receipt(s, int(body.receipt_number or 0))).id
    return await _return(s, who, payment_id, reason="returned_check",
                         return_code=body.return_code, returned_on=body.returned_on,
                         return_key=f"staff:{who.sub}:{key}", note=body.note,
                         assess_fee=waiver is None, waiver=waiver, today=today)


async def _return(s: AsyncSession, who: Principal, payment_id: uuid.UUID, *, reason: str,
                  return_code: str | None, returned_on: date, return_key: str,
                  note: str | None, assess_fee: bool, waiver: tuple[str, str] | None,
                  today: date) -> ReturnOut:
    domain.check_reason(reason)
    if not return_key.strip() or len(return_key) > 300:
        raise Unprocessable("A return needs a key of at most 300 characters",
                            field="return_key")
    note = note.strip() if note and note.strip() else None
    p = await posting.payment(s, payment_id)
    await repo.lock_account(s, p.account_id)
    same = await repo.by_key(s, return_key)
    if same is not None:
        if same.payment_id != payment_id:
            raise Unprocessable("This return key was used for another payment",
                                field="return_key")
        return await _out(s, same, today)
    code = domain.return_code(reason, return_code, note)
    domain.check_returnable(Returnable(p.tender, p.channel, p.status, p.received_on), reason)
    prior = await repo.by_payment(s, payment_id)
    if prior is not None:
        raise Conflict(f"This payment was already returned on {prior.returned_on.isoformat()} "
                       f"({prior.return_code})", field="payment_id", return_id=str(prior.id))
    domain.check_returned_on(returned_on, p.received_on, today)
    fee = domain.fee(get_settings().payments_returned_fee, assess_fee)
    r = await repo.insert(s, NewReturn(
        payment_id=p.id, account_id=p.account_id, amount=p.amount, reason=reason,
        return_code=code, returned_on=returned_on, return_key=return_key, note=note, fee=fee,
        fee_waived_by=waiver[0] if waiver else None,
        fee_waived_reason=waiver[1] if waiver else None, returned_by=who.sub))
    await transfers.take_back_on_return(s, who, p, code, returned_on)
    await publish(s, [Event("payments.PaymentReturned", f"account:{r.account_id}",
                            returned_payload(r))], actor=who.sub)
    await audit.record(s, who, "return-payment", "payment", str(p.id),
                       before={"status": "posted", "amount": p.amount},
                       after={"return_id": r.id, "reason": reason, "return_code": code,
                              "returned_on": returned_on, "fee": fee},
                       reason=note or domain.CHECK_CODES.get(code, code))
    if waiver is not None:
        await audit.record(s, who, "waive-returned-payment-fee", "payment_return", str(r.id),
                           after={"fee": None, "fee_waived_by": waiver[0]}, reason=waiver[1])
    state = await _announce(s, who, r.account_id, today)
    return _return_out(r, state.cash_only)


def returned_payload(r: Return) -> dict[str, object]:
    """`payments.PaymentReturned` as the processor webhooks publish it (docs/events.md), with
    the returned-payment `fee` (null when none) and the bank's `return_code`."""
    return {"payment_id": str(r.payment_id), "account_id": str(r.account_id),
            "amount": str(r.amount), "date": r.returned_on.isoformat(), "return_id": str(r.id),
            "reason": r.reason, "return_code": r.return_code,
            "fee": None if r.fee is None else str(r.fee),
            "processor": None, "processor_payment_id": None, "refund_id": None,
            "dispute_id": None, "dispute_reason": None,
            "receipt_number": int(r.receipt_number), "tender": r.tender, "channel": r.channel,
            "returned_by": r.returned_by}


def _return_out(r: Return, cash_only: bool) -> ReturnOut:
    return ReturnOut(
        id=r.id, payment_id=r.payment_id, receipt_number=r.receipt_number,
        account_id=r.account_id, account_number=r.account_number, amount=r.amount,
        tender=r.tender, channel=r.channel, received_on=r.received_on, reason=r.reason,
        return_code=r.return_code, returned_on=r.returned_on, note=r.note, fee=r.fee,
        fee_waived_by=r.fee_waived_by, fee_waived_reason=r.fee_waived_reason,
        returned_by=r.returned_by, created_at=r.created_at, cash_only=cash_only)


async def _out(s: AsyncSession, r: Return, today: date) -> ReturnOut:
    return _return_out(r, (await account_state(s, r.account_id, today)).cash_only)


async def get_return(s: AsyncSession, return_id: uuid.UUID, today: date) -> ReturnOut:
    r = await repo.get(s, return_id)
    if r is None:
        raise NotFound("No returned payment with this id", field="return_id")
    return await _out(s, r, today)


async def returns(s: AsyncSession, account_number: str | None, date_from: date | None,
                  date_to: date | None, limit: int, today: date) -> list[ReturnOut]:
    """Returns, newest first: of one account, within dates (returned on)."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise Unprocessable("from is after to", field="from")
    account_id = None
    if account_number is not None:
        account_id = uuid.UUID((await copy.account(s, account_number)).id)
    found = await repo.search(s, account_id, date_from, date_to, limit)
    states: dict[uuid.UUID, bool] = {}
    for r in found:
        if r.account_id not in states:
            states[r.account_id] = (await account_state(s, r.account_id, today)).cash_only
    return [_return_out(r, states[r.account_id]) for r in found]


async def of_payment(s: AsyncSession, payment_id: uuid.UUID) -> Return | None:
    """The payment's return, if it was returned (receipts say so)."""
    return await repo.by_payment(s, payment_id)


# ---- cash-only ---------------------------------------------------------------------------------

async def _announce(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                    today: date) -> CashOnly:
    """`payments.CashOnlyChanged` when payments' flag differs from what it last announced
    (set, cleared, lapsed) or, while it holds, its reason or end date changed."""
    row = await repo.cash_only(s, account_id)
    st = await state(s, account_id, row, today)
    was = (row.announced, row.reason, row.until) if row is not None else (False, None, None)
    if st.cash_only == was[0] and (not st.cash_only or (st.reason, st.until) == was[1:]):
        return st
    reason = st.reason if st.cash_only else (
        "manual" if row is not None and row.manual == "cleared" else "returns")
    since = st.since if st.cash_only else today
    await repo.set_announced(s, account_id, cash_only=st.cash_only, reason=reason,
                             since=since, until=st.until, who=who.sub)
    await publish(s, [Event("payments.CashOnlyChanged", f"account:{account_id}", {
        "account_id": str(account_id), "cash_only": st.cash_only, "reason": reason,
        "returns_in_window": st.returns_in_window,
        "since": since.isoformat() if since else None,
        "until": st.until.isoformat() if st.until else None,
        "changed_by": who.sub})], actor=who.sub)
    return st


async def cash_only_view(s: AsyncSession, number: str, today: date) -> CashOnlyOut:
    acct = await copy.account(s, number)
    return await _view(s, acct.id, acct.number, acct.cash_only, today)


async def _view(s: AsyncSession, account_id: str, number: str, accounts_flag: bool,
                today: date) -> CashOnlyOut:
    row = await repo.cash_only(s, uuid.UUID(account_id))
    st = await state(s, uuid.UUID(account_id), row, today)
    held = st.cash_only or accounts_flag
    reason: Literal["returns", "manual", "accounts"] | None = None
    if st.reason == "returns":
        reason = "returns"
    elif st.reason == "manual":
        reason = "manual"
    elif accounts_flag:
        reason = "accounts"
    return CashOnlyOut(
        account_id=account_id, account_number=number, as_of=today, cash_only=held,
        reason=reason,
        since=st.since, until=st.until, returns_in_window=st.returns_in_window,
        manual_reason=row.manual_reason if row is not None else None,
        changed_by=row.changed_by if row is not None else None)


async def set_cash_only(s: AsyncSession, who: Principal, number: str, body: CashOnlyIn,
                        today: date) -> CashOnlyOut:
    """A supervisor sets the flag (until a date, or until cleared) or clears it, with the
    reason; audited, and announced when it changes."""
    reason = domain.reason_text(body.reason, "reason")
    acct = await copy.account(s, number)
    aid = uuid.UUID(acct.id)
    await repo.lock_account(s, aid)
    before = await account_state(s, aid, today)
    if body.cash_only:
        until = domain.manual_until(body.until, today)
        await repo.set_manual(s, aid, manual="set", on=today, until=until, reason=reason,
                              who=who.sub)
    else:
        if body.until is not None:
            raise Unprocessable("An end date goes with setting the flag, not clearing it",
                                field="until")
        if not before.cash_only:
            raise Conflict("Payments does not hold this account cash-only" + (
                " (the flag comes from the account itself: clear it in accounts)"
                if acct.cash_only else ""), field="cash_only")
        await repo.set_manual(s, aid, manual="cleared", on=today, until=None, reason=reason,
                              who=who.sub)
    after = await _announce(s, who, aid, today)
    await audit.record(s, who, "cash-only-set" if body.cash_only else "cash-only-clear",
                       "account", acct.id,
                       before={"cash_only": before.cash_only, "reason": before.reason,
                               "until": before.until},
                       after={"cash_only": after.cash_only, "reason": after.reason,
                              "until": after.until}, reason=reason)
    return await _view(s, acct.id, acct.number, acct.cash_only, today)
