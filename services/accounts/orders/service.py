"""Service orders: create, dispatch, complete with a read, cancel, worklist (flush only).

Completing a final-read order (one created by a stop or transfer) tells billing to make the
closing bill (`accounts.ClosingBillRequested`) in the same transaction.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.clock import utc_now, utility_today
from kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from kernel.outbox import Event, publish
from kernel.settings import get_settings
from services.accounts.agreements import repository as sa_repo
from services.accounts.contacts import service as contacts
from services.accounts.customers import service as customers
from services.accounts.meters import domain as meter_domain
from services.accounts.meters import service as meters
from services.accounts.orders import domain, repository
from services.accounts.orders.schemas import CompleteIn, OrderIn, OrderOut, Read
from services.accounts.premises.service import get as get_premise


def order_out(row: Any) -> OrderOut:
    data = dict(row._mapping)
    value, read_at = data.pop("read_value"), data.pop("read_at")
    data["read"] = (Read(meter_id=row.meter_id, value=value, read_at=read_at)
                    if value is not None and row.meter_id is not None else None)
    data["final_for_sa_ids"] = list(data["final_for_sa_ids"] or [])
    return OrderOut.model_validate(data)


def order_event(kind: str, o: OrderOut) -> Event:
    key = f"account:{o.account_id}" if o.account_id else f"premise:{o.premise_id}"
    return Event(f"accounts.{kind}", key, {"service_order": o.model_dump(mode="json")})


async def get(session: AsyncSession, order_id: uuid.UUID, lock: bool = False) -> OrderOut:
    row = await repository.get(session, order_id, lock)
    if row is None:
        raise NotFound("No such service order", field="order_id")
    return order_out(row)


async def create(
    session: AsyncSession, who: Principal, body: OrderIn, reference: str | None = None,
    final_for_sa_ids: list[uuid.UUID] | None = None, stop_date: date | None = None,
) -> OrderOut:
    premise = await get_premise(session, body.premise_id)
    if body.account_id is not None:
        await customers.get_account(session, body.account_id)
    meter_id = body.meter_id
    if meter_id is None:
        installed = await meters.at_premise(session, body.premise_id)
        meter_id = installed[0].id if installed else None
    elif (await meters.get(session, meter_id)).premise_id != body.premise_id:
        raise Unprocessable("The meter is not installed at this premise", field="meter_id")
    order_id = uuid.uuid4()
    await repository.insert(session, {
        "id": order_id, "kind": body.kind, "account_id": body.account_id,
        "premise_id": body.premise_id, "meter_id": meter_id,
        "scheduled_date": body.scheduled_date, "reason": body.reason, "reference": reference,
        "final_for_sa_ids": final_for_sa_ids or [], "stop_date": stop_date,
        "created_by": who.sub,
    })
    out = await get(session, order_id)
    await audit.record(session, who, "service_order.create", "service_order", str(order_id),
                       after=out)
    await publish(session, [order_event("ServiceOrderCreated", out)], who.sub)
    if out.account_id is not None and out.kind in get_settings().order_notice_kinds:
        await contacts.send_letter(session, who, out.account_id, "service_order", {
            "premise": premise.address.one_line(), "date": out.scheduled_date.isoformat(),
            "order": out.number, "kind": out.kind.replace("_", " "),
        }, utility_today())
    return out


async def dispatch(session: AsyncSession, who: Principal, order_id: uuid.UUID,
                   technician: str) -> OrderOut:
    before = await get(session, order_id, lock=True)
    if not domain.may_dispatch(before.status):
        raise Conflict(f"Order is {before.status}", field="order_id")
    await repository.set_dispatched(session, order_id, technician)
    after = await get(session, order_id)
    await audit.record(session, who, "service_order.dispatch", "service_order", str(order_id),
                       before=before, after=after)
    await publish(session, [order_event("ServiceOrderDispatched", after)], who.sub)
    return after


async def complete(session: AsyncSession, who: Principal, order_id: uuid.UUID,
                   body: CompleteIn) -> OrderOut:
    before = await get(session, order_id, lock=True)
    if who.role == "field_tech" and before.technician not in (None, who.sub):
        raise Forbidden("This order is dispatched to another technician")
    if not domain.may_complete(before.status):
        raise Conflict(f"Order is {before.status}", field="order_id")
    final = bool(before.final_for_sa_ids)
    has_meter = before.meter_id is not None
    if body.read is None and domain.needs_read(before.kind, has_meter, final):
        raise Unprocessable("This order needs a meter read", field="read")
    if body.read is not None:
        if before.meter_id is None:
            raise Unprocessable("No meter on this order to read", field="read")
        meter = await meters.get(session, before.meter_id)
        if not meter_domain.read_fits_dials(body.read, meter.dials):
            raise Unprocessable(f"A read of {body.read} does not fit {meter.dials} dials",
                                field="read")
    read_at = (body.read_at or utc_now()) if body.read is not None else None
    await repository.set_completed(session, order_id, body.read, read_at, body.notes, who.sub)
    after = await get(session, order_id)
    await audit.record(session, who, "service_order.complete", "service_order", str(order_id),
                       before=before, after=after)
    events = [order_event("ServiceOrderCompleted", after)]
    if final and after.account_id is not None:
        events.append(_closing_bill(after))
    await publish(session, events, who.sub)
    if final and after.account_id is not None:
        await _close_if_no_service(session, who, after.account_id, after.stop_date)
    return after


def _closing_bill(o: OrderOut) -> Event:
    reads = [o.read.model_dump(mode="json")] if o.read else []
    return Event("accounts.ClosingBillRequested", f"account:{o.account_id}", {
        "account_id": str(o.account_id),
        "service_agreement_ids": [str(i) for i in o.final_for_sa_ids],
        "final_reads": reads,
        "stop_date": o.stop_date.isoformat() if o.stop_date else None,
        "service_order_id": str(o.id),
    })


async def _close_if_no_service(session: AsyncSession, who: Principal, account_id: uuid.UUID,
                               on: date | None) -> None:
    if await sa_repo.count_active(session, account_id) == 0 and on is not None:
        await customers.set_status(session, who, account_id, "closed", on)


async def cancel(session: AsyncSession, who: Principal, order_id: uuid.UUID,
                 reason: str) -> OrderOut:
    before = await get(session, order_id, lock=True)
    if not domain.may_cancel(before.status):
        raise Conflict(f"Order is {before.status}", field="order_id")
    if before.final_for_sa_ids:
        raise Conflict("A final-read order cannot be cancelled; the closing bill needs it",
                       field="order_id")
    await repository.set_cancelled(session, order_id, reason)
    after = await get(session, order_id)
    await audit.record(session, who, "service_order.cancel", "service_order", str(order_id),
                       before=before, after=after, reason=reason)
    await publish(session, [order_event("ServiceOrderCancelled", after)], who.sub)
    return after


async def listing(session: AsyncSession, account_id: uuid.UUID | None,
                  premise_id: uuid.UUID | None, status: str | None,
                  limit: int = 100) -> list[OrderOut]:
    rows = await repository.listing(session, account_id, premise_id, status, limit)
    return [order_out(r) for r in rows]


async def worklist(session: AsyncSession, route: str | None, cycle: str | None, through: date,
                   technician: str | None) -> list[OrderOut]:
    return [order_out(r) for r in
            await repository.worklist(session, route, cycle, through, technician)]


async def from_billing(session: AsyncSession, who: Principal, payload: dict[str, Any],
                       today: date) -> OrderOut | None:
    """Billing asked for a re-read or leak check; created once per `reference`."""
    kind = str(payload.get("kind"))
    if kind not in domain.BILLING_MAY_REQUEST:
        raise ValueError(f"billing may not request a '{kind}' order")
    reference = payload.get("reference")
    if reference and await repository.by_reference(session, str(reference)) is not None:
        return None
    premise_id = uuid.UUID(str(payload["premise_id"]))
    meter_id = uuid.UUID(str(payload["meter_id"])) if payload.get("meter_id") else None
    reason = payload.get("reason")
    named = await meters.get(session, meter_id) if meter_id is not None else None
    if named is not None and (named.status != "installed" or named.premise_id != premise_id):
        # Billing named the meter from its copy, which had not yet heard of an exchange: the
        # visit goes to the meter at the premise now (create picks it), and says so.
        reason = (f"{reason or ''} (billing named meter {meter_id}, no longer at the "
                  "premise)").strip()[-500:]
        meter_id = None
    body = OrderIn(
        kind=kind,
        premise_id=premise_id,
        account_id=uuid.UUID(str(payload["account_id"])) if payload.get("account_id") else None,
        meter_id=meter_id, scheduled_date=today, reason=reason,
    )
    return await create(session, who, body, reference=str(reference) if reference else None)
