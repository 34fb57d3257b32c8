"""Use cases of refunds: a credit balance or a released deposit paid back by check.

Staff request a credit-balance refund; accounts' deposit release requests a deposit refund once
billing has applied the deposit to the account. A supervisor other than the requester, whose
authority covers the amount, approves (or rejects, with the reason). Approved refunds leave in a
check-request export for accounts payable; exporting issues them (`payments.RefundIssued`, billing
posts the `refund` entry). A check request voided before the check was cut announces
`payments.RefundVoided` and billing posts the correction. The credit is checked at every step.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.approval import approval_refusal
from kernel.auth import Principal, authority
from kernel.clock import utc_now
from kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.payments.copy import service as copy
from services.payments.posting import service as posting
from services.payments.refunds import domain
from services.payments.refunds import repository as repo
from services.payments.refunds.domain import Refund
from services.payments.refunds.repository import CheckRequest, DepositRelease, NewRefund
from services.payments.refunds.schemas import CheckRequestOut, DepositReleaseOut, RefundOut
from services.payments.transfers import service as transfers

#: Who requests a deposit refund: accounts' release, through its event.
ACCOUNTS = Principal(sub="accounts", role="system")


def out(r: Refund) -> RefundOut:
    return RefundOut.model_validate(r, from_attributes=True)


def _plus(a: dict[str, Decimal], b: dict[str, Decimal]) -> dict[str, Decimal]:
    return {k: a.get(k, domain.ZERO) + b.get(k, domain.ZERO) for k in a.keys() | b.keys()}


async def _claimed(s: AsyncSession, account_ids: list[uuid.UUID],
                   besides: uuid.UUID | None = None) -> dict[str, Decimal]:
    """What already claims each account's credit beyond billing's announced balance: other
    refunds, and transfers out that billing has not announced yet."""
    return _plus(await repo.claimed(s, account_ids, besides),
                 await transfers.claims_on_credit(s, account_ids))


async def _available(s: AsyncSession, account_id: uuid.UUID,
                     besides: uuid.UUID | None = None) -> Decimal:
    balance = (await copy.balances(s, [account_id])).get(str(account_id))
    claimed = (await _claimed(s, [account_id], besides)).get(str(account_id), domain.ZERO)
    return domain.available(balance, claimed)


async def request(s: AsyncSession, who: Principal, account_number: str, amount: Decimal,
                  reason: str, key: str | None) -> RefundOut:
    """A credit-balance refund, waiting for a supervisor. More than the credit left is 422."""
    key = posting.require_key(key)
    acct = await copy.account(s, account_number)
    account_id = uuid.UUID(acct.id)
    await repo.lock_account(s, account_id)
    same = await repo.by_key(s, who.sub, key)
    if same is not None:
        if (str(same.account_id), same.amount) != (acct.id, amount):
            raise Unprocessable("This Idempotency-Key was used for another refund",
                                field="Idempotency-Key")
        return out(same)
    left = await _available(s, account_id)
    if amount > left:
        raise Unprocessable(f"The account's credit available to refund is ${left:.2f}",
                            field="amount", credit=f"{left:.2f}")
    rid = uuid.uuid4()
    await repo.insert(s, NewRefund(rid, account_id, acct.number, amount, "credit_balance",
                                   reason, who.sub, who.role, key, None))
    await audit.record(s, who, "request", "refund", str(rid), reason=reason,
                       after={"account_id": account_id, "amount": amount})
    return await get(s, rid)


async def _open(s: AsyncSession, refund_id: uuid.UUID, *statuses: str) -> Refund:
    r = await repo.get(s, refund_id, lock=True)
    if r is None:
        raise NotFound("No such refund", field="refund_id")
    if r.status not in statuses:
        raise Conflict(f"This refund is {r.status}")
    return r


async def approve(s: AsyncSession, who: Principal, refund_id: uuid.UUID) -> RefundOut:
    """A supervisor other than the requester, within their authority; the credit is checked
    again (a bill or a transfer since the request may have used it): 409 with the credit."""
    r = await _open(s, refund_id, "pending")
    why = approval_refusal(who.sub, authority(who.role), r.requested_by, r.amount)
    if why:
        raise Forbidden(why)
    await repo.lock_account(s, r.account_id)
    left = await _available(s, r.account_id, besides=r.id)
    if r.amount > left:
        raise Conflict(f"The account's credit available to refund is now ${left:.2f}",
                       credit=f"{left:.2f}")
    await repo.approve(s, r.id, who.sub)
    await audit.record(s, who, "approve", "refund", str(r.id), approver=who.sub,
                       reason=r.reason)
    return await get(s, r.id)


async def reject(s: AsyncSession, who: Principal, refund_id: uuid.UUID,
                 reason: str) -> RefundOut:
    """A waiting refund, or an approved one not yet exported, turned down with the reason."""
    r = await _open(s, refund_id, "pending", "approved")
    if who.sub == r.requested_by:
        raise Forbidden("nobody decides their own request")
    await repo.reject(s, r.id, who.sub, reason)
    await audit.record(s, who, "reject", "refund", str(r.id), approver=who.sub, reason=reason)
    return await get(s, r.id)


async def void(s: AsyncSession, who: Principal, refund_id: uuid.UUID, reason: str,
               today: date) -> RefundOut:
    """An issued refund whose check was not cut: billing posts the reversing entry."""
    r = await _open(s, refund_id, "issued")
    await repo.void(s, r.id, who.sub, reason)
    await publish(s, [Event("payments.RefundVoided", f"account:{r.account_id}",
                            domain.voided_payload(r, today, reason))], actor=who.sub)
    await audit.record(s, who, "void", "refund", str(r.id), reason=reason,
                       before={"status": "issued", "check_request_id": r.check_request_id})
    return await get(s, r.id)


async def export(s: AsyncSession, who: Principal, key: str | None,
                 today: date) -> CheckRequestOut:
    """Every approved refund not yet exported, in one CSV for accounts payable; exporting issues
    them. The same Idempotency-Key answers with the same file and issues nothing again."""
    key = posting.require_key(key)
    await repo.lock_export(s)
    same = await repo.check_request_by_key(s, who.sub, key)
    if same is not None:
        return await _check_request_out(s, same)
    refunds = await repo.approved_unexported(s)
    if not refunds:
        raise Conflict("No approved refund waits for a check request")
    accounts = sorted({r.account_id for r in refunds})
    over = domain.fits([(r.id, str(r.account_id), r.amount) for r in refunds],
                       await copy.balances(s, accounts),
                       _plus(await repo.issued_unposted(s, accounts),
                             await transfers.claims_on_credit(s, accounts)))
    if over:
        raise Conflict("A refund is more than its account's credit now (a bill or a transfer "
                       "used it since the approval): reject it or wait, then export again",
                       refunds=[{"refund_id": str(rid), "account_id": a,
                                 "amount": f"{amt:.2f}", "credit": f"{left:.2f}"}
                                for rid, a, amt, left in over])
    payees = await copy.payees(s, accounts)
    unaddressed = [r for r in refunds if (p := payees.get(str(r.account_id))) is None
                   or p.mailing_address is None]
    if unaddressed:
        raise Conflict("No mailing address for a refund's payee yet (it comes with accounts' "
                       "AccountChanged; an older copy is filled by POST /api/payments/copy/"
                       "rebuild): nothing exported", field="refunds",
                       refunds=[{"refund_id": str(r.id), "account_id": str(r.account_id),
                                 "reason": "no_mailing_address"} for r in unaddressed])
    lines = []
    for r in refunds:
        payee = payees.get(str(r.account_id))
        lines.append(domain.CheckLine(r, payee.name if payee else "",
                                      payee.mailing_address if payee else None))
    cid = uuid.uuid4()
    content = domain.check_request_csv(lines)
    total = sum((r.amount for r in refunds), domain.ZERO)
    await repo.insert_check_request(s, CheckRequest(
        id=cid, requested_by=who.sub, idempotency_key=key, refund_count=len(refunds),
        total=total, filename=f"check-request-{today.isoformat()}-{str(cid)[:8]}.csv",
        content=content, created_at=utc_now()))
    await repo.mark_issued(s, [r.id for r in refunds], cid, today)
    await publish(s, [Event("payments.RefundIssued", f"account:{r.account_id}",
                            domain.issued_payload(r, today, cid)) for r in refunds],
                  actor=who.sub)
    await audit.record(s, who, "export", "check_request", str(cid),
                       after={"refunds": [r.id for r in refunds], "total": total})
    got = await repo.check_request(s, cid)
    assert got is not None  # inserted just above
    return await _check_request_out(s, got)


async def _check_request_out(s: AsyncSession, c: CheckRequest) -> CheckRequestOut:
    ids = (await repo.refund_ids_of(s, [c.id]))[c.id]
    return CheckRequestOut(id=c.id, requested_by=c.requested_by, refund_count=c.refund_count,
                           total=c.total, filename=c.filename, created_at=c.created_at,
                           refund_ids=ids)


async def check_request(s: AsyncSession, check_request_id: uuid.UUID) -> CheckRequestOut:
    c = await repo.check_request(s, check_request_id)
    if c is None:
        raise NotFound("No such check request", field="check_request_id")
    return await _check_request_out(s, c)


async def check_request_csv(s: AsyncSession, check_request_id: uuid.UUID) -> tuple[str, str]:
    """(file name, CSV) exactly as exported."""
    c = await repo.check_request(s, check_request_id)
    if c is None:
        raise NotFound("No such check request", field="check_request_id")
    return c.filename, c.content


async def check_requests(s: AsyncSession, limit: int) -> list[CheckRequestOut]:
    cs = await repo.check_requests(s, limit)
    ids = await repo.refund_ids_of(s, [c.id for c in cs])
    return [CheckRequestOut(id=c.id, requested_by=c.requested_by, refund_count=c.refund_count,
                            total=c.total, filename=c.filename, created_at=c.created_at,
                            refund_ids=ids[c.id]) for c in cs]


async def get(s: AsyncSession, refund_id: uuid.UUID) -> RefundOut:
    r = await repo.get(s, refund_id)
    if r is None:
        raise NotFound("No such refund", field="refund_id")
    return out(r)


async def listing(s: AsyncSession, account_number: str | None, status: str | None,
                  check_request_id: uuid.UUID | None, limit: int) -> list[RefundOut]:
    account_id = (uuid.UUID((await copy.account(s, account_number, field="account")).id)
                  if account_number is not None else None)
    return [out(r) for r in await repo.listing(s, account_id, status, check_request_id, limit)]


async def deposit_releases(s: AsyncSession, account_number: str | None, status: str | None,
                           limit: int) -> list[DepositReleaseOut]:
    account_id = (uuid.UUID((await copy.account(s, account_number, field="account")).id)
                  if account_number is not None else None)
    return [DepositReleaseOut.model_validate(r, from_attributes=True)
            for r in await repo.releases(s, account_id, status, limit)]


# ---- reacting to accounts' and billing's events ----------------------------------------------

async def deposit_released(s: AsyncSession, event_id: uuid.UUID, account_id: uuid.UUID,
                           amount: Decimal, method: str, reason: str | None) -> None:
    """Accounts released a deposit. A `refund` is sized only once billing's `deposit_applied`
    entry for it has arrived (the balance it leaves is what can go back)."""
    await _decide(s, await repo.deposit_released(s, event_id, account_id, amount, method,
                                                 reason))


async def deposit_applied(s: AsyncSession, event_id: uuid.UUID, account_id: uuid.UUID,
                          entry_id: uuid.UUID) -> None:
    """Billing applied a released deposit to the account (copy's balance already updated)."""
    await _decide(s, await repo.deposit_applied(s, event_id, account_id, entry_id))


async def _decide(s: AsyncSession, rel: DepositRelease) -> None:
    if rel.status not in ("awaiting_ledger", "awaiting_deposit"):
        return  # decided before (a replay)
    if rel.amount is None or rel.method is None:
        return  # billing's half only: accounts' event decides
    if rel.method != "refund":
        await repo.decide_release(s, rel.deposit_event_id, "credited", None)
        return
    if rel.ledger_entry_id is None:
        return  # waits for billing's deposit_applied
    await repo.lock_account(s, rel.account_id)
    acct = await copy.account_by_id(s, rel.account_id)
    if acct is None:  # accounts' own events precede the release on its key: never, short of
        raise RuntimeError("payments' copy does not hold the account yet")  # a rebuild
    amount = domain.deposit_refund(rel.amount, acct.balance,
                                   (await _claimed(s, [rel.account_id])).get(acct.id,
                                                                             domain.ZERO))
    if amount <= 0:
        await repo.decide_release(s, rel.deposit_event_id, "nothing_to_refund", None)
        return
    rid = uuid.uuid4()
    why = "Deposit refund" + (f": {rel.reason}" if rel.reason else "")
    await repo.insert(s, NewRefund(rid, rel.account_id, acct.number, amount, "deposit", why,
                                   ACCOUNTS.sub, ACCOUNTS.role, None, rel.deposit_event_id))
    await repo.decide_release(s, rel.deposit_event_id, "refund_requested", rid)
    await audit.record(s, ACCOUNTS, "request", "refund", str(rid), reason=why,
                       after={"account_id": rel.account_id, "amount": amount,
                              "deposit": rel.amount})


async def refund_posted(s: AsyncSession, refund_id: uuid.UUID) -> None:
    """Billing's `refund` entry is in its announced balance: the refund no longer claims the
    credit separately."""
    await repo.mark_ledger_posted(s, refund_id)
