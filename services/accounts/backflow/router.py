"""Backflow prevention devices at premises, their annual tests and the overdue list."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query

from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.accounts.backflow import service
from services.accounts.backflow.schemas import (
    DeviceIn,
    DeviceOut,
    OverdueDevice,
    TestIn,
    TestOrdersIn,
    TestOrdersOut,
    TestOut,
)
from services.accounts.common import Csr, MeterStaff, Reader

router = APIRouter(prefix="/api/accounts/backflow", tags=["accounts-backflow"],
                   route_class=TxRoute)


@router.post("", response_model=DeviceOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def register_device(body: DeviceIn, session: SessionDep, who: MeterStaff) -> DeviceOut:
    """Register a backflow device at a premise with its first test due date."""
    return await service.register(session, who, body)


@router.get("/overdue", response_model=list[OverdueDevice],
            responses=problem_responses(401, 403, 422))
async def overdue(today: Day, session: SessionDep, _: Reader,
                  limit: int = Query(default=500, ge=1, le=5000)) -> list[OverdueDevice]:
    """Devices whose annual test is overdue on `today`, most overdue first."""
    return await service.overdue(session, today, limit)


@router.post("/overdue/orders", response_model=TestOrdersOut,
             responses=problem_responses(401, 403, 409, 422))
async def order_due_tests(body: TestOrdersIn, session: SessionDep,
                          who: Csr) -> TestOrdersOut:
    """Raise a backflow-test service order for every device due that has none for its due
    date (a cancelled order does not count)."""
    return await service.order_due_tests(session, who, body)


@router.get("/at-premise/{premise_id}", response_model=list[DeviceOut],
            responses=problem_responses(401, 403))
async def devices_at_premise(premise_id: uuid.UUID, session: SessionDep,
                             _: Reader) -> list[DeviceOut]:
    """Devices at a premise."""
    return await service.at_premise(session, premise_id)


@router.get("/{device_id}", response_model=DeviceOut,
            responses=problem_responses(401, 403, 404))
async def get_device(device_id: uuid.UUID, session: SessionDep, _: Reader) -> DeviceOut:
    """One device."""
    return await service.get(session, device_id)


@router.get("/{device_id}/tests", response_model=list[TestOut],
            responses=problem_responses(401, 403, 404))
async def device_tests(device_id: uuid.UUID, session: SessionDep, _: Reader) -> list[TestOut]:
    """Test results, newest first."""
    return await service.tests(session, device_id)


@router.post("/{device_id}/tests", response_model=DeviceOut, status_code=201,
             responses=problem_responses(401, 403, 404, 422))
async def record_test(device_id: uuid.UUID, body: TestIn, session: SessionDep,
                      who: MeterStaff) -> DeviceOut:
    """Record a test result; a pass sets the next due date a year on."""
    return await service.record_test(session, who, device_id, body, utility_today())
