"""Scheduled and recurring payments: a customer schedules a saved method to be charged once on
a date or monthly; the daily run (`run`) charges what is due.

Exactly once per (schedule, date): the run claims the occurrences with an INSERT on that key
before calling the processor (a concurrent run waits on the claim and then finds it taken), and
the processor gets the idempotency key `recurring:{schedule}:{date}`, so a run retried after a
crash between the charge and our commit gets the first charge back instead of a second one.
Claims and outcomes are set-based per chunk and the processor is called a few at a time (its
latency, not our database, bounds a run). An occurrence the processor did not answer for gives
its claim back for the next run; the rest of the run stands. The money posts when the processor's
webhook arrives (channel `processor`), like any processor payment.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.concurrency import run_in_threadpool

from kernel import audit
from kernel.auth import Principal
from kernel.errors import NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.payments.portal import service as portal
from services.payments.posting.service import require_key
from services.payments.processors.base import (
    Charge,
    ChargeRequest,
    ChargeStatus,
    MethodKind,
    Processor,
    UnknownPaymentMethod,
)
from services.payments.recurring import domain
from services.payments.recurring import repository as repo
from services.payments.recurring.repository import Due, NewSchedule, Schedule
from services.payments.recurring.schemas import (
    ChargeOut,
    RunItem,
    RunOut,
    ScheduleIn,
    ScheduleOut,
)

log = logging.getLogger(__name__)


def plan_of(x: Schedule) -> domain.Plan:
    return domain.Plan(x.kind, x.day_of_month, x.amount_rule, x.amount, x.start_on, x.end_on)


def _payload(x: Schedule) -> dict[str, object]:
    return {"schedule_id": str(x.id), "account_id": str(x.account_id),
            "method_id": str(x.method_id), "method_display": x.method_display,
            "kind": x.kind, "day_of_month": x.day_of_month, "amount_rule": x.amount_rule,
            "amount": None if x.amount is None else str(x.amount),
            "start_on": x.start_on.isoformat(),
            "end_on": None if x.end_on is None else x.end_on.isoformat(), "status": x.status}


async def _announce_end(s: AsyncSession, who: str, x: Schedule, reason: str,
                        on: date | None) -> None:
    await publish(s, [Event("payments.RecurringPaymentCancelled", f"account:{x.account_id}", {
        "schedule_id": str(x.id), "account_id": str(x.account_id),
        "method_id": str(x.method_id), "reason": reason, "cancelled_by": who,
        "effective_on": None if on is None else on.isoformat()})], actor=who)


def schedule_out(x: Schedule, charges: list[ChargeOut]) -> ScheduleOut:
    return ScheduleOut(id=x.id, method_id=x.method_id, method_display=x.method_display,
                       kind=x.kind, day_of_month=x.day_of_month, amount_rule=x.amount_rule,
                       amount=x.amount, start_on=x.start_on, end_on=x.end_on, status=x.status,
                       stop_reason=x.stop_reason, created_at=x.created_at, charges=charges)


async def _out(s: AsyncSession, x: Schedule) -> ScheduleOut:
    rows = await repo.charges_of(s, [x.id])
    return schedule_out(x, [ChargeOut(charge_on=c.charge_on, outcome=c.outcome, reason=c.reason,
                                      amount=c.amount) for c in rows])


async def create(s: AsyncSession, who: Principal, account_id: uuid.UUID, body: ScheduleIn,
                 key: str | None, today: date) -> ScheduleOut:
    key = require_key(key)
    await portal.account(s, who, account_id)
    p = domain.plan(body.kind, day_of_month=body.day_of_month, amount_rule=body.amount_rule,
                    amount=body.amount, start_on=body.start_on, end_on=body.end_on,
                    today=today)
    earlier = await repo.by_key(s, who.sub, key)
    if earlier is not None:
        if (earlier.account_id, plan_of(earlier), earlier.method_id) != (
                account_id, p, body.method_id):
            raise Unprocessable("This Idempotency-Key was used for another schedule",
                                field="Idempotency-Key")
        return await _out(s, earlier)
    if await repo.method_of_account(s, account_id, body.method_id) != "active":
        raise NotFound("No such saved method", field="method_id")
    schedule_id = uuid.uuid4()
    await repo.insert(s, NewSchedule(
        id=schedule_id, account_id=account_id, method_id=body.method_id, kind=p.kind,
        day_of_month=p.day_of_month, amount_rule=p.amount_rule, amount=p.amount,
        start_on=p.start_on, end_on=p.end_on, created_by=who.sub, idempotency_key=key))
    x = await repo.get(s, account_id, schedule_id)
    assert x is not None
    await publish(s, [Event("payments.RecurringPaymentScheduled", f"account:{account_id}",
                            _payload(x))], actor=who.sub)
    await audit.record(s, who, "schedule-payment", "recurring_schedule", str(schedule_id),
                       after=_payload(x))
    return await _out(s, x)


async def listed(s: AsyncSession, who: Principal, account_id: uuid.UUID) -> list[ScheduleOut]:
    await portal.account(s, who, account_id)
    found = await repo.of_account(s, account_id)
    charges = await repo.charges_of(s, [x.id for x in found])
    return [schedule_out(x, [ChargeOut(charge_on=c.charge_on, outcome=c.outcome,
                                       reason=c.reason, amount=c.amount)
                             for c in charges if c.schedule_id == x.id]) for x in found]


async def cancel(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                 schedule_id: uuid.UUID, today: date) -> ScheduleOut:
    """The customer cancels; a schedule no longer active answers as it is."""
    await portal.account(s, who, account_id)
    x = await repo.get(s, account_id, schedule_id)
    if x is None:
        raise NotFound("No such schedule", field="schedule_id")
    if await repo.end(s, schedule_id, "cancelled", "customer", who.sub):
        await _announce_end(s, who.sub, x, "customer", today)
        await audit.record(s, who, "cancel-scheduled-payment", "recurring_schedule",
                           str(schedule_id), before=_payload(x), reason="customer")
        x = await repo.get(s, account_id, schedule_id)
        assert x is not None
    return await _out(s, x)


async def stop_for_method(s: AsyncSession, who: Principal, method_id: uuid.UUID, *,
                          reason: str) -> list[uuid.UUID]:
    """The method is gone: every active schedule paying with it stops with `reason`."""
    stopped = []
    for schedule_id in await repo.active_for_method(s, method_id):
        if await _stop(s, who.sub, schedule_id, reason, None):
            stopped.append(schedule_id)
    return stopped


async def _stop(s: AsyncSession, who: str, schedule_id: uuid.UUID, reason: str,
                on: date | None, status: str = "stopped") -> bool:
    if not await repo.end(s, schedule_id, status, reason, who):
        return False
    x = await _schedule(s, schedule_id)
    await _announce_end(s, who, x, reason, on)
    return True


async def _schedule(s: AsyncSession, schedule_id: uuid.UUID) -> Schedule:
    found = await repo.get_any(s, schedule_id)
    assert found is not None
    return found


# ---- the daily run ---------------------------------------------------------------------------

#: Occurrences claimed per statement, and processor calls in flight at once (a real processor
#: answers in a few hundred milliseconds: one at a time, 10,000 charges would take an hour).
CHUNK = 200
PARALLEL = 8


@dataclass(frozen=True, slots=True)
class _Work:
    due: Due
    on: date
    key: str


async def run(s: AsyncSession, who: Principal, processor: Processor, today: date,
              catch_up_days: int) -> tuple[RunOut, list[str]]:
    """Charges every occurrence due on `today` (see the module docstring); returns what it did
    and the processor payment ids whose webhooks follow."""
    work: list[_Work] = []
    finishing: list[tuple[Schedule, str]] = []
    for due in await repo.due_candidates(s, today):
        p = plan_of(due.schedule)
        work += [_Work(due, on, domain.processor_key(str(due.schedule.id), on))
                 for on in domain.due_dates(p, today, catch_up_days)]
        why = domain.finished(p, today, catch_up_days)
        if why is not None:
            finishing.append((due.schedule, why))
    items: list[RunItem] = []
    refs: list[str] = []
    for start in range(0, len(work), CHUNK):
        done, charged = await _chunk(s, who.sub, processor, work[start:start + CHUNK])
        items += done
        refs += charged
    for item in items:  # a one-time payment's one occurrence is done: nothing to announce
        if item.outcome != "retry" and item.kind == "once":
            await repo.end(s, item.schedule_id, "completed", item.reason or item.outcome,
                           who.sub)
    ended = [x.id for x, why in finishing if await _stop(s, who.sub, x.id, why, today,
                                                         status="ended")]
    return RunOut(today=today, items=items, ended=ended), refs


async def _chunk(s: AsyncSession, who: str, processor: Processor,
                 work: list[_Work]) -> tuple[list[RunItem], list[str]]:
    """Claims the chunk's occurrences in one statement (those an earlier or concurrent run has
    are not this run's), charges the claimed ones a few at a time, settles them in one."""
    claimed = await repo.claim_many(s, [(w.due.schedule.id, w.on, w.key) for w in work])
    mine = [w for w in work if (w.due.schedule.id, w.on) in claimed]
    items: list[RunItem] = []
    settled: list[repo.Settled] = []
    gone: list[_Work] = []
    charging: list[tuple[_Work, Decimal]] = []
    for w in mine:
        due = w.due
        if (due.method_status != "active" or due.method_processor != processor.name
                or due.account_number is None):
            gone.append(w)
            continue
        amount = domain.amount_due(plan_of(due.schedule), due.balance)
        if amount is None:
            settled.append(repo.Settled(due.schedule.id, w.on, "skipped", "nothing_due",
                                        None, None))
            items.append(_item(w, "skipped", "nothing_due"))
        else:
            charging.append((w, amount))
    limit = asyncio.Semaphore(PARALLEL)

    async def charge(w: _Work, amount: Decimal) -> Charge | Exception:
        assert w.due.account_number is not None
        request = ChargeRequest(w.due.account_number, amount, w.due.method_token,
                                MethodKind(w.due.method_kind), w.key,
                                customer=w.due.method_customer)
        async with limit:
            try:
                return await run_in_threadpool(processor.charge, request)
            except Exception as exc:  # judged below, one occurrence at a time
                return exc

    refs: list[str] = []
    answers = await asyncio.gather(*(charge(w, amount) for w, amount in charging))
    for (w, amount), answer in zip(charging, answers, strict=True):
        if isinstance(answer, UnknownPaymentMethod):
            gone.append(w)
        elif isinstance(answer, Exception):
            # Not charged as far as we know (the processor did not answer, or failed): the
            # claim is given back and the next run asks again under the same key, so a charge
            # that did happen is returned, not repeated.
            log.warning("recurring %s on %s left for the next run: %s", w.due.schedule.id,
                        w.on, type(answer).__name__)
            await repo.release(s, w.due.schedule.id, w.on)
            items.append(_item(w, "retry", "processor_unavailable", amount))
        else:
            outcome = _OUTCOMES[answer.status]
            settled.append(repo.Settled(w.due.schedule.id, w.on, outcome, answer.failure_code,
                                        amount, answer.payment_id or None))
            items.append(_item(w, outcome, answer.failure_code, amount))
            if answer.payment_id:
                refs.append(answer.payment_id)
    for w in gone:
        settled.append(repo.Settled(w.due.schedule.id, w.on, "skipped", "method_gone", None,
                                    None))
        items.append(_item(w, "skipped", "method_gone"))
        await _stop(s, who, w.due.schedule.id, "method_gone", w.on)
    await repo.settle_many(s, settled)
    return items, refs


_OUTCOMES = {ChargeStatus.SUCCEEDED: "succeeded", ChargeStatus.PROCESSING: "processing",
             ChargeStatus.FAILED: "declined"}


def _item(w: _Work, outcome: str, reason: str | None = None,
          amount: Decimal | None = None) -> RunItem:
    x = w.due.schedule
    return RunItem(schedule_id=x.id, account_id=x.account_id, kind=x.kind, charge_on=w.on,
                   outcome=outcome, reason=reason, amount=amount)
