"""All of the nightly update's SQL: runs, their steps, and the reports a night kept."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as


@dataclass(frozen=True)
class RunRow:
    id: uuid.UUID
    day: date
    status: str
    requested_by: str
    started_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class StepRow:
    run_id: uuid.UUID
    step: str
    position: int
    status: str
    attempts: int
    started_at: datetime | None
    finished_at: datetime | None
    next_attempt_at: datetime | None
    result: Any
    error: str | None
    retried_by: str | None


@dataclass(frozen=True)
class ReportRow:
    service: str
    name: str
    period: str
    title: str
    media_type: str
    size: int


async def open_run(s: AsyncSession, day: date, steps: list[tuple[str, int, str | None]],
                   who: str) -> uuid.UUID:
    """The day's run, made with its steps (pending, or skipped with a reason) the first time;
    the same run every time after."""
    run_id = (await s.execute(text(
        "INSERT INTO runs (id, day, requested_by) VALUES (:id, :d, :who) "
        "ON CONFLICT (day) DO UPDATE SET day = EXCLUDED.day RETURNING id"),
        {"id": uuid.uuid4(), "d": day, "who": who})).scalar_one()
    await s.execute(text(
        "INSERT INTO steps (run_id, step, position, status, error, finished_at) "
        "SELECT :r, t.step, t.position, CASE WHEN t.skip IS NULL THEN 'pending' ELSE 'skipped' "
        "END, t.skip, CASE WHEN t.skip IS NULL THEN NULL ELSE now() END "
        "FROM unnest(CAST(:names AS text[]), CAST(:positions AS int[]), "
        "            CAST(:skips AS text[])) AS t(step, position, skip) "
        "ON CONFLICT DO NOTHING"),
        {"r": run_id, "names": [n for n, _, _ in steps], "positions": [p for _, p, _ in steps],
         "skips": [k for _, _, k in steps]})
    return uuid.UUID(str(run_id))


async def claim(s: AsyncSession, run_id: uuid.UUID, step: str, now: datetime) -> int | None:
    """Take the step if it may run now (pending, or failed and due for its next attempt):
    one statement, so two runners never both take it. Returns its attempt number."""
    return (await s.execute(text(
        "UPDATE steps SET status = 'running', attempts = attempts + 1, started_at = :now, "
        "finished_at = NULL, next_attempt_at = NULL "
        "WHERE run_id = :r AND step = :s AND (status = 'pending' "
        "  OR (status = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= :now)) "
        "RETURNING attempts"), {"r": run_id, "s": step, "now": now})).scalar_one_or_none()


async def finish(s: AsyncSession, run_id: uuid.UUID, step: str, now: datetime, *,
                 result: Any = None, error: str | None = None,
                 next_attempt_at: datetime | None = None) -> None:
    await s.execute(text(
        "UPDATE steps SET status = :st, finished_at = :now, result = CAST(:res AS jsonb), "
        "error = :err, next_attempt_at = :nxt WHERE run_id = :r AND step = :s"),
        {"st": "failed" if error is not None else "succeeded", "now": now,
         "res": json.dumps(result, default=str) if result is not None else None,
         "err": error, "nxt": next_attempt_at, "r": run_id, "s": step})


async def settle_run(s: AsyncSession, run_id: uuid.UUID, status: str, now: datetime) -> None:
    await s.execute(text(
        "UPDATE runs SET status = CAST(:st AS text), finished_at = CASE "
        "WHEN CAST(:st AS text) = 'running' THEN NULL ELSE CAST(:now AS timestamptz) END "
        "WHERE id = :r"), {"st": status, "now": now, "r": run_id})


async def retry(s: AsyncSession, run_id: uuid.UUID, step: str, who: str) -> bool:
    """A failed step back to pending (its attempts are kept), at a supervisor's word."""
    res = await s.execute(text(
        "UPDATE steps SET status = 'pending', next_attempt_at = NULL, retried_by = :who "
        "WHERE run_id = :r AND step = :s AND status = 'failed'"),
        {"r": run_id, "s": step, "who": who})
    if not res.rowcount:  # type: ignore[attr-defined]
        return False
    await s.execute(text("UPDATE runs SET status = 'running', finished_at = NULL WHERE id = :r"),
                    {"r": run_id})
    return True


async def resume_interrupted(s: AsyncSession) -> int:
    """Steps left `running` by a process that died mid-step go back to pending: the leader
    that finds them is the only runner, so nobody else is on them."""
    res = await s.execute(text(
        "UPDATE steps SET status = 'pending' WHERE status = 'running'"))
    return int(res.rowcount)  # type: ignore[attr-defined]


async def unfinished_runs(s: AsyncSession) -> list[RunRow]:
    return all_as(RunRow, await s.execute(text(
        "SELECT * FROM runs WHERE status = 'running' ORDER BY day")))


async def run_of_day(s: AsyncSession, day: date) -> RunRow | None:
    rows = all_as(RunRow, await s.execute(text("SELECT * FROM runs WHERE day = :d"), {"d": day}))
    return rows[0] if rows else None


async def run(s: AsyncSession, run_id: uuid.UUID) -> RunRow | None:
    rows = all_as(RunRow, await s.execute(text("SELECT * FROM runs WHERE id = :r"),
                                          {"r": run_id}))
    return rows[0] if rows else None


async def runs(s: AsyncSession, limit: int) -> list[RunRow]:
    return all_as(RunRow, await s.execute(text(
        "SELECT * FROM runs ORDER BY day DESC LIMIT :n"), {"n": limit}))


async def steps(s: AsyncSession, run_ids: list[uuid.UUID]) -> list[StepRow]:
    return all_as(StepRow, await s.execute(text(
        "SELECT * FROM steps WHERE run_id = ANY(:r) ORDER BY run_id, position"),
        {"r": run_ids}))


async def keep_report(s: AsyncSession, run_id: uuid.UUID, service: str, name: str, period: str,
                      title: str, media_type: str, content: bytes) -> None:
    await s.execute(text(
        "INSERT INTO report_files (run_id, service, name, period, title, media_type, content) "
        "VALUES (:r, :svc, :n, :p, :t, :m, :c) ON CONFLICT (run_id, service, name) DO UPDATE "
        "SET content = EXCLUDED.content, kept_at = now()"),
        {"r": run_id, "svc": service, "n": name, "p": period, "t": title, "m": media_type,
         "c": content})


async def reports(s: AsyncSession, run_id: uuid.UUID) -> list[ReportRow]:
    return all_as(ReportRow, await s.execute(text(
        "SELECT service, name, period, title, media_type, length(content) AS size "
        "FROM report_files WHERE run_id = :r ORDER BY service, name"), {"r": run_id}))


async def report_file(s: AsyncSession, run_id: uuid.UUID, service: str,
                      name: str) -> tuple[str, bytes, str] | None:
    row = (await s.execute(text(
        "SELECT media_type, content, period FROM report_files "
        "WHERE run_id = :r AND service = :svc AND name = :n"),
        {"r": run_id, "svc": service, "n": name})).first()
    return (row[0], bytes(row[1]), row[2]) if row else None
