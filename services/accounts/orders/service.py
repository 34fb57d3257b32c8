"""Service orders: create, dispatch, complete with a read, cancel, worklist (flush only).

Completing a final-read order (one created by a stop or transfer) tells billing to make the
closing bill (`accounts.ClosingBillRequested`) in the same transaction. What follows from the
orders' facts lives with those who react: a visit notice (contacts), closing an account left
without service (agreements).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.clock import utc_now
from kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from kernel.reactions import record
from services.accounts.customers import service as customers
from services.accounts.meters import domain as meter_domain
from services.accounts.meters import service as meters
from services.accounts.orders import domain, repository
from services.accounts.orders.facts import (
    ClosingBillRequested,
    ServiceOrderCancelled,
    ServiceOrderCompleted,
    ServiceOrderCreated,
    ServiceOrderDispatched,
)
from services.accounts.orders.schemas import CompleteIn, OrderIn, OrderOut
from services.accounts.premises.service import get as get_premise


async def get(session: AsyncSession, order_id: uuid.UUID, lock: bool = False) -> OrderOut:
    found = await repository.get(session, order_id, lock)
    if found is None:
        raise NotFound("No such service order", field="order_id")
    return found


async def create(
    session: AsyncSession, who: Principal, body: OrderIn, reference: str | None = None,
    final_for_sa_ids: list[uuid.UUID] | None = None, stop_date: date | None = None,
) -> OrderOut:
    await get_premise(session, body.premise_id)
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
    record(session, who, ServiceOrderCreated(out))
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
    record(session, who, ServiceOrderDispatched(after))
    return after


async def complete(session: AsyncSession, who: Principal, order_id: uuid.UUID,
                   body: CompleteIn) -> OrderOut:
    before = await get(session, order_id, lock=True)
    if who.role == "field_tech" and before.technician not in (None, who.sub):
        raise Forbidden("This order is dispatched to another technician")
    if not domain.may_complete(before.status):
        raise Conflict(f"Order is {before.status}", field="order_id")
    if (domain.guarded_by_collections(before.kind, before.reference)
            and who.sub != domain.COLLECTIONS_SUB):
        field_order = str(before.reference).removeprefix("collections:")
        raise Conflict("A disconnect for non-payment is completed through collections, which "
                       "checks SB 998's guardrails that day: POST /api/collections/field/"
                       f"orders/{field_order}/complete", field="order_id",
                       rule="sb998.guarded_disconnect")
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
    record(session, who, ServiceOrderCompleted(after))
    if final and after.account_id is not None:
        record(session, who, ClosingBillRequested(after))
    return after


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
    record(session, who, ServiceOrderCancelled(after))
    return after


async def listing(session: AsyncSession, account_id: uuid.UUID | None,
                  premise_id: uuid.UUID | None, status: str | None,
                  limit: int = 100) -> list[OrderOut]:
    return await repository.listing(session, account_id, premise_id, status, limit)


async def worklist(session: AsyncSession, route: str | None, cycle: str | None, through: date,
                   technician: str | None) -> list[OrderOut]:
    return await repository.worklist(session, route, cycle, through, technician)


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


async def from_collections(session: AsyncSession, who: Principal, payload: dict[str, Any],
                           today: date) -> OrderOut | None:
    """Collections asked for a door tag, a disconnect for non-payment or a reconnect; created
    once per `reference`, on the day collections scheduled it."""
    kind = str(payload.get("kind"))
    if kind not in domain.COLLECTIONS_MAY_REQUEST:
        raise ValueError(f"collections may not request a '{kind}' order")
    reference = str(payload["reference"])
    if await repository.by_reference(session, reference) is not None:
        return None
    scheduled = payload.get("scheduled_date")
    body = OrderIn(
        kind=kind, premise_id=uuid.UUID(str(payload["premise_id"])),
        account_id=uuid.UUID(str(payload["account_id"])) if payload.get("account_id") else None,
        scheduled_date=date.fromisoformat(str(scheduled)) if scheduled else today,
        reason=str(payload["reason"])[:500] if payload.get("reason") else None,
    )
    return await create(session, who, body, reference=reference)


async def collections_cancelled(session: AsyncSession, who: Principal,
                                payload: dict[str, Any]) -> OrderOut | None:
    """Collections stopped its order (a cure, a guardrail): the open order is cancelled."""
    found = await repository.by_reference(session, str(payload["reference"]))
    if found is None or not domain.may_cancel(found.status):
        return None
    return await cancel(session, who, found.id, str(payload.get("reason") or "Collections")[:500])


async def collections_completed(session: AsyncSession, who: Principal,
                                payload: dict[str, Any]) -> OrderOut | None:
    """Collections completed its disconnect (its guardrails allowed it that day): the order
    that carries it out is completed with the technician's notes."""
    found = await repository.by_reference(session, str(payload["reference"]))
    if found is None or not domain.may_complete(found.status):
        return None
    notes = payload.get("notes")
    done_by = payload.get("completed_by")
    text_notes = " ".join(x for x in (str(notes or ""), f"(completed by {done_by})"
                                      if done_by else "") if x).strip() or None
    return await complete(session, who, found.id, CompleteIn(notes=text_notes))
