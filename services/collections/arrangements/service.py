"""Use cases of arrangements: make one (amortised, alternative schedule, deferral), cancel it,
show it, where an account stands (`standing`, for the ladder and the guardrails), and the daily
sweep (`run_daily`, set-based) that completes and breaks them as the copy's credits arrive.

Each change is announced as `collections.ArrangementChanged` in the same transaction, and each
of made, broken and completed queues its letter through notices (`arrangement_confirmed`,
`arrangement_broken`, `arrangement_completed`); a broken one also queues the `final_notice`
posted at the premise, naming a day at least `final_notice_business_days` business days ahead
(the guardrails count those days from the day it is released: `Standing.final_notice_on`).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.clock import utc_now
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.collections.aging import service as aging
from services.collections.arrangements import domain
from services.collections.arrangements import repository as repo
from services.collections.arrangements.domain import Instalment, ScheduleError, Standing
from services.collections.arrangements.schemas import (
    ArrangementIn,
    ArrangementOut,
    InstalmentOut,
    ListedOut,
    Listing,
)
from services.collections.notices import service as notices
from services.collections.notices.domain import NoticeRequest
from services.collections.policy import service as policy
from services.collections.worklists import service as worklists

SYSTEM = "system"


def require_key(key: str | None) -> str:
    if key is None or not key.strip():
        raise Unprocessable("This write needs an Idempotency-Key header, so a retry never "
                            "makes it twice", field="Idempotency-Key")
    return key


async def _out(s: AsyncSession, a: repo.Arrangement, today: date) -> ArrangementOut:
    xs = await repo.instalments(s, a.id)
    entries = await repo.entries(s, a.account_id)
    paid = domain.paid_toward(entries, a.made_on, today, a.total)
    if a.status == "completed":
        paid = a.total
    parts = domain.allocate(paid, xs)
    return ArrangementOut(
        id=a.id, account_id=a.account_id, kind=a.kind, status=a.status, total=a.total,
        paid=paid, left=a.total - paid, made_on=a.made_on, completed_on=a.completed_on,
        broken_on=a.broken_on, cancelled_on=a.cancelled_on, cancel_reason=a.cancel_reason,
        created_by=a.created_by, changed_by=a.changed_by, as_of=today,
        instalments=[InstalmentOut(seq=i + 1, due_on=x.due_on, amount=x.amount, paid=p,
                                   past_due_days=max(0, (today - x.due_on).days)
                                   if p < x.amount else 0)
                     for i, (x, p) in enumerate(zip(xs, parts, strict=True))])


def _schedule(body: ArrangementIn, total: Decimal, today: date) -> list[Instalment]:
    months = policy.policy().arrangements.default_months
    latest = domain.add_months(today, months)
    foreign = {"amortised": ("instalments", "defer_to"),
               "alternative": ("months", "first_due_on", "defer_to"),
               "deferral": ("months", "first_due_on", "instalments")}[body.kind]
    for name in foreign:
        if getattr(body, name) is not None:
            raise Unprocessable(f"{name} is not part of a {body.kind} arrangement", field=name)
    try:
        if body.kind == "amortised":
            n = body.months or months
            if n > months:
                raise ScheduleError(f"At most {months} monthly instalments (the policy's "
                                    f"default_months)", "months")
            first = body.first_due_on or domain.add_months(today, 1)
            if first < today:
                raise ScheduleError("The first instalment cannot be due before today",
                                    "first_due_on")
            return domain.checked_schedule("amortised", total,
                                           domain.amortised(total, n, first), today, latest)
        if body.kind == "deferral":
            if body.defer_to is None:
                raise ScheduleError("A deferral names the day it is due (defer_to)",
                                    "defer_to")
            if body.defer_to <= today:
                raise ScheduleError("A deferral is due on a later day", "defer_to")
            return domain.checked_schedule("deferral", total,
                                           [Instalment(body.defer_to, total)], today, latest)
        xs = [Instalment(x.due_on, x.amount) for x in body.instalments or []]
        return domain.checked_schedule("alternative", total, xs, today, latest)
    except ScheduleError as e:
        raise Unprocessable(str(e), field=e.field) from e


async def create(s: AsyncSession, who: Principal, account_id: uuid.UUID, body: ArrangementIn,
                 key: str | None, today: date) -> ArrangementOut:
    """An arrangement for the past-due amount (or the amount staff chose, up to the balance),
    on one of the three schedules; refused while another is active."""
    key = require_key(key)
    await repo.lock_account(s, account_id)
    same = await repo.by_key(s, who.sub, key)
    if same is not None:
        return await _out(s, same, today)
    aged = await aging.account_aging(s, account_id, today)  # 404 for an unknown account
    if await repo.active_of(s, account_id) is not None:
        raise Conflict("The account already has an active arrangement: cancel it first")
    total = body.total if body.total is not None else aged.past_due
    if total <= 0:
        raise Unprocessable("Nothing is past due on this account: name the amount to arrange",
                            field="total")
    if total > aged.balance:
        raise Unprocessable(f"The account owes {aged.balance}: an arrangement cannot be for "
                            "more", field="total")
    xs = _schedule(body, total, today)
    a = repo.Arrangement(id=uuid.uuid4(), account_id=account_id, kind=body.kind,
                         status="active", total=total, made_on=today, completed_on=None,
                         broken_on=None, cancelled_on=None, cancel_reason=None,
                         created_by=who.sub, changed_by=None, created_at=utc_now())
    await repo.insert(s, a, key, who.role, xs)
    await audit.record(s, who, "create", "arrangement", str(a.id), reason=body.note,
                       after={"account_id": account_id, "kind": a.kind, "total": total,
                              "instalments": [[x.due_on, x.amount] for x in xs]})
    await publish(s, [Event("collections.ArrangementChanged", f"account:{account_id}",
                            domain.payload(a.id, account_id, "active", a.kind, total, xs,
                                           Decimal("0.00"), today))], actor=who.sub)
    await worklists.replace_open_promise(s, who, account_id, f"arrangement {a.id} made",
                                         today)
    await notices.queue(s, [NoticeRequest(
        account_id=account_id, kind="arrangement_confirmed", reference=f"arrangement:{a.id}",
        amount=total, action_on=xs[0].due_on, details=domain.schedule_details(xs))],
        today=today, requested_by=who.sub)
    return await _out(s, a, today)


async def get(s: AsyncSession, arrangement_id: uuid.UUID, today: date) -> ArrangementOut:
    a = await repo.get(s, arrangement_id)
    if a is None:
        raise NotFound("No such arrangement", field="arrangement_id")
    return await _out(s, a, today)


async def of_account(s: AsyncSession, account_id: uuid.UUID,
                     today: date) -> list[ArrangementOut]:
    return [await _out(s, a, today) for a in await repo.of_account(s, account_id)]


async def listing(s: AsyncSession, today: date, *, status: str = "active",
                  behind: bool = False, limit: int = 100, offset: int = 0) -> Listing:
    """The arrangements of a status, the ones falling behind first (oldest short instalment
    first), each with what is paid and what is short: one statement, paged."""
    rows = await repo.listing(s, today, status=status, behind=behind, limit=limit,
                              offset=offset)
    return Listing(as_of=today, total=rows[0].total_rows if rows else 0, limit=limit,
                   offset=offset, items=[ListedOut(
                       id=r.id, account_id=r.account_id, account_number=r.number, name=r.name,
                       kind=r.kind, status=r.status, total=r.total, made_on=r.made_on,
                       paid=r.paid, behind_since=r.short_due, behind=r.short_amount,
                       days_behind=(today - r.short_due).days if r.short_due else 0)
                       for r in rows])


async def cancel(s: AsyncSession, who: Principal, arrangement_id: uuid.UUID, reason: str,
                 today: date) -> ArrangementOut:
    a = await repo.get(s, arrangement_id, lock=True)
    if a is None:
        raise NotFound("No such arrangement", field="arrangement_id")
    if a.status != "active":
        raise Conflict(f"This arrangement is already {a.status}")
    await repo.cancel(s, a.id, today, reason, who.sub)
    xs = await repo.instalments(s, a.id)
    paid = domain.paid_toward(await repo.entries(s, a.account_id), a.made_on, today, a.total)
    await audit.record(s, who, "cancel", "arrangement", str(a.id), reason=reason,
                       before={"status": a.status}, after={"status": "cancelled"})
    await publish(s, [Event("collections.ArrangementChanged", f"account:{a.account_id}",
                            domain.payload(a.id, a.account_id, "cancelled", a.kind, a.total,
                                           xs, paid, today))], actor=who.sub)
    return await get(s, a.id, today)


async def standing(session: AsyncSession, account_id: uuid.UUID, today: date) -> Standing:
    """The account's latest arrangement that was not cancelled: `active` (being kept: no
    disconnection), `broken` (with the day, and the day its final notice went out, if it has),
    `completed`, or `none`."""
    a = await repo.latest_standing(session, account_id)
    if a is None or a.made_on > today:
        return Standing("none", None, None, None)
    final = None
    if a.status == "broken":
        final = await notices.given_on(session, account_id, ["final_notice"],
                                       since=a.broken_on)
    return Standing(a.status, a.id, a.broken_on, final)


def _letters(changed: list[repo.Changed], today: date) -> list[NoticeRequest]:
    cal = policy.calendar()
    final_on = cal.add_business_days(today,
                                     policy.policy().arrangements.final_notice_business_days)
    out: list[NoticeRequest] = []
    for c in changed:
        ref = f"arrangement:{c.id}"
        if c.status == "completed":
            out.append(NoticeRequest(c.account_id, "arrangement_completed", ref, c.total, today))
        elif c.status == "broken":
            left = c.total - c.paid
            out.append(NoticeRequest(c.account_id, "arrangement_broken", ref, left, final_on))
            out.append(NoticeRequest(c.account_id, "final_notice", ref, left, final_on))
    return out


async def sweep(s: AsyncSession, today: date, *, may_break: bool,
                account_id: uuid.UUID | None = None, who: str = SYSTEM) -> list[repo.Changed]:
    """Complete (and, with `may_break`, break) the active arrangements of one account or all,
    announcing each change and queueing its letters, in a fixed number of statements."""
    changed = await repo.sweep(
        s, today, broken_after_days=policy.policy().arrangements.broken_after_days,
        may_break=may_break, who=who, account_id=account_id)
    if changed:
        await notices.queue(s, _letters(changed, today), today=today, requested_by=who)
    return changed


async def run_daily(session: AsyncSession, today: date) -> dict[str, int]:
    """The daily step, set-based over every account: arrangements completed by the credits
    that have arrived, arrangements broken (an instalment `broken_after_days` past due, then
    the final notice), and promises to pay kept or broken. Running it twice on a day does
    nothing new."""
    changed = await sweep(session, today, may_break=True)
    promises = await worklists.sweep_promises(session, today)
    return {"arrangements_completed": sum(c.status == "completed" for c in changed),
            "arrangements_broken": sum(c.status == "broken" for c in changed),
            "final_notices": sum(c.status == "broken" for c in changed),
            **promises}
