"""All SQL of meter reads, read exceptions and AMI intervals."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as, one_as
from services.billing.reads.schemas import WorklistItem

BILLABLE = "('valid')"


@dataclass(frozen=True)
class Meter:
    id: uuid.UUID
    serial: str
    dials: int
    multiplier: Decimal
    premise_id: uuid.UUID | None
    status: str
    installed_at: date | None


@dataclass(frozen=True)
class Context:
    """What validation needs about a meter's history as of a date (see `context_row`)."""

    prev_value: Decimal | None
    prev_on: date | None
    prior_per_day: Decimal | None
    last_year_per_day: Decimal | None
    avg_per_day: Decimal | None
    active: bool | None


@dataclass(frozen=True)
class Read:
    id: uuid.UUID
    meter_id: uuid.UUID
    read_on: date
    value: Decimal
    usage: Decimal | None
    days: int | None
    source: str
    kind: str
    status: str
    replaces: uuid.UUID | None


@dataclass(frozen=True)
class ReadExceptionBrief:
    id: uuid.UUID
    code: str
    detail: str
    status: str


@dataclass(frozen=True)
class ReadException:
    """An exception with its meter's premise."""

    id: uuid.UUID
    read_id: uuid.UUID | None
    meter_id: uuid.UUID
    code: str
    detail: str
    status: str
    resolution: str | None
    reason: str | None
    premise_id: uuid.UUID | None


@dataclass(frozen=True)
class MeterAccount:
    account_id: uuid.UUID


@dataclass(frozen=True)
class Unread:
    route: str
    meter_id: uuid.UUID
    serial: str
    premise_id: uuid.UUID
    last_read_on: date | None


@dataclass(frozen=True)
class ReadImport:
    id: uuid.UUID
    accepted: int
    rejected: int
    errors: list[dict[str, int | str]]  # [{"line": 3, "message": "..."}]


@dataclass(frozen=True)
class ReadToJudge:
    id: uuid.UUID
    read_on: date
    value: Decimal


@dataclass(frozen=True)
class ExceptionState:
    id: uuid.UUID
    code: str
    status: str
    resolution: str | None


@dataclass(frozen=True)
class HeldRead:
    """A read kept for a serial the copy did not hold yet."""

    read_on: date
    value: Decimal
    source: str
    import_id: uuid.UUID | None
    line_no: int | None
    created_by: str


@dataclass(frozen=True)
class HeldForSerial(HeldRead):
    serial: str
    created_at: datetime


@dataclass(frozen=True)
class AmiDay:
    day: date
    total: Decimal
    hourly: list[Decimal | None]


# Judging a read and judging it again when the copy catches up must not pass each other:
# a read judged in a transaction that cannot yet see an accounts event, committed after the
# event's handler looked for reads to judge again, would keep its stale judgment. Both sides
# lock the meter: its copy row (FOR SHARE to judge, FOR UPDATE to judge again, in id order),
# and, for a meter the copy does not hold yet, a transaction advisory lock on its id.
_LOCKS = {"": "", "share": " ORDER BY id FOR SHARE", "update": " ORDER BY id FOR UPDATE"}


async def meters_by_serial(s: AsyncSession, serials: list[str], lock: str = ""
                           ) -> dict[str, Meter]:
    rows = all_as(Meter, await s.execute(text(
        "SELECT id, serial, dials, multiplier, premise_id, status, installed_at FROM meters "
        "WHERE serial = ANY(:s)" + _LOCKS[lock]), {"s": serials}))
    return {r.serial: r for r in rows}


async def meter(s: AsyncSession, meter_id: uuid.UUID, lock: str = "") -> Meter | None:
    return first_as(Meter, await s.execute(text(
        "SELECT id, serial, dials, multiplier, premise_id, status, installed_at FROM meters "
        "WHERE id = :id" + _LOCKS[lock]), {"id": meter_id}))


async def lock_meter_id(s: AsyncSession, meter_id: uuid.UUID | str) -> None:
    await s.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 12))"),
                    {"k": f"billing-meter:{meter_id}"})


