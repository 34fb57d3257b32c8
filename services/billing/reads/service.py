"""Use cases of meter reads: record and validate, import files, work exceptions, report unread."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.billing.config import service as config
from services.billing.reads import domain
from services.billing.reads import repository as repo
from services.billing.reads.schemas import (
    AmiDay,
    ExceptionOut,
    HeldRead,
    ImportResult,
    ReadOut,
    RowErrorOut,
    ThresholdsIO,
    UnreadMeter,
    UnreadReport,
    WorklistItem,
)

THRESHOLDS_KEY = "reads.thresholds"
MAX_FILE = 20 * 1024 * 1024


async def thresholds(s: AsyncSession) -> domain.Thresholds:
    t = await config.load(s, THRESHOLDS_KEY, ThresholdsIO)
    return domain.Thresholds(t.high_factor, t.low_factor, t.min_high_usage)


async def thresholds_in_force(s: AsyncSession) -> ThresholdsIO:
    return await config.load(s, THRESHOLDS_KEY, ThresholdsIO)


async def set_thresholds(s: AsyncSession, who: Principal, t: ThresholdsIO) -> ThresholdsIO:
    await config.save(s, THRESHOLDS_KEY, t)
    await audit.record(s, who, "set-thresholds", "config", THRESHOLDS_KEY, after=t)
    return t


async def _context(s: AsyncSession, m: repo.Meter, on: date) -> domain.Context:
    c = await repo.context_row(s, m.id, on)
    return domain.Context(c.prev_value, c.prev_on, m.dials, m.multiplier, bool(c.active),
                          c.prior_per_day, c.last_year_per_day, c.avg_per_day)


async def record(s: AsyncSession, m: repo.Meter | None, on: date, value: Decimal, source: str,
                 who: str, th: domain.Thresholds, import_id: uuid.UUID | None = None,
                 line_no: int | None = None, meter_id: uuid.UUID | None = None
                 ) -> tuple[uuid.UUID | None, int]:
    """Validate and store one read; (read id or None if already there, exceptions opened).

    `m` is the meter in billing's copy, None when the copy has not heard of `meter_id` yet:
    then, or while the copy still shows the meter uninstalled, the read is held (pending, an
    `awaiting_copy` exception) and judged when the copy catches up (`judge_again`)."""
    gap = domain.copy_gap(m.status if m else None)
    if gap is not None or m is None:  # no meter: copy_gap says so
        ev = domain.Evaluation(None, None, [(domain.AWAITING_COPY, f"{gap}; the read is "
                                             "judged when it does")])
    else:
        if value >= domain.register_max(m.dials):
            raise Unprocessable(f"reading {value} does not fit {m.dials} dials", field="value")
        ev = domain.evaluate(value, on, await _context(s, m, on), th)
    rid = uuid.uuid4()
    mid = m.id if m is not None else meter_id
    inserted = await repo.insert_read(s, {
        "id": rid, "meter_id": mid, "read_on": on, "value": value, "usage": ev.usage,
        "days": ev.days, "source": source, "kind": "actual",
        "status": "pending" if ev.issues else "valid", "import_id": import_id,
        "line_no": line_no, "created_by": who})
    if not inserted:
        return None, 0
    await repo.insert_exceptions(s, [
        {"id": uuid.uuid4(), "read_id": rid, "meter_id": mid, "code": code, "detail": detail}
        for code, detail in ev.issues])
    return rid, len(ev.issues)


async def copy_gap_of(s: AsyncSession, meter_id: uuid.UUID) -> str | None:
    """Why billing's copy cannot judge reads of this meter yet (None: it can)."""
    m = await repo.meter(s, meter_id)
    gap = domain.copy_gap(m.status if m else None)
    return f"{gap} ({meter_id})" if gap else None


async def meter_to_judge(s: AsyncSession, meter_id: uuid.UUID) -> repo.Meter | None:
    """The copy's meter, locked against a concurrent catching-up (see repository); None when
    the copy has not heard of it, after waiting for a handler that may be adding it."""
    m = await repo.meter(s, meter_id, lock="share")
    if m is None:
        await repo.lock_meter_id(s, meter_id)
        m = await repo.meter(s, meter_id, lock="share")
    return m


