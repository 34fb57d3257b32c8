"""Use cases of the CSR II call list: the list itself (set-based over the copy, paged and
filtered), recording a call's outcome (and the promise to pay it took), cancelling a promise,
and the sweep that keeps or breaks promises as credits arrive and days pass.

Every call and promise records who did it (the audit trail as well as the rows); each promise
change is announced as `collections.PromiseChanged` in the same transaction.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.clock import utc_now
from kernel.csvexport import Export
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.collections.worklists import domain
from services.collections.worklists import repository as repo
from services.collections.worklists.schemas import (
    CallIn,
    CallList,
    CallListItem,
    CallOut,
    PromiseOut,
)

SYSTEM = "system"


def _promise_out(p: repo.Promise) -> PromiseOut:
    return PromiseOut(id=p.id, account_id=p.account_id, promised_on=p.promised_on,
                      amount=p.amount, status=p.status,
                      made_on=p.made_on, closed_on=p.closed_on, cancel_reason=p.cancel_reason,
                      created_by=p.created_by, changed_by=p.changed_by)


async def call_list(s: AsyncSession, today: date, *, min_days: int | None = None,
                    max_days: int | None = None, min_amount: Decimal | None = None,
                    max_amount: Decimal | None = None, cycle: str | None = None,
                    include_arranged: bool = False, limit: int = 100,
                    offset: int = 0) -> CallList:
    rows = await repo.call_list(s, today, min_days=min_days, max_days=max_days,
                                min_amount=min_amount, max_amount=max_amount, cycle=cycle,
                                arranged=include_arranged, limit=limit, offset=offset)
    return CallList(as_of=today, total=rows[0].total if rows else 0, limit=limit,
                    offset=offset, items=[CallListItem(
                        account_id=r.account_id, number=r.number, name=r.name,
                        language=r.language, phones=list(r.phones or []), cycle=r.cycle,
                        past_due=r.past_due, balance=r.balance, oldest_due_date=r.oldest_due,
                        days_past_due=r.days_past_due, last_outcome=r.last_outcome,
                        last_called_at=r.last_called_at, last_called_by=r.last_called_by,
                        promise_id=r.promise_id, promised_on=r.promised_on,
                        promise_amount=r.promise_amount, arrangement_id=r.arrangement_id)
                        for r in rows])


def call_list_export(today: date, *, min_days: int | None = None,
                     max_days: int | None = None, min_amount: Decimal | None = None,
                     max_amount: Decimal | None = None, cycle: str | None = None,
                     include_arranged: bool = False) -> Export:
    return repo.call_list_export(today, min_days=min_days, max_days=max_days,
                                 min_amount=min_amount, max_amount=max_amount, cycle=cycle,
                                 arranged=include_arranged)


async def _call_out(s: AsyncSession, c: repo.Call) -> CallOut:
    p = await repo.promise(s, c.promise_id) if c.promise_id else None
    return CallOut(id=c.id, account_id=c.account_id, outcome=c.outcome, note=c.note,
                   phone=c.phone, called_on=c.called_on, called_by=c.called_by,
                   called_role=c.called_role, called_at=c.called_at,
                   promise=_promise_out(p) if p else None)


async def _changed(s: AsyncSession, p: repo.Promise, status: str, today: date,
                   who: str) -> None:
    await publish(s, [Event("collections.PromiseChanged", f"account:{p.account_id}",
                            domain.promise_payload(p.id, p.account_id, status, p.promised_on,
                                                   p.amount, p.made_on, today))], actor=who)


async def record_call(s: AsyncSession, who: Principal, account_id: uuid.UUID, body: CallIn,
                      key: str | None, today: date) -> CallOut:
    """A call's outcome; `promise_made` takes the promise (replacing an open one)."""
    if key is None or not key.strip():
        raise Unprocessable("Recording a call needs an Idempotency-Key header, so a retry "
                            "never records it twice", field="Idempotency-Key")
    same = await repo.call_by_key(s, who.sub, key)
    if same is not None:
        return await _call_out(s, same)
    terms = (domain.PromiseTerms(body.promise.promised_on, body.promise.amount)
             if body.promise else None)
    try:
        domain.checked_call(body.outcome, terms, today)
    except domain.CallError as e:
        raise Unprocessable(str(e), field=e.field) from e
    if not await repo.known(s, account_id):
        raise NotFound("No such account (an account appears once accounts or billing has "
                       "announced it)", field="account_id")
    promise_id = None
    if terms is not None:
        old = await repo.open_promise(s, account_id)
        if old is not None:
            await repo.cancel_promise(s, old.id, today, "replaced by a new promise", who.sub)
            await audit.record(s, who, "cancel", "promise", str(old.id),
                               reason="replaced by a new promise")
            await _changed(s, old, "cancelled", today, who.sub)
        p = repo.Promise(id=uuid.uuid4(), account_id=account_id, promised_on=terms.promised_on,
                         amount=terms.amount, status="open", made_on=today, closed_on=None,
                         cancel_reason=None, created_by=who.sub, changed_by=None)
        await repo.insert_promise(s, p)
        await audit.record(s, who, "promise", "promise", str(p.id), after={
            "account_id": account_id, "promised_on": p.promised_on, "amount": p.amount})
        await _changed(s, p, "open", today, who.sub)
        promise_id = p.id
    c = repo.Call(id=uuid.uuid4(), account_id=account_id, outcome=body.outcome, note=body.note,
                  phone=body.phone, promise_id=promise_id, called_on=today, called_by=who.sub,
                  called_role=who.role, called_at=utc_now())
    await repo.insert_call(s, c, key)
    await audit.record(s, who, "call", "account", str(account_id), reason=body.note or None,
                       after={"outcome": body.outcome, "call_id": c.id,
                              "promise_id": promise_id})
    return await _call_out(s, c)


