"""Scheduled and recurring payments: a customer schedules a saved method to be charged once on
a date or monthly; the daily run (`run`) charges what is due.

Exactly once per (schedule, date): the run claims the occurrence with an INSERT on that key
before calling the processor (a concurrent run waits on the claim and then finds it taken), and
the processor gets the idempotency key `recurring:{schedule}:{date}`, so a run retried after a
crash between the charge and our commit gets the first charge back instead of a second one.
Each occurrence is a savepoint: a processor that does not answer leaves that occurrence
unclaimed for the next run, the rest of the run stands. The money posts when the processor's
webhook arrives (channel `processor`), like any processor payment.
"""

from __future__ import annotations

import logging
import uuid
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
    ProcessorUnavailable,
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

async def run(s: AsyncSession, who: Principal, processor: Processor, today: date,
              catch_up_days: int) -> tuple[RunOut, list[str]]:
    """Charges every occurrence due on `today` (see the module docstring); returns what it did
    and the processor payment ids whose webhooks follow."""
    items: list[RunItem] = []
    ended: list[uuid.UUID] = []
    charged_refs: list[str] = []
    for due in await repo.due_candidates(s, today):
        x = due.schedule
        p = plan_of(x)
        for on in domain.due_dates(p, today, catch_up_days):
            item = await _occurrence(s, who.sub, processor, due, on)
            if item is None:
                continue
            items.append(item[0])
            if item[1]:
                charged_refs.append(item[1])
            if item[0].outcome != "retry" and x.kind == "once":
                # its one occurrence is done (charged, declined or skipped): nothing to announce
                await repo.end(s, x.id, "completed", item[0].reason or item[0].outcome,
                               who.sub)
        if domain.finished(p, today) and await _stop(s, who.sub, x.id, "ended", today,
                                                     status="ended"):
            ended.append(x.id)
    return RunOut(today=today, items=items, ended=ended), charged_refs


async def _occurrence(s: AsyncSession, who: str, processor: Processor, due: Due,
                      on: date) -> tuple[RunItem, str | None] | None:
    """One (schedule, date): None when an earlier or concurrent run has it."""
    x = due.schedule
    key = domain.processor_key(str(x.id), on)

    def item(outcome: str, reason: str | None = None,
             amount: Decimal | None = None) -> RunItem:
        return RunItem(schedule_id=x.id, account_id=x.account_id, charge_on=on,
                       outcome=outcome, reason=reason, amount=amount)

    nested = await s.begin_nested()
    if not await repo.claim(s, x.id, on, key):
        await nested.commit()
        return None
    gone = (due.method_status != "active" or due.method_processor != processor.name
            or due.account_number is None)
    amount = None if gone else domain.amount_due(plan_of(x), due.balance)
    if gone or amount is None:
        reason = "method_gone" if gone else "nothing_due"
        await repo.settle(s, x.id, on, "skipped", reason, None, None)
        if gone:
            await _stop(s, who, x.id, "method_gone", on)
        await nested.commit()
        return item("skipped", reason), None
    assert due.account_number is not None
    try:
        charge: Charge = await run_in_threadpool(processor.charge, ChargeRequest(
            due.account_number, amount, due.method_token, MethodKind(due.method_kind), key,
            customer=due.method_customer))
    except UnknownPaymentMethod:
        await repo.settle(s, x.id, on, "skipped", "method_gone", None, None)
        await _stop(s, who, x.id, "method_gone", on)
        await nested.commit()
        return item("skipped", "method_gone"), None
    except ProcessorUnavailable as exc:
        log.warning("recurring %s on %s left for the next run: %s", x.id, on, exc.detail)
        await nested.rollback()
        return item("retry", "processor_unavailable", amount), None
    outcome = {ChargeStatus.SUCCEEDED: "succeeded", ChargeStatus.PROCESSING: "processing",
               ChargeStatus.FAILED: "declined"}[charge.status]
    await repo.settle(s, x.id, on, outcome, charge.failure_code, amount,
                      charge.payment_id or None)
    await nested.commit()
    return item(outcome, charge.failure_code, amount), charge.payment_id or None