async def judge_again(s: AsyncSession, meter_id: uuid.UUID, since: date | None,
                      why: str) -> int:
    """Billing's copy caught up on this meter (`why`): judge again, in date order, the reads
    held for it and (from `since`) the unbilled reads judged on the copy as it was. Exceptions
    the copy raised and no longer raises are cleared, new ones opened; a person's resolution
    stands. Returns how many reads changed."""
    await repo.lock_meter_id(s, meter_id)
    m = await repo.meter(s, meter_id, lock="update")
    reads = await repo.reads_to_judge_again(s, meter_id, since)
    if not reads:
        return 0
    th = await thresholds(s)
    changed = 0
    for r in reads:
        gap = domain.copy_gap(m.status if m else None)
        if gap is not None or m is None:  # no meter: copy_gap says so
            ev = domain.Evaluation(None, None, [(domain.AWAITING_COPY, f"{gap}; the read is "
                                                 "judged when it does")])
        else:
            ev = domain.judge(r.value, r.read_on, await _context(s, m, r.read_on), th)
        states = [domain.RaisedException(e.id, e.code, e.status, e.resolution)
                  for e in await repo.exception_states(s, r.id)]
        clear, new = domain.reconcile(states, ev.issues)
        if clear:
            await repo.resolve_exceptions(s, clear, domain.CLEARED,
                                          f"billing's copy caught up: {why}", "billing")
        await repo.insert_exceptions(s, [
            {"id": uuid.uuid4(), "read_id": r.id, "meter_id": meter_id, "code": c, "detail": d}
            for c, d in new])
        still_open = bool(new) or any(
            e.status in ("open", "reread_ordered") and e.id not in clear for e in states)
        status = "pending" if still_open else "valid"
        usage = ev.usage
        if usage is None and status == "valid" and ev.days:
            usage = Decimal(0)  # an accepted lower read uses nothing (as `_release` does)
        await repo.set_judgment(s, r.id, usage, ev.days, status)
        changed += bool(clear or new)
    return changed


async def judge_again_for_agreement(s: AsyncSession, meter_ids: list[Any | None],
                                    premise_ids: list[Any], since: date, why: str) -> int:
    """An agreement's dates, status or meter changed in the copy: judge again the reads of the
    meters it measures (its meter, else its premise's) from `since` (use on an inactive
    agreement and zero use on an active one rest on it)."""
    meters: set[uuid.UUID] = set()
    for meter_id, premise_id in zip(meter_ids, premise_ids, strict=True):
        meters.update(await repo.meters_of_agreement(
            s, uuid.UUID(str(meter_id)) if meter_id else None, uuid.UUID(str(premise_id))))
    return sum([await judge_again(s, m, since, why) for m in sorted(meters)])


async def baseline(s: AsyncSession, meter_id: Any, on: date, value: Decimal) -> bool:
    """The install read of a meter: where its first period's use is measured from.
    True when it is new (reads after it must then be judged again)."""
    return await repo.insert_read(s, {
        "id": uuid.uuid4(), "meter_id": meter_id, "read_on": on, "value": value, "usage": None,
        "days": None, "source": "install", "kind": "actual", "status": "valid",
        "created_by": "accounts"})


async def read_out(s: AsyncSession, read_id: uuid.UUID) -> ReadOut:
    r = await repo.get_read(s, read_id)
    if r is None:
        raise NotFound("No such read", field="read_id")
    exc = await repo.exceptions_of_read(s, read_id)
    return ReadOut(id=r.id, meter_id=r.meter_id, read_on=r.read_on, value=r.value,
                   usage=r.usage, kind=r.kind, status=r.status,
                   exceptions=[ExceptionOut(id=e.id, code=e.code, detail=e.detail,
                                            status=e.status) for e in exc])


async def add_read(s: AsyncSession, who: Principal, meter_id: uuid.UUID, on: date,
                   value: Decimal, source: str, today: date) -> ReadOut:
    if on > today:
        raise Unprocessable("A read cannot be in the future", field="read_on")
    m = await meter_to_judge(s, meter_id)
    rid, _ = await record(s, m, on, value, source, who.sub, await thresholds(s),
                          meter_id=meter_id)
    if rid is None:
        raise Conflict("This read was already recorded", field="read_on")
    return await read_out(s, rid)


