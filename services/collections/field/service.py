"""Use cases of collections' field orders (flush only; the request or the daily job commits).

How the technician is kept from completing a forbidden disconnect: accounts carries out the
order (`collections.ServiceOrderRequested` creates its `disconnect_nonpayment` order) but does
not let a person complete it there (`services/accounts/orders/service.py`); the technician
completes it through collections (`complete`), which checks the guardrails on that day and, when
no rule forbids it, records the disconnection and tells accounts (`collections.
ServiceOrderCompleted`), whose order follows. Door tags and reconnects may be completed either
way: through collections (with the instant the tag was left), or in accounts, which collections
learns of from `accounts.ServiceOrderCompleted`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.clock import utc_now
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.outbox import Event, publish
from kernel.settings import get_settings
from services.collections.field import domain
from services.collections.field import repository as repo
from services.collections.field.schemas import (
    AnnualReport,
    CompleteIn,
    DailyOut,
    FieldOrderOut,
    MonthOut,
    Tomorrow,
    TomorrowRow,
)
from services.collections.guardrails import service as guardrails
from services.collections.policy import service as policy
from services.collections.protections import service as protections

DAILY = Principal(sub="collections-daily", role="system", name="Collections daily job")
REASON_DISCONNECT = "Disconnection for non-payment (SB 998 notices given)"


def out(o: repo.OrderRow) -> FieldOrderOut:
    return FieldOrderOut(
        id=o.id, account_id=o.account_id, premise_id=o.premise_id, kind=o.kind,
        status=o.status, scheduled_on=o.scheduled_on, disconnect_on=o.disconnect_on,
        reconnects=o.reconnects, created_on=o.created_on, requested_by=o.requested_by,
        approved_by=o.approved_by, released_on=o.released_on,
        accounts_order_id=o.accounts_order_id, completed_at=o.completed_at,
        completed_on=o.completed_on, completed_by=o.completed_by, cancelled_on=o.cancelled_on,
        cancel_reason=o.cancel_reason, after_hours=o.after_hours, low_income=o.low_income,
        fee=o.fee, notes=o.notes, reference=domain.reference(o.id))


async def get(s: AsyncSession, order_id: uuid.UUID, lock: bool = False) -> repo.OrderRow:
    o = await repo.get(s, order_id, lock)
    if o is None:
        raise NotFound("No such field order", field="order_id")
    return o


def _key(account_id: uuid.UUID) -> str:
    return f"account:{account_id}"


def requested(o: repo.OrderRow, reason: str) -> Event:
    return Event("collections.ServiceOrderRequested", _key(o.account_id), {
        "kind": domain.ACCOUNTS_KIND[o.kind], "account_id": str(o.account_id),
        "premise_id": str(o.premise_id) if o.premise_id else None,
        "scheduled_date": o.scheduled_on.isoformat(), "reason": reason,
        "reference": domain.reference(o.id), "field_order_id": str(o.id)})


def cancelled(o: repo.OrderRow, reason: str) -> Event:
    return Event("collections.ServiceOrderCancelled", _key(o.account_id), {
        "reference": domain.reference(o.id), "account_id": str(o.account_id),
        "kind": domain.ACCOUNTS_KIND[o.kind], "field_order_id": str(o.id), "reason": reason})


# ---- the daily job ----------------------------------------------------------------------------

async def run_daily(s: AsyncSession, today: date) -> dict[str, int]:
    """Door tags due (awaiting a supervisor), disconnect orders due (created and released when
    no rule forbids them today); door tags and disconnects whose shut-off step was cured or
    held since, and released disconnects a rule now stops for good, cancelled.
    Set-based: one statement for the door tags, one for the disconnects with their events; the
    guardrails' facts are gathered for all candidates at once (except those nobody has visited,
    which the 48-hour rule refuses without them). Twice on a day adds nothing."""
    ladder = policy.policy().ladder
    await repo.cancel_stale(s, today, DAILY.sub)
    tags = await repo.insert_door_tags_due(
        s, today, domain.door_tag_days(ladder.door_tag_hours), domain.DOOR_TAG_APPROVAL_DAYS,
        DAILY.sub)
    candidates = [c for c in await repo.disconnect_candidates(s, today)
                  if c.premise_id is not None]
    visited = [c for c in candidates if not c.unvisited]
    found = await guardrails.refusals_of(s, [c.account_id for c in visited], today)
    allowed = [c for c in visited if not found[c.account_id]]
    made = await repo.insert_released_disconnects(s, allowed, today, DAILY.sub,
                                                  REASON_DISCONNECT)
    return DailyOut(door_tags=tags, disconnects=made,
                    disconnects_refused=len(candidates) - len(allowed),
                    disconnects_cancelled=await _recheck(s, today)).model_dump()


async def _recheck(s: AsyncSession, today: date) -> int:
    """Open disconnects that a rule now forbids until some fact changes (an appeal opened, an
    arrangement made, the household protected, nothing past due) are cancelled; those a date
    will lift (a holiday) stay for that day."""
    open_ = await repo.open_disconnects_changed(s, today)
    found = await guardrails.refusals_of(s, [o.account_id for o in open_], today)
    n = 0
    for o in open_:
        stops = [r for r in found[o.account_id] if r.next_on is None]
        if stops:
            await _cancel(s, DAILY, o, today, f"{stops[0].rule}: {stops[0].message}")
            n += 1
    return n


async def _cancel(s: AsyncSession, who: Principal, o: repo.OrderRow, today: date,
                  reason: str) -> None:
    await repo.update(s, o.id, {"status": "cancelled", "cancelled_on": today,
                                "cancel_reason": reason[:500]})
    if o.status == "released":
        await publish(s, [cancelled(o, reason[:500])], actor=who.sub)
    await audit.record(s, who, "field_order.cancel", "field_order", str(o.id),
                       before=out(o), reason=reason[:500])


# ---- door tags --------------------------------------------------------------------------------

async def approve_door_tags(s: AsyncSession, who: Principal, order_ids: list[uuid.UUID],
                            today: date) -> list[FieldOrderOut]:
    """A supervisor approves door tags: each is released to accounts (a `door_tag` order)
    for its day, or today when that has passed. Nobody approves their own."""
    done: list[FieldOrderOut] = []
    events: list[Event] = []
    for order_id in dict.fromkeys(order_ids):
        o = await get(s, order_id, lock=True)
        if o.kind != "door_tag":
            raise Conflict("Only door tags wait for approval", field="order_ids")
        why = domain.may_approve(o.status, o.requested_by, who.sub)
        if why:
            raise Conflict(why, field="order_ids")
        await repo.update(s, o.id, {"status": "released", "approved_by": who.sub,
                                    "released_on": today,
                                    "scheduled_on": max(o.scheduled_on, today)})
        after = await get(s, o.id)
        events.append(requested(after, f"Door tag: service will be disconnected on or after "
                                       f"{o.disconnect_on} unless paid or arranged"))
        await audit.record(s, who, "field_order.approve", "field_order", str(o.id),
                           before=out(o), after=out(after), approver=who.sub)
        done.append(out(after))
    await publish(s, events, actor=who.sub)
    return done


# ---- disconnects ------------------------------------------------------------------------------

async def create_disconnect(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                            today: date) -> FieldOrderOut:
    """A disconnect order by hand (the daily job creates those the ladder has come to): refused
    with the rule when SB 998 forbids it today; released separately."""
    await guardrails.ensure_allowed(s, account_id, "create", today)
    if await repo.open_of(s, account_id, ["disconnect"]):
        raise Conflict("A disconnect order is already open for this account",
                       field="account_id")
    premise = await repo.premise_of(s, account_id)
    if premise is None:
        raise Unprocessable("The account has no premise served", field="account_id")
    order_id = uuid.uuid4()
    await repo.insert(s, {"id": order_id, "account_id": account_id, "premise_id": premise,
                          "kind": "disconnect", "status": "created", "scheduled_on": today,
                          "created_on": today, "requested_by": who.sub})
    o = await get(s, order_id)
    await audit.record(s, who, "field_order.create", "field_order", str(order_id), after=out(o))
    return out(o)


async def release(s: AsyncSession, who: Principal, order_id: uuid.UUID,
                  today: date) -> FieldOrderOut:
    o = await get(s, order_id, lock=True)
    if o.kind != "disconnect" or o.status != "created":
        raise Conflict(f"A {o.kind} that is {o.status} cannot be released here",
                       field="order_id")
    await guardrails.ensure_allowed(s, o.account_id, "release", today)
    await repo.update(s, o.id, {"status": "released", "released_on": today,
                                "scheduled_on": max(o.scheduled_on, today)})
    after = await get(s, o.id)
    await publish(s, [requested(after, REASON_DISCONNECT)], actor=who.sub)
    await audit.record(s, who, "field_order.release", "field_order", str(o.id),
                       before=out(o), after=out(after))
    return out(after)


async def complete(s: AsyncSession, who: Principal, order_id: uuid.UUID, body: CompleteIn,
                   today: date) -> FieldOrderOut:
    """The technician reports the order done: a door tag left, service disconnected or
    reconnected. A disconnect only when no SB 998 rule forbids it today (refused with the rule
    and the day it next allows it); the disconnection is recorded
    (`collections.DisconnectionRecorded`, the annual report). Accounts' order follows by event
    (`collections.ServiceOrderCompleted`)."""
    o = await get(s, order_id, lock=True)
    if o.status != "released":
        raise Conflict(f"The {o.kind} order is {o.status}", field="order_id")
    if o.kind == "disconnect":
        await guardrails.ensure_allowed(s, o.account_id, "complete", today)
    at = body.completed_at or utc_now()
    events = await _completed(s, o, at, today, who.sub, body.notes)
    after = await get(s, o.id)
    events.insert(0, Event("collections.ServiceOrderCompleted", _key(o.account_id), {
        "reference": domain.reference(o.id), "account_id": str(o.account_id),
        "kind": domain.ACCOUNTS_KIND[o.kind], "field_order_id": str(o.id),
        "completed_at": at.isoformat(), "completed_by": who.sub, "notes": body.notes}))
    await publish(s, events, actor=who.sub)
    await audit.record(s, who, "field_order.complete", "field_order", str(o.id),
                       before=out(o), after=out(after))
    return out(after)


async def _completed(s: AsyncSession, o: repo.OrderRow, at: datetime, on: date,
                     by: str | None, notes: str | None) -> list[Event]:
    """Record the order done and what follows: a disconnection recorded; service restored with
    the reconnection fee (the district's, capped for a low-income household)."""
    values: dict[str, object] = {"status": "completed", "completed_at": at, "completed_on": on,
                                 "completed_by": by, "notes": notes}
    events: list[Event] = []
    if o.kind == "disconnect":
        events.append(Event("collections.DisconnectionRecorded", _key(o.account_id), {
            "field_order_id": str(o.id), "account_id": str(o.account_id),
            "premise_id": str(o.premise_id) if o.premise_id else None,
            "disconnected_on": on.isoformat()}))
    elif o.kind == "reconnect":
        low = await protections.low_income(s, o.account_id, on)
        fee = domain.reconnection_fee(policy.policy().reconnection, low, o.after_hours)
        values.update(low_income=low, fee=fee)
        events.append(Event("collections.ServiceRestored", _key(o.account_id), {
            "field_order_id": str(o.id), "account_id": str(o.account_id),
            "premise_id": str(o.premise_id) if o.premise_id else None,
            "restored_on": on.isoformat(), "reconnects": str(o.reconnects)}))
        if fee > 0:
            events.append(Event("collections.ReconnectionFeeAssessed", _key(o.account_id), {
                "account_id": str(o.account_id), "amount": str(fee),
                "assessed_on": on.isoformat(), "field_order_id": str(o.id),
                "low_income": low, "after_hours": o.after_hours}))
    await repo.update(s, o.id, values)
    return events


# ---- cure and reconnect -----------------------------------------------------------------------

async def on_cured(s: AsyncSession, account_id: uuid.UUID, today: date,
                   who: Principal = DAILY, after_hours: bool = False) -> None:
    """The delinquency ended (a payment, a credit, an arrangement): open door tags and
    disconnects are cancelled (accounts' orders with them), and a disconnected account gets a
    reconnect order. Running it again changes nothing."""
    for o in await repo.open_of(s, account_id, ["door_tag", "disconnect"], lock=True):
        await _cancel(s, who, o, today, "Delinquency cured")
    if await repo.open_of(s, account_id, ["reconnect"]):
        return
    off = await repo.last_disconnect_unrestored(s, account_id)
    if off is None:
        return
    order_id = uuid.uuid4()
    await repo.insert(s, {"id": order_id, "account_id": account_id,
                          "premise_id": off.premise_id, "kind": "reconnect",
                          "status": "released", "scheduled_on": today, "reconnects": off.id,
                          "created_on": today, "requested_by": who.sub, "released_on": today,
                          "after_hours": after_hours})
    o = await get(s, order_id)
    await publish(s, [requested(o, "Reconnect: the delinquency is cured")], actor=who.sub)
    await audit.record(s, who, "field_order.reconnect", "field_order", str(order_id),
                       after=out(o))


async def request_reconnect(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                            after_hours: bool, today: date) -> FieldOrderOut:
    """Staff ask for the reconnection of a cured account (nothing past due, or an arrangement
    being kept), in office hours or after hours (the fee differs)."""
    facts = (await guardrails.gather(s, [account_id], today))[account_id]
    if facts.past_due > 0 and facts.arrangement != "active":
        raise Conflict(f"{facts.past_due} is still past due and no arrangement is active",
                       field="account_id", rule="collections.not_cured")
    if await repo.last_disconnect_unrestored(s, account_id) is None:
        raise Conflict("The account has no disconnection to reconnect", field="account_id")
    opened = await repo.open_of(s, account_id, ["reconnect"], lock=True)
    if opened:
        if opened[0].after_hours != after_hours and opened[0].completed_at is None:
            await repo.update(s, opened[0].id, {"after_hours": after_hours})
        return out(await get(s, opened[0].id))
    await on_cured(s, account_id, today, who, after_hours)
    return out((await repo.open_of(s, account_id, ["reconnect"]))[0])


# ---- what accounts tells of its orders --------------------------------------------------------

def _local_day(at: datetime) -> date:
    return at.astimezone(ZoneInfo(get_settings().timezone)).date()


async def from_accounts(s: AsyncSession, event_type: str, order: dict[str, Any]) -> None:
    """Accounts created, completed or cancelled the order that carries one of ours."""
    ref = domain.order_id_of(order.get("reference"))
    if ref is None:
        return
    o = await repo.get(s, uuid.UUID(ref), lock=True)
    if o is None:
        return
    if event_type == "accounts.ServiceOrderCreated":
        await repo.update(s, o.id, {"accounts_order_id": uuid.UUID(str(order["id"]))})
    elif event_type == "accounts.ServiceOrderCancelled" and o.status in domain.OPEN:
        await repo.update(s, o.id, {"status": "cancelled",
                                    "cancelled_on": _local_day(utc_now()),
                                    "cancel_reason": "Cancelled in accounts"})
    elif event_type == "accounts.ServiceOrderCompleted" and o.status == "released":
        if o.kind == "disconnect":
            return  # never completed in accounts (its service refuses): nothing to follow
        raw = order.get("completed_at")
        at = datetime.fromisoformat(str(raw)) if raw else utc_now()
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        by = order.get("technician")
        await publish(s, await _completed(s, o, at, _local_day(at),
                                          str(by) if by else None, order.get("notes")))


# ---- lists and reports ------------------------------------------------------------------------

async def listing(s: AsyncSession, kind: str | None, status: str | None,
                  limit: int) -> list[FieldOrderOut]:
    return [out(o) for o in await repo.listing(s, kind, status, limit)]


async def of_account(s: AsyncSession, account_id: uuid.UUID) -> list[FieldOrderOut]:
    return [out(o) for o in await repo.of_account(s, account_id)]


async def tomorrow(s: AsyncSession, today: date) -> Tomorrow:
    """The disconnects due by tomorrow (named by a shut-off notice, or an order open), each
    with its guardrail status for tomorrow."""
    day = today + timedelta(days=1)
    rows: dict[uuid.UUID, tuple[date | None, repo.OrderRow | None]] = {}
    for c in await repo.disconnect_candidates(s, day):
        rows[c.account_id] = (c.disconnect_on, None)
    for o in await repo.open_disconnects(s, day):
        rows[o.account_id] = (o.disconnect_on, o)
    ids = list(rows)
    facts = await guardrails.gather(s, ids, day)
    found = guardrails.refusals_from(facts, day)
    named = {n.id: n for n in await repo.names(s, ids)}
    out_rows = []
    for a in sorted(ids, key=lambda i: (named[i].number or "") if i in named else ""):
        on, order = rows[a]
        f = found[a]
        out_rows.append(TomorrowRow(
            account_id=a, number=named[a].number if a in named else None,
            name=named[a].name if a in named else None, disconnect_on=on,
            order_id=order.id if order else None,
            order_status=order.status if order else None,
            past_due=facts[a].past_due, allowed=not f,
            next_on=guardrails.next_allowed(f, day),
            refusals=[guardrails.refusal_out(r) for r in f]))
    return Tomorrow(day=day, rows=out_rows)


async def annual_report(s: AsyncSession, year: int) -> AnnualReport:
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    months = domain.by_month(await repo.completed_on(s, "disconnect", start, end),
                             await repo.completed_on(s, "reconnect", start, end), year)
    return AnnualReport(year=year, months=[MonthOut(month=m.month,
                                                    disconnections=m.disconnections,
                                                    restorations=m.restorations)
                                           for m in months],
                        disconnections=sum(m.disconnections for m in months),
                        restorations=sum(m.restorations for m in months))


def annual_csv(r: AnnualReport) -> str:
    lines = ["year,month,disconnections_for_nonpayment,restorations"]
    lines += [f"{r.year},{m.month:02d},{m.disconnections},{m.restorations}" for m in r.months]
    lines.append(f"{r.year},TOTAL,{r.disconnections},{r.restorations}")
    return "\n".join(lines) + "\n"
