"""Use cases of courtesy calls: the worklist of accounts whose reads were flagged high (with the
comparison that flagged them), the calls made about each, a leak check ordered from a call.

The worklist is derived, never stored: a read corrected or replaced after a re-read is
`rejected` and leaves it, a re-read still high comes back as its own item. The leak-check order
itself belongs to accounts (the staff app calls `POST /api/accounts/orders`, kind
`leak_check`, with `leak_check_reason`); the call that placed it records the order's id."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, NotFound, Unprocessable
from services.billing.courtesy import domain
from services.billing.courtesy import repository as repo
from services.billing.courtesy.schemas import (
    CourtesyCall,
    CourtesyCallIn,
    CourtesyComparison,
    CourtesyItem,
)
from services.billing.reads import service as reads

#: The worklist looks this far back by default (a billing cycle and a half).
DEFAULT_DAYS = 45
MAX_DAYS = 400


def _call(c: repo.Call) -> CourtesyCall:
    return CourtesyCall.model_validate(c, from_attributes=True)


def _item(f: repo.Flagged, calls: list[repo.Call], high_factor: Decimal) -> CourtesyItem:
    raw = domain.Bases(f.usage / f.days if f.usage is not None and f.days else None,
                       f.prior_per_day, f.last_year_per_day, f.avg_per_day)
    b = domain.Bases(*(domain.quantize(v) for v in (raw.per_day, raw.prior_period,
                                                    raw.last_year, raw.average)))
    comparison = CourtesyComparison(
        unit=f.unit, per_day=b.per_day, prior_period_per_day=b.prior_period,
        last_year_per_day=b.last_year, average_per_day=b.average,
        times_prior_period=domain.times(raw.per_day, raw.prior_period),
        times_last_year=domain.times(raw.per_day, raw.last_year),
        times_average=domain.times(raw.per_day, raw.average),
        flagged_against=domain.flagged_against(raw, high_factor))
    return CourtesyItem(
        read_id=f.read_id, exception_id=f.exception_id, exception_status=f.exception_status,
        exception_resolution=f.exception_resolution, detail=f.detail, account_id=f.account_id,
        account_number=f.account_number, customer_name=f.customer_name,
        premise_id=f.premise_id, address=f.address, cycle=f.cycle, route=f.route,
        meter_id=f.meter_id, serial=f.serial, read_on=f.read_on, value=f.value, usage=f.usage,
        days=f.days, comparison=comparison, open_leak_alert=f.open_leak_alert,
        status=domain.status([c.outcome for c in calls]),
        calls=len(calls), last_call=_call(calls[-1]) if calls else None,
        leak_check_reason=domain.leak_check_reason(f.serial, f.read_on.isoformat(), b, f.unit))


async def _items(s: AsyncSession, rows: list[repo.Flagged]) -> list[CourtesyItem]:
    by_read: dict[uuid.UUID, list[repo.Call]] = {}
    for c in await repo.calls_of(s, [f.read_id for f in rows]) if rows else []:
        by_read.setdefault(c.read_id, []).append(c)
    factor = (await reads.thresholds(s)).high_factor
    return [_item(f, by_read.get(f.read_id, []), factor) for f in rows]


async def worklist(s: AsyncSession, today: date, since: date | None, through: date | None,
                   cycle: str | None, show: domain.Show, account_id: uuid.UUID | None,
                   limit: int) -> list[CourtesyItem]:
    """Reads flagged high in [since, through] (default: the last 45 days to today), newest
    first; `show` which of them (`domain.shown`)."""
    through = through or today
    since = since or through - timedelta(days=DEFAULT_DAYS)
    if since > through:
        raise Unprocessable("since is after through", field="since")
    if (through - since).days > MAX_DAYS:
        raise Unprocessable(f"a worklist spans at most {MAX_DAYS} days", field="since")
    items = await _items(s, await repo.flagged(s, since, through, cycle, account_id))
    return [i for i in items if domain.shown(i.status, show)][:limit]


async def item(s: AsyncSession, read_id: uuid.UUID) -> CourtesyItem:
    f = await repo.flagged_read(s, read_id)
    if f is None:
        raise NotFound("No read flagged high with this id", field="read_id")
    return (await _items(s, [f]))[0]


async def calls(s: AsyncSession, read_id: uuid.UUID) -> list[CourtesyCall]:
    await item(s, read_id)
    return [_call(c) for c in await repo.calls_of(s, [read_id])]


async def record_call(s: AsyncSession, who: Principal, read_id: uuid.UUID, body: CourtesyCallIn,
                      now: datetime) -> CourtesyCall:
    """One call about a flagged read: who, when, the outcome and a note (a row per call).
    A leak check ordered from the call names the accounts service order it placed."""
    await repo.lock_read(s, read_id)
    it = await item(s, read_id)
    if body.service_order_id is not None and any(
            c.service_order_id == body.service_order_id
            for c in await repo.calls_of(s, [read_id])):
        raise Conflict("This service order is already recorded for this read",
                       field="service_order_id")
    call = await repo.insert_call(s, {
        "id": uuid.uuid4(), "read_id": read_id, "account_id": it.account_id,
        "outcome": body.outcome, "note": body.note, "service_order_id": body.service_order_id,
        "service_order_number": body.service_order_number, "called_by": who.sub,
        "called_at": now})
    out = _call(call)
    await audit.record(s, who, "courtesy-call", "read", str(read_id), after=out)
    return out