async def import_file(s: AsyncSession, who: Principal, kind: str, filename: str,
                      content: bytes, today: date) -> ImportResult:
    if len(content) > MAX_FILE:
        raise Unprocessable("The file is larger than 20 MiB", field="file")
    if not content.strip():
        raise Unprocessable("The file is empty", field="file")
    sha = hashlib.sha256(content).hexdigest()
    seen = await repo.import_by_hash(s, sha)
    if seen is not None:
        return ImportResult(import_id=seen.id, duplicate=True, accepted=seen.accepted,
                            rejected=seen.rejected,
                            errors=[RowErrorOut.model_validate(e) for e in seen.errors])
    try:
        text_ = content.decode("utf-8").replace("\x00", "\ufffd")  # NUL cannot be stored
    except UnicodeDecodeError as exc:
        raise Unprocessable("The file is not UTF-8 text", field="file") from exc
    import_id = uuid.uuid4()
    try:
        if kind == "handheld":
            good, errors, n_exc, held = await _import_handheld(s, who, import_id, text_, today)
        else:
            good, errors, n_exc, held = await _import_ami(s, who, import_id, text_, today)
    except domain.NotAReadFile as exc:
        raise Unprocessable(f"Not a {kind} read file: {exc}", field="file") from exc
    err = [{"line": e.line, "message": e.message} for e in sorted(errors, key=lambda e: e.line)]
    if kind == "handheld":
        good += held  # a kept row is accepted; AMI counts intervals, and keeps register reads
    await repo.insert_import(s, {"id": import_id, "kind": kind, "sha256": sha,
                                 "filename": filename, "imported_by": who.sub,
                                 "accepted": good, "rejected": len(err), "errors": err})
    await audit.record(s, who, "import-reads", "read_import", str(import_id),
                       after={"file": filename, "accepted": good, "rejected": len(err),
                              "awaiting_copy": held})
    return ImportResult(import_id=import_id, duplicate=False, accepted=good,
                        rejected=len(err), exceptions=n_exc, awaiting_copy=held,
                        errors=[RowErrorOut(**e) for e in err])


async def _import_handheld(s: AsyncSession, who: Principal, import_id: uuid.UUID, content: str,
                           today: date) -> tuple[int, list[domain.RowError], int, int]:
    """Rows for a serial billing's copy has not heard of are kept (`awaiting_copy` in the
    result, `GET /reads/awaiting-meter`) and recorded when the meter's event arrives."""
    rows, errors = domain.parse_handheld(content, today)
    meters = await repo.meters_by_serial(s, sorted({r.serial for r in rows}), lock="share")
    th = await thresholds(s)
    good = n_exc = held = 0
    seen: set[str] = set()
    for r in sorted(rows, key=lambda r: (r.read_on, r.line)):
        if r.serial in seen:
            errors.append(domain.RowError(r.line, f"meter {r.serial} appears twice in the file"))
            continue
        seen.add(r.serial)
        m = meters.get(r.serial) or await _meter_by_serial_to_judge(s, r.serial)
        if m is None:
            await repo.hold_for_serial(s, {
                "id": uuid.uuid4(), "serial": r.serial, "read_on": r.read_on, "value": r.value,
                "source": "handheld", "import_id": import_id, "line_no": r.line,
                "created_by": who.sub})
            held += 1
            continue
        try:
            rid, k = await record(s, m, r.read_on, r.value, "handheld", who.sub, th,
                                  import_id, r.line)
        except Unprocessable as exc:
            errors.append(domain.RowError(r.line, exc.detail or "invalid"))
            continue
        good += 1
        n_exc += k
    return good, errors, n_exc, held


async def _meter_by_serial_to_judge(s: AsyncSession, serial: str) -> repo.Meter | None:
    """A serial the copy did not hold when the file was read: wait for a handler that may be
    adding it (the lock `adopt_held_for_serial` takes), then look again."""
    await repo.lock_meter_id(s, serial)
    return (await repo.meters_by_serial(s, [serial], lock="share")).get(serial)


