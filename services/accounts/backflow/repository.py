"""All SQL for backflow devices and tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as
from services.accounts.backflow.schemas import DeviceOut, OverdueDevice, TestOut
from services.accounts.common import as_model, as_model_or_none, as_models


@dataclass(frozen=True)
class DueDevice:
    """A device due for its test, the account holding active service at its premise (if
    any), whether a live test order exists for the due date, and how many came before."""

    id: uuid.UUID
    serial: str
    premise_id: uuid.UUID
    next_test_due: date
    account_id: uuid.UUID | None
    ordered: bool
    earlier: int | None

_COLS = ("d.id, d.premise_id, d.kind, d.serial, d.size, d.location, d.installed_on, "
         "d.next_test_due, d.last_tested_on, d.last_result, d.status")


async def insert(session: AsyncSession, values: dict[str, Any]) -> DeviceOut | None:
    """The new device, or None when its serial exists."""
    return as_model_or_none(DeviceOut, (await session.execute(
        text("INSERT INTO backflow_devices AS d (id, premise_id, kind, serial, size, location, "
             "installed_on, next_test_due) VALUES (:id, :premise_id, :kind, :serial, :size, "
             ":location, :installed_on, :next_test_due) ON CONFLICT (serial) DO NOTHING "
             f"RETURNING {_COLS}"), values)).first())


async def get(session: AsyncSession, device_id: uuid.UUID,
              lock: bool = False) -> DeviceOut | None:
    suffix = " FOR UPDATE" if lock else ""
    return as_model_or_none(DeviceOut, (await session.execute(
        text(f"SELECT {_COLS} FROM backflow_devices d WHERE d.id = :id{suffix}"),
        {"id": device_id})).first())


async def at_premise(session: AsyncSession, premise_id: uuid.UUID) -> list[DeviceOut]:
    return as_models(DeviceOut, (await session.execute(
        text(f"SELECT {_COLS} FROM backflow_devices d WHERE d.premise_id = :p "
             "ORDER BY d.serial"), {"p": premise_id})).all())


async def add_test(session: AsyncSession, device_id: uuid.UUID, values: dict[str, Any],
                   actor: str) -> None:
    await session.execute(
        text("INSERT INTO backflow_tests (device_id, tested_on, result, tester, certificate, "
             "notes, actor) VALUES (:d, :tested_on, :result, :tester, :certificate, :notes, "
             ":actor)"), {**values, "d": device_id, "actor": actor})


async def set_tested(session: AsyncSession, device_id: uuid.UUID, tested_on: date,
                     result: str, due: date) -> DeviceOut:
    return as_model(DeviceOut, (await session.execute(
        text("UPDATE backflow_devices AS d SET last_tested_on = :t, last_result = :r, "
             f"next_test_due = :due WHERE d.id = :id RETURNING {_COLS}"),
        {"id": device_id, "t": tested_on, "r": result, "due": due})).one())


async def tests(session: AsyncSession, device_id: uuid.UUID) -> list[TestOut]:
    return as_models(TestOut, (await session.execute(
        text("SELECT tested_on, result, tester, certificate, notes FROM backflow_tests "
             "WHERE device_id = :d ORDER BY tested_on DESC, id DESC"), {"d": device_id})).all())


async def overdue(session: AsyncSession, today: date, limit: int) -> list[OverdueDevice]:
    return as_models(OverdueDevice, (await session.execute(
        text(f"SELECT {_COLS}, address_text(p.address) AS address, "
             "(:today - d.next_test_due) AS days_overdue "
             "FROM backflow_devices d JOIN premises p ON p.id = d.premise_id "
             "WHERE d.status = 'active' AND d.next_test_due < :today "
             "ORDER BY d.next_test_due, d.serial LIMIT :n"), {"today": today, "n": limit})).all())


async def due_for_orders(session: AsyncSession,
                         through: date) -> tuple[list[DueDevice], int]:
    """Active devices due on or before `through` with no live (not cancelled) test order for
    that due date, each with an account holding active service at the premise and how many
    orders (cancelled) came before; and how many due devices already have a live order.
    Orders name the device and due date in `reference` (`backflow:<device>:<due>[#n]`)."""
    rows = all_as(DueDevice, (await session.execute(
        text("SELECT d.id, d.serial, d.premise_id, d.next_test_due, "
             "(SELECT sa.account_id FROM service_agreements sa WHERE sa.premise_id = "
             " d.premise_id AND sa.status = 'active' ORDER BY sa.start_date LIMIT 1) "
             "AS account_id, coalesce(o.live, false) AS ordered, o.n AS earlier "
             "FROM backflow_devices d LEFT JOIN LATERAL ("
             " SELECT bool_or(o.status <> 'cancelled') AS live, count(*) AS n "
             " FROM service_orders o WHERE o.kind = 'backflow_test' "
             " AND o.reference LIKE 'backflow:' || d.id || ':' || d.next_test_due || '%') o "
             "ON true WHERE d.status = 'active' AND d.next_test_due <= :t "
             "ORDER BY d.next_test_due, d.serial FOR UPDATE OF d"), {"t": through})))
    return [r for r in rows if not r.ordered], sum(1 for r in rows if r.ordered)
