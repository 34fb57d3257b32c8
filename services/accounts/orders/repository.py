"""All SQL for service orders."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.accounts.orders.schemas import OrderOut, Read

_SELECT = """
    SELECT o.id, o.number, o.kind, o.status, o.account_id, o.premise_id, o.meter_id,
           o.scheduled_date, o.technician, o.dispatched_at, o.completed_at, o.read_value,
           o.read_at, o.notes, o.reason, o.reference, o.final_for_sa_ids, o.stop_date,
           address_text(p.address) AS address, p.cycle, p.route, m.serial AS meter_serial
    FROM service_orders o
    JOIN premises p ON p.id = o.premise_id
    LEFT JOIN meters m ON m.id = o.meter_id
"""


def _order(row: Row[Any]) -> OrderOut:
    """The read is stored as value and time beside the order's meter."""
    data = dict(row._mapping)
    value, read_at = data.pop("read_value"), data.pop("read_at")
    data["read"] = (Read(meter_id=row.meter_id, value=value, read_at=read_at)
                    if value is not None and row.meter_id is not None else None)
    data["final_for_sa_ids"] = list(data["final_for_sa_ids"] or [])
    return OrderOut.model_validate(data)


def _order_or_none(row: Row[Any] | None) -> OrderOut | None:
    return None if row is None else _order(row)


async def insert(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(
        text("INSERT INTO service_orders (id, kind, account_id, premise_id, meter_id, "
             "scheduled_date, reason, reference, final_for_sa_ids, stop_date, created_by) "
             "VALUES (:id, :kind, :account_id, :premise_id, :meter_id, :scheduled_date, "
             ":reason, :reference, CAST(:final_for_sa_ids AS uuid[]), :stop_date, :created_by)"),
        {**values, "final_for_sa_ids": [str(i) for i in values["final_for_sa_ids"]]},
    )


async def get(session: AsyncSession, order_id: uuid.UUID,
              lock: bool = False) -> OrderOut | None:
    suffix = " FOR UPDATE OF o" if lock else ""
    return _order_or_none((await session.execute(text(f"{_SELECT} WHERE o.id = :id{suffix}"),
                                                 {"id": order_id})).first())


async def by_reference(session: AsyncSession, reference: str) -> OrderOut | None:
    return _order_or_none((await session.execute(text(f"{_SELECT} WHERE o.reference = :r"),
                                                 {"r": reference})).first())


async def set_dispatched(session: AsyncSession, order_id: uuid.UUID, technician: str) -> None:
    await session.execute(
        text("UPDATE service_orders SET status = 'dispatched', technician = :t, "
             "dispatched_at = now(), updated_at = now() WHERE id = :id"),
        {"id": order_id, "t": technician},
    )


async def set_completed(session: AsyncSession, order_id: uuid.UUID, read: Decimal | None,
                        read_at: datetime | None, notes: str | None, technician: str) -> None:
    await session.execute(
        text("UPDATE service_orders SET status = 'completed', completed_at = now(), "
             "read_value = :r, read_at = :ra, notes = :n, "
             "technician = coalesce(technician, :t), updated_at = now() WHERE id = :id"),
        {"id": order_id, "r": read, "ra": read_at, "n": notes, "t": technician},
    )


async def set_cancelled(session: AsyncSession, order_id: uuid.UUID, reason: str) -> None:
    await session.execute(
        text("UPDATE service_orders SET status = 'cancelled', "
             "notes = concat_ws(E'\\n', notes, 'Cancelled: ' || :r), updated_at = now() "
             "WHERE id = :id"),
        {"id": order_id, "r": reason},
    )


async def listing(session: AsyncSession, account_id: uuid.UUID | None,
                  premise_id: uuid.UUID | None, status: str | None,
                  limit: int) -> list[OrderOut]:
    return [_order(r) for r in (await session.execute(
        text(f"{_SELECT} WHERE (CAST(:a AS uuid) IS NULL OR o.account_id = :a) "
             "AND (CAST(:p AS uuid) IS NULL OR o.premise_id = :p) "
             "AND (CAST(:s AS text) IS NULL OR o.status = :s) "
             "ORDER BY o.created_at DESC, o.number DESC LIMIT :n"),
        {"a": account_id, "p": premise_id, "s": status, "n": limit},
    )).all()]


async def worklist(session: AsyncSession, route: str | None, cycle: str | None, through: date,
                   technician: str | None) -> list[OrderOut]:
    """Open and dispatched orders due by `through`, in walking order along the route."""
    return [_order(r) for r in (await session.execute(
        text(f"{_SELECT} WHERE o.status IN ('open', 'dispatched') "
             "AND o.scheduled_date <= :d "
             "AND (CAST(:r AS text) IS NULL OR p.route = :r) "
             "AND (CAST(:c AS text) IS NULL OR p.cycle = :c) "
             "AND (CAST(:t AS text) IS NULL OR o.technician = :t) "
             "ORDER BY p.cycle, p.route, p.address->>'line1', o.scheduled_date, o.number"),
        {"d": through, "r": route, "c": cycle, "t": technician},
    )).all()]