async def adopt_held_for_serial(s: AsyncSession, meter_id: uuid.UUID, serial: str) -> int:
    """The copy now holds the meter a route file named by serial: its kept reads are recorded
    and judged (held again as `awaiting_copy` while the meter is not installed)."""
    await repo.lock_meter_id(s, serial)
    kept = await repo.take_held_for_serial(s, serial)
    if not kept:
        return 0
    m = await meter_to_judge(s, meter_id)
    th = await thresholds(s)
    for r in sorted(kept, key=lambda r: r.read_on):
        try:
            await record(s, m, r.read_on, r.value, r.source, r.created_by, th, r.import_id,
                         r.line_no, meter_id=meter_id)
        except Unprocessable as exc:  # too many digits for the meter: on the worklist
            await repo.insert_exceptions(s, [{
                "id": uuid.uuid4(), "read_id": None, "meter_id": meter_id,
                "code": "does_not_fit", "detail": f"route file read of {r.read_on}: "
                f"{exc.detail}"}])
    return len(kept)


async def held_for_serials(s: AsyncSession) -> list[HeldRead]:
    return [HeldRead.model_validate(r, from_attributes=True)
            for r in await repo.held_for_serials(s)]


async def _import_ami(s: AsyncSession, who: Principal, import_id: uuid.UUID, content: str,
                      today: date) -> tuple[int, list[domain.RowError], int, int]:
    """Intervals for a serial billing's copy has not heard of are refused by line (the daily
    view is not billing's); that serial's last register read is kept like a route file's."""
    rows, errors = domain.parse_intervals(content)
    meters = await repo.meters_by_serial(s, sorted({r.serial for r in rows}), lock="share")
    for serial in sorted({r.serial for r in rows} - set(meters)):
        m = await _meter_by_serial_to_judge(s, serial)
        if m is not None:
            meters[serial] = m
    known = []
    unknown_last: dict[str, domain.IntervalRow] = {}
    for r in rows:
        if r.serial not in meters:
            errors.append(domain.RowError(r.line, f"unknown meter {r.serial}"))
            if r.register is not None and r.at.date() <= today and (
                    r.serial not in unknown_last or r.at >= unknown_last[r.serial].at):
                unknown_last[r.serial] = r
        elif r.at.date() > today:
            errors.append(domain.RowError(r.line, "interval is in the future"))
        else:
            known.append(r)
    for (serial, day), hourly in sorted(domain.fold_days(known).items()):
        await repo.upsert_ami_day(s, meters[serial].id, day, hourly)
    th = await thresholds(s)
    n_exc = 0
    last: dict[str, domain.IntervalRow] = {}
    for r in known:
        if r.register is not None and (r.serial not in last or r.at >= last[r.serial].at):
            last[r.serial] = r
    for serial, r in sorted(last.items()):
        assert r.register is not None
        try:
            _, k = await record(s, meters[serial], r.at.date(), r.register, "ami", who.sub, th,
                                import_id, r.line)
            n_exc += k
        except Unprocessable as exc:
            errors.append(domain.RowError(r.line, exc.detail or "invalid"))
    for serial, r in sorted(unknown_last.items()):
        assert r.register is not None
        await repo.hold_for_serial(s, {
            "id": uuid.uuid4(), "serial": serial, "read_on": r.at.date(), "value": r.register,
            "source": "ami", "import_id": import_id, "line_no": r.line, "created_by": who.sub})
    return len(known), errors, n_exc, len(unknown_last)