async def context_row(s: AsyncSession, meter_id: uuid.UUID, on: date) -> Context:
    """Everything validation needs about a meter as of `on`, in one round trip."""
    return one_as(Context, await s.execute(text(
        """
        WITH prev AS (
            SELECT value, read_on, usage, days FROM reads
            WHERE meter_id = :m AND read_on < :on AND status <> 'rejected'
            ORDER BY read_on DESC, created_at DESC LIMIT 1
        ), ly AS (
            SELECT sum(usage) / nullif(sum(days), 0) AS per_day FROM reads
            WHERE meter_id = :m AND status = 'valid' AND kind = 'actual' AND days > 0
              AND read_on BETWEEN :ly_from AND :ly_to
        ), avg AS (
            SELECT sum(usage) / nullif(sum(days), 0) AS per_day FROM reads
            WHERE meter_id = :m AND status = 'valid' AND kind = 'actual' AND days > 0
              AND read_on >= :year_ago AND read_on < :on
        ), active AS (
            SELECT count(*) > 0 AS yes FROM service_agreements sa JOIN meters m
              ON m.id = :m AND (sa.meter_id = m.id OR (sa.meter_id IS NULL
                 AND sa.premise_id = m.premise_id))
            WHERE sa.start_date <= :on AND (sa.stop_date IS NULL OR sa.stop_date >= :on)
              AND sa.status <> 'pending'
        )
        SELECT prev.value AS prev_value, prev.read_on AS prev_on,
               prev.usage / nullif(prev.days, 0) AS prior_per_day,
               ly.per_day AS last_year_per_day, avg.per_day AS avg_per_day, active.yes AS active
        FROM active CROSS JOIN ly CROSS JOIN avg LEFT JOIN prev ON true
        """),
        {"m": meter_id, "on": on, "ly_from": on - timedelta(days=380),
         "ly_to": on - timedelta(days=350), "year_ago": on - timedelta(days=365)}))


async def insert_read(s: AsyncSession, r: Mapping[str, object]) -> bool:
    """Insert a read; False when the same read (meter, date, value, source) already exists."""
    res = await s.execute(text(
        "INSERT INTO reads (id, meter_id, read_on, value, usage, days, source, kind, status, "
        "import_id, line_no, replaces, reason, created_by) VALUES (:id, :meter_id, :read_on, "
        ":value, :usage, :days, :source, :kind, :status, :import_id, :line_no, :replaces, "
        ":reason, :created_by) ON CONFLICT ON CONSTRAINT reads_natural_uq DO NOTHING"),
        {"import_id": None, "line_no": None, "replaces": None, "reason": None, **r})
    return bool(res.rowcount)  # type: ignore[attr-defined]


async def insert_exceptions(s: AsyncSession, rows: Sequence[Mapping[str, object]]) -> None:
    for r in rows:
        await s.execute(text(
            "INSERT INTO read_exceptions (id, read_id, meter_id, code, detail) "
            "VALUES (:id, :read_id, :meter_id, :code, :detail)"), r)


async def get_read(s: AsyncSession, read_id: uuid.UUID) -> Read | None:
    return first_as(Read, await s.execute(text("SELECT * FROM reads WHERE id = :id"),
                                          {"id": read_id}))


async def set_read_status(s: AsyncSession, read_id: uuid.UUID, status: str,
                          usage: Decimal | None = None) -> None:
    await s.execute(text(
        "UPDATE reads SET status = :st, usage = coalesce(:u, usage) WHERE id = :id"),
        {"st": status, "u": usage, "id": read_id})


async def exceptions_of_read(s: AsyncSession, read_id: uuid.UUID) -> list[ReadExceptionBrief]:
    return all_as(ReadExceptionBrief, await s.execute(text(
        "SELECT id, code, detail, status FROM read_exceptions WHERE read_id = :r ORDER BY code"),
        {"r": read_id}))


async def get_exception(s: AsyncSession, exc_id: uuid.UUID, lock: bool = False
                        ) -> ReadException | None:
    return first_as(ReadException, await s.execute(text(
        "SELECT e.*, m.premise_id FROM read_exceptions e LEFT JOIN meters m ON m.id = e.meter_id "
        "WHERE e.id = :id" + (" FOR UPDATE OF e" if lock else "")), {"id": exc_id}))


async def resolve_exceptions(s: AsyncSession, ids: list[uuid.UUID], resolution: str,
                             reason: str | None, who: str, status: str = "resolved") -> None:
    await s.execute(text(
        "UPDATE read_exceptions SET status = :st, resolution = :res, reason = :why, "
        "resolved_by = :who, resolved_at = now() WHERE id = ANY(:ids)"),
        {"st": status, "res": resolution, "why": reason, "who": who, "ids": ids})