async def calls_of(s: AsyncSession, account_id: uuid.UUID) -> list[CallOut]:
    return [await _call_out(s, c) for c in await repo.calls_of(s, account_id)]


async def promises_of(s: AsyncSession, account_id: uuid.UUID) -> list[PromiseOut]:
    return [_promise_out(p) for p in await repo.promises_of(s, account_id)]


async def cancel_promise(s: AsyncSession, who: Principal, promise_id: uuid.UUID, reason: str,
                         today: date) -> PromiseOut:
    p = await repo.promise(s, promise_id, lock=True)
    if p is None:
        raise NotFound("No such promise", field="promise_id")
    if p.status != "open":
        raise Conflict(f"This promise is already {p.status}")
    await repo.cancel_promise(s, p.id, today, reason, who.sub)
    await audit.record(s, who, "cancel", "promise", str(p.id), reason=reason)
    await _changed(s, p, "cancelled", today, who.sub)
    got = await repo.promise(s, p.id)
    assert got is not None
    return _promise_out(got)


async def replace_open_promise(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                               reason: str, today: date) -> None:
    """An arrangement made on the account takes the place of its open promise, if any."""
    old = await repo.open_promise(s, account_id)
    if old is None:
        return
    await repo.cancel_promise(s, old.id, today, reason, who.sub)
    await audit.record(s, who, "cancel", "promise", str(old.id), reason=reason)
    await _changed(s, old, "cancelled", today, who.sub)


async def sweep_promises(s: AsyncSession, today: date, *, account_id: uuid.UUID | None = None,
                         may_break: bool = True, who: str = SYSTEM) -> dict[str, int]:
    """Open promises the credits have covered become `kept`; those whose day has passed
    uncovered become `broken` (with `may_break`): one statement, events included."""
    got = await repo.sweep_promises(s, today, may_break=may_break, who=who,
                                    account_id=account_id)
    return {"promises_kept": got.get("kept", 0), "promises_broken": got.get("broken", 0)}