async def unread_report(s: AsyncSession, who: Principal, cycle: str, start: date, end: date,
                        open_exceptions: bool) -> UnreadReport:
    rows = await repo.unread(s, cycle, start, end)
    by_route: dict[str, int] = {}
    for r in rows:
        by_route[r.route] = by_route.get(r.route, 0) + 1
    opened = 0
    if open_exceptions and rows:
        await repo.insert_exceptions(s, [
            {"id": uuid.uuid4(), "read_id": None, "meter_id": r.meter_id, "code": "missing",
             "detail": f"no read for cycle {cycle} period ending {end}"} for r in rows])
        opened = len(rows)
        await audit.record(s, who, "missing-reads", "cycle", cycle, after={"count": opened})
    return UnreadReport(cycle=cycle, period_start=start, period_end=end, count=len(rows),
                        by_route=by_route, exceptions_opened=opened,
                        meters=[UnreadMeter(route=r.route, meter_id=r.meter_id, serial=r.serial,
                                            premise_id=r.premise_id,
                                            last_read_on=r.last_read_on) for r in rows])


async def ami_daily(s: AsyncSession, meter_id: uuid.UUID, start: date, end: date
                    ) -> list[AmiDay]:
    if await repo.meter(s, meter_id) is None:
        raise NotFound("No such meter", field="meter_id")
    return [AmiDay(day=r.day, total=r.total, hourly=list(r.hourly))
            for r in await repo.ami_daily(s, meter_id, start, end)]


# ---- the exceptions worklist ---------------------------------------------------------------

async def worklist(s: AsyncSession, status: str | None, cycle: str | None
                   ) -> list[WorklistItem]:
    return await repo.list_exceptions(s, status, cycle)


async def _meter(s: AsyncSession, meter_id: uuid.UUID) -> repo.Meter:
    m = await repo.meter(s, meter_id)
    if m is None:
        raise NotFound("No such meter", field="meter_id")
    return m


async def _read(s: AsyncSession, read_id: uuid.UUID) -> repo.Read:
    r = await repo.get_read(s, read_id)
    if r is None:
        raise NotFound("No such read", field="read_id")
    return r


async def _open_exception(s: AsyncSession, exc_id: uuid.UUID) -> repo.ReadException:
    e = await repo.get_exception(s, exc_id, lock=True)
    if e is None:
        raise NotFound("No such read exception", field="exception_id")
    if e.status == "resolved":
        raise Conflict("This exception is already resolved")
    if e.code == domain.AWAITING_COPY:
        raise Conflict("This read waits for billing's copy of accounts and is judged when the "
                       "copy catches up; if it does not, see the parked events "
                       "(/api/billing/admin/events/parked)")
    return e


async def _release(s: AsyncSession, read_id: uuid.UUID | None) -> None:
    """A read whose exceptions are all resolved becomes billable."""
    if read_id is not None and not await repo.open_exception_ids(s, read_id):
        r = await _read(s, read_id)
        if r.status == "pending":
            await repo.set_read_status(s, read_id, "valid",
                                       Decimal(0) if r.usage is None and r.days else None)


async def accept(s: AsyncSession, who: Principal, exc_id: uuid.UUID, reason: str) -> ReadOut:
    e = await _open_exception(s, exc_id)
    if e.read_id is None:
        raise Unprocessable("A missing read cannot be accepted: estimate it or order a re-read")
    await repo.resolve_exceptions(s, [e.id], "accepted", reason, who.sub)
    await _release(s, e.read_id)
    await audit.record(s, who, "accept", "read_exception", str(e.id), reason=reason)
    return await read_out(s, e.read_id)


async def order_reread(s: AsyncSession, who: Principal, exc_id: uuid.UUID,
                       reason: str) -> dict[str, Any]:
    e = await _open_exception(s, exc_id)
    if e.status == "reread_ordered":
        raise Conflict("A re-read is already ordered for this exception")
    acct = await repo.account_of_meter(s, e.meter_id)
    account_id = str(acct.account_id) if acct else None
    await repo.resolve_exceptions(s, [e.id], "reread", reason, who.sub, status="reread_ordered")
    payload = {"kind": "re_read", "account_id": account_id, "premise_id": str(e.premise_id),
               "meter_id": str(e.meter_id), "reason": reason, "reference": f"exception:{e.id}"}
    key = f"account:{account_id}" if account_id else f"premise:{e.premise_id}"
    await publish(s, [Event("billing.ServiceOrderRequested", key, payload)], actor=who.sub)
    await audit.record(s, who, "order-reread", "read_exception", str(e.id), reason=reason)
    return payload