async def open_exception_ids(s: AsyncSession, read_id: uuid.UUID) -> list[uuid.UUID]:
    return [r.id for r in (await s.execute(text(
        "SELECT id FROM read_exceptions WHERE read_id = :r AND status <> 'resolved'"),
        {"r": read_id})).all()]


async def list_exceptions(s: AsyncSession, status: str | None, cycle: str | None
                          ) -> list[WorklistItem]:
    return [WorklistItem.model_validate(r._asdict()) for r in (await s.execute(text(
        "SELECT e.id, e.read_id, e.meter_id, m.serial, p.cycle, p.route, e.code, e.detail, "
        "e.status, e.resolution, e.reason, r.read_on, r.value FROM read_exceptions e "
        "LEFT JOIN meters m ON m.id = e.meter_id LEFT JOIN premises p ON p.id = m.premise_id "
        "LEFT JOIN reads r ON r.id = e.read_id "
        "WHERE (CAST(:st AS text) IS NULL OR e.status = :st) "
        "AND (CAST(:cy AS text) IS NULL OR p.cycle = :cy) "
        "ORDER BY p.route, m.serial, e.code, e.created_at"),
        {"st": status, "cy": cycle})).all()]


async def account_of_meter(s: AsyncSession, meter_id: uuid.UUID) -> MeterAccount | None:
    return first_as(MeterAccount, await s.execute(text(
        "SELECT sa.account_id FROM service_agreements sa JOIN meters m ON m.id = :m "
        "WHERE (sa.meter_id = m.id OR sa.premise_id = m.premise_id) AND sa.status = 'active' "
        "ORDER BY sa.service = 'water' DESC LIMIT 1"), {"m": meter_id}))


async def unread(s: AsyncSession, cycle: str, start: date, end: date) -> list[Unread]:
    """Meters on active agreements in the cycle with no usable read in (start, end]."""
    return all_as(Unread, await s.execute(text(
        """
        SELECT DISTINCT p.route, m.id AS meter_id, m.serial, p.id AS premise_id,
               (SELECT max(read_on) FROM reads r WHERE r.meter_id = m.id
                  AND r.status <> 'rejected') AS last_read_on
        FROM service_agreements sa JOIN premises p ON p.id = sa.premise_id
        JOIN meters m ON m.id = sa.meter_id
        WHERE p.cycle = :c AND sa.start_date <= :e
          AND (sa.stop_date IS NULL OR sa.stop_date > :s) AND sa.status <> 'pending'
          AND NOT EXISTS (SELECT 1 FROM reads r WHERE r.meter_id = m.id
                          AND r.status <> 'rejected' AND r.read_on > :s AND r.read_on <= :e)
        ORDER BY p.route, m.serial
        """), {"c": cycle, "s": start, "e": end}))


async def import_by_hash(s: AsyncSession, sha: str) -> ReadImport | None:
    return first_as(ReadImport, await s.execute(
        text("SELECT * FROM read_imports WHERE sha256 = :h"), {"h": sha}))


async def insert_import(s: AsyncSession, r: Mapping[str, object]) -> None:
    await s.execute(text(
        "INSERT INTO read_imports (id, kind, sha256, filename, imported_by, accepted, rejected, "
        "errors) VALUES (:id, :kind, :sha256, :filename, :imported_by, :accepted, :rejected, "
        "CAST(:errors AS jsonb))"), {**r, "errors": json.dumps(r["errors"])})


async def upsert_ami_day(s: AsyncSession, meter_id: uuid.UUID, day: date,
                         hourly: list[Decimal | None]) -> None:
    """Store a day's 24 hourly slots; a later file fills or replaces only the hours it has."""
    await s.execute(text(
        "INSERT INTO ami_days (meter_id, day, hourly, total) VALUES (:m, :d, :h, "
        "(SELECT coalesce(sum(x), 0) FROM unnest(CAST(:h AS numeric[])) x)) "
        "ON CONFLICT (meter_id, day) DO UPDATE SET hourly = ARRAY(SELECT coalesce(n, o) "
        "FROM unnest(ami_days.hourly, excluded.hourly) AS u(o, n)), "
        "total = (SELECT coalesce(sum(coalesce(n, o)), 0) "
        "FROM unnest(ami_days.hourly, excluded.hourly) AS u(o, n))"),
        {"m": meter_id, "d": day, "h": hourly})


