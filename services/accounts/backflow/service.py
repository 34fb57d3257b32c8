"""Backflow devices: register, record annual tests, list overdue ones (flush only)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, NotFound, Unprocessable
from services.accounts.backflow import domain, repository
from services.accounts.backflow.schemas import (
    DeviceIn,
    DeviceOut,
    OverdueDevice,
    TestIn,
    TestOrder,
    TestOrdersIn,
    TestOrdersOut,
    TestOut,
)
from services.accounts.orders import service as orders
from services.accounts.orders.schemas import OrderIn
from services.accounts.premises.service import get as get_premise


async def register(session: AsyncSession, who: Principal, body: DeviceIn) -> DeviceOut:
    await get_premise(session, body.premise_id)
    if body.installed_on and body.next_test_due < body.installed_on:
        raise Unprocessable("Test due before the device was installed", field="next_test_due")
    out = await repository.insert(session, {"id": uuid.uuid4(), **body.model_dump()})
    if out is None:
        raise Conflict("A device with this serial exists", field="serial")
    await audit.record(session, who, "backflow.register", "backflow_device", str(out.id),
                       after=out)
    return out


async def get(session: AsyncSession, device_id: uuid.UUID) -> DeviceOut:
    found = await repository.get(session, device_id)
    if found is None:
        raise NotFound("No such backflow device", field="device_id")
    return found


async def record_test(session: AsyncSession, who: Principal, device_id: uuid.UUID,
                      body: TestIn, today: date) -> DeviceOut:
    before = await get(session, device_id)
    if body.tested_on > today:
        raise Unprocessable("A test cannot be dated in the future", field="tested_on")
    await repository.add_test(session, device_id, body.model_dump(), who.sub)
    after = await repository.set_tested(session, device_id, body.tested_on, body.result,
                                        domain.next_due(body.tested_on, body.result))
    await audit.record(session, who, "backflow.test", "backflow_device", str(device_id),
                       before=before, after=after)
    return after


async def tests(session: AsyncSession, device_id: uuid.UUID) -> list[TestOut]:
    await get(session, device_id)
    return await repository.tests(session, device_id)


async def at_premise(session: AsyncSession, premise_id: uuid.UUID) -> list[DeviceOut]:
    return await repository.at_premise(session, premise_id)


async def overdue(session: AsyncSession, today: date, limit: int = 500) -> list[OverdueDevice]:
    return await repository.overdue(session, today, limit)


async def order_due_tests(session: AsyncSession, who: Principal,
                          body: TestOrdersIn) -> TestOrdersOut:
    """The monthly cross-connection run: one service order per device due, so the field crew's
    worklist carries them. A device already ordered for its due date is left alone (unless
    that order was cancelled), so running it twice orders nothing twice."""
    through = body.today + timedelta(days=body.due_within_days)
    due, already = await repository.due_for_orders(session, through)
    created = []
    for d in due:
        when = "overdue since" if d.next_test_due < body.today else "due"
        order = await orders.create(session, who, OrderIn(
            kind="backflow_test", premise_id=d.premise_id, account_id=d.account_id,
            scheduled_date=body.scheduled_date or body.today,
            reason=f"Annual backflow test of device {d.serial} {when} {d.next_test_due}",
        ), reference=f"backflow:{d.id}:{d.next_test_due}" + (f"#{d.earlier}" if d.earlier else ""))
        created.append(TestOrder(device_id=d.id, serial=d.serial, next_test_due=d.next_test_due,
                                 order_id=order.id, order_number=order.number))
    return TestOrdersOut(created=created, already_ordered=already)