async def estimate(s: AsyncSession, who: Principal, exc_id: uuid.UUID, on: date | None,
                   reason: str) -> ReadOut:
    e = await _open_exception(s, exc_id)
    m = await _meter(s, e.meter_id)
    orig = await _read(s, e.read_id) if e.read_id else None
    read_on = on or (orig.read_on if orig else None)
    if read_on is None:
        raise Unprocessable("read_on is needed to estimate a missing read", field="read_on")
    ctx = await _context(s, m, read_on)
    try:
        value, use = domain.estimate_value(ctx, read_on)
    except ValueError as exc:
        raise Unprocessable(str(exc), field="meter_id") from exc
    ids = await repo.open_exception_ids(s, orig.id) if orig else [e.id]
    if orig is not None:
        await repo.set_read_status(s, orig.id, "rejected")
    rid = uuid.uuid4()
    assert ctx.prev_on is not None
    await repo.insert_read(s, {
        "id": rid, "meter_id": m.id, "read_on": read_on, "value": value, "usage": use,
        "days": max(1, (read_on - ctx.prev_on).days), "source": "estimate", "kind": "estimated",
        "status": "valid", "replaces": orig.id if orig else None, "reason": reason,
        "created_by": who.sub})
    await repo.resolve_exceptions(s, ids, "estimated", reason, who.sub)
    await audit.record(s, who, "estimate", "read", str(rid), after={"value": value, "use": use},
                       reason=reason)
    return await read_out(s, rid)


async def correct(s: AsyncSession, who: Principal, exc_id: uuid.UUID, value: Decimal,
                  reason: str) -> ReadOut:
    e = await _open_exception(s, exc_id)
    if e.read_id is None:
        raise Unprocessable("Enter the missing read instead of correcting it")
    orig = await _read(s, e.read_id)
    m = await _meter(s, e.meter_id)
    if value >= domain.register_max(m.dials):
        raise Unprocessable(f"reading {value} does not fit {m.dials} dials", field="value")
    ctx = await _context(s, m, orig.read_on)
    usage: Decimal | None = None
    if ctx.prev_value is not None:
        units, _ = domain.usage_between(ctx.prev_value, value, m.dials)
        if units is None:
            raise Unprocessable("The corrected reading is still lower than the last read",
                                field="value")
        usage = units * m.multiplier
    ids = await repo.open_exception_ids(s, orig.id)
    await repo.set_read_status(s, orig.id, "rejected")
    rid = uuid.uuid4()
    await repo.insert_read(s, {
        "id": rid, "meter_id": m.id, "read_on": orig.read_on, "value": value, "usage": usage,
        "days": orig.days, "source": "correction", "kind": "actual", "status": "valid",
        "replaces": orig.id, "reason": reason, "created_by": who.sub})
    await repo.resolve_exceptions(s, ids, "corrected", reason, who.sub)
    await audit.record(s, who, "correct", "read", str(rid), before={"value": orig.value},
                       after={"value": value}, reason=reason)
    return await read_out(s, rid)


async def reread_arrived(s: AsyncSession, reference: str | None, meter_id: Any,
                         on: date, value: Decimal) -> None:
    """A completed service order carried a read: record it; close the re-read it answers
    (the questioned read is set aside first, so the new one is measured from the read before)."""
    mid = uuid.UUID(str(meter_id))
    m = await meter_to_judge(s, mid)
    e = None
    if reference and reference.startswith("exception:"):
        e = await repo.get_exception(s, uuid.UUID(reference.split(":", 1)[1]), lock=True)
        if e is not None and e.status != "reread_ordered":
            e = None
    if e is not None and e.read_id is not None:
        await repo.set_read_status(s, e.read_id, "rejected")
        others = await repo.open_exception_ids(s, e.read_id)
        await repo.resolve_exceptions(s, [x for x in others if x != e.id], "reread",
                                      "re-read received", "accounts")
    try:
        rid, _ = await record(s, m, on, value, "service_order", "accounts",
                              await thresholds(s), meter_id=mid)
    except Unprocessable:
        rid = None
    if e is not None:
        await repo.resolve_exceptions(s, [e.id], "reread", f"re-read {rid}", "accounts")