async def ami_daily(s: AsyncSession, meter_id: uuid.UUID, start: date, end: date
                    ) -> list[AmiDay]:
    return all_as(AmiDay, await s.execute(text(
        "SELECT day, total, hourly FROM ami_days WHERE meter_id = :m AND day BETWEEN :s AND :e "
        "ORDER BY day"), {"m": meter_id, "s": start, "e": end}))


# ---- judging again when billing's copy catches up -------------------------------------------

async def reads_to_judge_again(s: AsyncSession, meter_id: uuid.UUID,
                               since: date | None) -> list[ReadToJudge]:
    """Reads of a meter whose judgment rests on the copy: every read still held for the copy,
    and (with `since`) the machine-judged reads from `since` on that no final bill has used
    (a billed read is history: changing it is a rebill, a person's decision)."""
    return all_as(ReadToJudge, await s.execute(text(
        """
        SELECT r.id, r.read_on, r.value FROM reads r
        WHERE r.meter_id = :m AND r.status IN ('valid', 'pending') AND r.kind = 'actual'
          AND r.source NOT IN ('install', 'correction')
          AND (EXISTS (SELECT 1 FROM read_exceptions e WHERE e.read_id = r.id
                         AND e.code = 'awaiting_copy' AND e.status = 'open')
               OR (CAST(:since AS date) IS NOT NULL AND r.read_on >= :since
                   AND r.read_on > coalesce((
                       SELECT max(b.period_end) FROM bills b
                       JOIN service_agreements sa ON sa.account_id = b.account_id
                       JOIN meters m ON m.id = :m
                       WHERE b.status = 'final' AND (sa.meter_id = m.id OR (sa.meter_id IS NULL
                             AND sa.premise_id = m.premise_id))), '-infinity'::date)))
        ORDER BY r.read_on, r.created_at
        """), {"m": meter_id, "since": since}))


async def exception_states(s: AsyncSession, read_id: uuid.UUID) -> list[ExceptionState]:
    return all_as(ExceptionState, await s.execute(text(
        "SELECT id, code, status, resolution FROM read_exceptions WHERE read_id = :r "
        "ORDER BY created_at"), {"r": read_id}))


async def set_judgment(s: AsyncSession, read_id: uuid.UUID, usage: Decimal | None,
                       days: int | None, status: str) -> None:
    await s.execute(text(
        "UPDATE reads SET usage = :u, days = :d, status = :st WHERE id = :id"),
        {"u": usage, "d": days, "st": status, "id": read_id})


async def meters_of_agreement(s: AsyncSession, meter_id: uuid.UUID | None,
                              premise_id: uuid.UUID) -> list[uuid.UUID]:
    """The meters an agreement measures (its own, else every meter at its premise)."""
    if meter_id is not None:
        return [meter_id]
    return [r.id for r in (await s.execute(text(
        "SELECT id FROM meters WHERE premise_id = :p"), {"p": premise_id})).all()]


async def hold_for_serial(s: AsyncSession, r: Mapping[str, object]) -> bool:
    """Keep a read for a serial the copy does not hold; False when already kept."""
    res = await s.execute(text(
        "INSERT INTO reads_awaiting_meter (id, serial, read_on, value, source, import_id, "
        "line_no, created_by) VALUES (:id, :serial, :read_on, :value, :source, :import_id, "
        ":line_no, :created_by) ON CONFLICT ON CONSTRAINT reads_awaiting_meter_uq DO NOTHING"),
        r)
    return bool(res.rowcount)  # type: ignore[attr-defined]


async def take_held_for_serial(s: AsyncSession, serial: str) -> list[HeldRead]:
    """The reads kept for `serial`, removed from the waiting list (the caller records them)."""
    return all_as(HeldRead, await s.execute(text(
        "DELETE FROM reads_awaiting_meter WHERE serial = :s RETURNING read_on, value, source, "
        "import_id, line_no, created_by"), {"s": serial}))


async def held_for_serials(s: AsyncSession) -> list[HeldForSerial]:
    return all_as(HeldForSerial, await s.execute(text(
        "SELECT serial, read_on, value, source, import_id, line_no, created_by, created_at "
        "FROM reads_awaiting_meter ORDER BY created_at, serial")))
