"""Use cases of bill runs: preview (set-based calculation), review, approval, finalisation;
closing bills and cancel-and-rebill runs for one account."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.clock import utility_today
from kernel.csvexport import Export
from kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.billing.config import service as config
from services.billing.ledger import service as ledger
from services.billing.runs import domain
from services.billing.runs import repository as repo
from services.billing.runs.schemas import ReviewThresholdsIO, RunBill, RunOut

THRESHOLDS_KEY = "runs.thresholds"


async def review_thresholds(s: AsyncSession) -> domain.ReviewThresholds:
    t = await config.load(s, THRESHOLDS_KEY, ReviewThresholdsIO)
    return domain.ReviewThresholds(t.max_total, t.change, t.due_days)


async def review_thresholds_in_force(s: AsyncSession) -> ReviewThresholdsIO:
    return await config.load(s, THRESHOLDS_KEY, ReviewThresholdsIO)


async def set_review_thresholds(s: AsyncSession, who: Principal, t: ReviewThresholdsIO
                                ) -> ReviewThresholdsIO:
    await config.save(s, THRESHOLDS_KEY, t)
    await audit.record(s, who, "set-thresholds", "config", THRESHOLDS_KEY, after=t)
    return t


async def run_out(s: AsyncSession, run_id: uuid.UUID) -> RunOut:
    r = await repo.get_run(s, run_id)
    if r is None:
        raise NotFound("No such bill run", field="run_id")
    sm = await repo.summary(s, run_id)
    return RunOut(id=r.id, cycle=r.cycle, kind=r.kind, account_id=r.account_id,
                  period_start=r.period_start, period_end=r.period_end, bill_date=r.bill_date,
                  due_date=r.due_date, status=r.status, created_by=r.created_by,
                  prepared_by=r.prepared_by, approved_by=r.approved_by,
                  finalised_by=r.finalised_by, finalised_at=r.finalised_at, bills=sm.bills,
                  total=sm.total, flagged=sm.flagged, held=sm.held,
                  flags={k: int(v) for k, v in sm.flags.items()},
                  held_for_copy=sm.held_for_copy)


async def list_runs(s: AsyncSession, status: str | None, kind: str | None,
                    account_id: uuid.UUID | None, limit: int) -> list[RunOut]:
    return await repo.list_runs(s, status, kind, account_id, limit)


async def run_bills(s: AsyncSession, run_id: uuid.UUID, flagged_only: bool, limit: int,
                    offset: int) -> list[RunBill]:
    return await repo.run_bills(s, run_id, flagged_only, limit, offset)


def runs_export(status: str | None, kind: str | None, account_id: uuid.UUID | None) -> Export:
    return repo.runs_export(status, kind, account_id)


def run_bills_export(run_id: uuid.UUID, flagged_only: bool) -> Export:
    return repo.run_bills_export(run_id, flagged_only)


async def _calculate(s: AsyncSession, run_id: uuid.UUID) -> None:
    t = await review_thresholds(s)
    run = await repo.get_run(s, run_id)
    assert run is not None  # created or locked by the caller in this transaction
    await repo.calculate(s, run, t.max_total, t.change)
    await repo.hold_for_copy(s, run_id)


async def create(s: AsyncSession, who: Principal, cycle: str, start: date, end: date,
                 bill_date: date, messages: list[str] | None = None, parts: int = 1) -> RunOut:
    """A cycle run in preview. With `parts` > 1 the run is only split here (by account hash)
    and its parts are calculated by workers (`calculate_part`), each in a transaction of its
    own; the run cannot be prepared until every part is calculated."""
    if parts < 1 or (parts > 1 and messages):
        raise Unprocessable("A partitioned run takes at least one part and no messages",
                            field="parts")
    why = domain.period_ok(start, end)
    if why:
        raise Unprocessable(why, field="period_end")
    if await repo.live_run(s, cycle, start, end) is not None:
        raise Conflict("A run for this cycle already covers part of this period")
    previous = await repo.previous_final_run(s, cycle, start)
    if previous is not None:
        await bill_missed_periods(s, previous, bill_date)
    t = await review_thresholds(s)
    run_id = uuid.uuid4()
    await repo.insert_run(s, {"id": run_id, "cycle": cycle, "period_start": start,
                              "period_end": end, "bill_date": bill_date,
                              "due_date": domain.due_date(bill_date, t.due_days),
                              "created_by": who.sub})
    if parts > 1:
        await repo.insert_parts(s, run_id, parts)
    else:
        await _calculate(s, run_id)
    if messages:
        await repo.set_messages(s, run_id, messages)
    await audit.record(s, who, "create", "bill_run", str(run_id),
                       after={"cycle": cycle, "start": start, "end": end})
    return await run_out(s, run_id)


async def calculate_part(s: AsyncSession, worker: str) -> repo.Part | None:
    """Claim one uncalculated part of a partitioned run (`FOR UPDATE SKIP LOCKED`: several
    worker processes share the work, none waits on another) and calculate its bills; None when
    no part is waiting. The caller commits, one part per transaction: a worker that dies loses
    only its part's uncommitted work, and the part is claimed again."""
    part = await repo.claim_part(s)
    if part is None:
        return None
    t = await review_thresholds(s)
    run = await repo.get_run(s, part.run_id)
    assert run is not None
    await repo.calculate(s, run, t.max_total, t.change, part.part, part.parts)
    await repo.hold_for_copy(s, run.id)
    await repo.part_calculated(s, run.id, part.part, worker)
    return part


async def create_account_run(s: AsyncSession, who: str, kind: str, account_id: uuid.UUID,
                             start: date, end: date, bill_date: date,
                             replaces: uuid.UUID | None = None,
                             reference: str | None = None) -> uuid.UUID:
    """A one-account run (closing bill or rebill) that goes through the same review."""
    acct = await repo.account_cycle(s, account_id)
    t = await review_thresholds(s)
    run_id = uuid.uuid4()
    await repo.insert_run(s, {"id": run_id, "cycle": acct.cycle if acct else "",
                              "period_start": start, "period_end": end, "bill_date": bill_date,
                              "due_date": domain.due_date(bill_date, t.due_days), "kind": kind,
                              "account_id": account_id, "replaces_bill": replaces,
                              "reference": reference, "created_by": who})
    await _calculate(s, run_id)
    return run_id


async def _move(s: AsyncSession, run_id: uuid.UUID, action: str) -> tuple[repo.Run, str]:
    r = await repo.get_run(s, run_id, lock=True)
    if r is None:
        raise NotFound("No such bill run", field="run_id")
    new = domain.transition(action, r.status)
    if new is None:
        raise Conflict(f"A run in status '{r.status}' cannot be {action}d here")
    return r, new


async def recalculate(s: AsyncSession, who: Principal, run_id: uuid.UUID) -> RunOut:
    r, _ = await _move(s, run_id, "discard")
    if r.status != "preview":
        raise Conflict("Only a run in preview can be recalculated")
    await repo.clear(s, run_id)
    await _calculate(s, run_id)
    await repo.part_calculated(s, run_id, None, who.sub)  # a partitioned run: all of it now
    await audit.record(s, who, "recalculate", "bill_run", str(run_id))
    return await run_out(s, run_id)


async def prepare(s: AsyncSession, who: Principal, run_id: uuid.UUID) -> RunOut:
    _, new = await _move(s, run_id, "prepare")
    if await repo.parts_pending(s, run_id):
        raise Conflict("Parts of this run are still being calculated")
    await repo.set_status(s, run_id, new, prepared_by=who.sub)
    await audit.record(s, who, "prepare", "bill_run", str(run_id))
    return await run_out(s, run_id)


async def reopen(s: AsyncSession, who: Principal, run_id: uuid.UUID) -> RunOut:
    _, new = await _move(s, run_id, "reopen")
    await repo.set_status(s, run_id, new)
    await audit.record(s, who, "reopen", "bill_run", str(run_id))
    return await run_out(s, run_id)


async def approve(s: AsyncSession, who: Principal, run_id: uuid.UUID) -> RunOut:
    r, new = await _move(s, run_id, "approve")
    why = domain.approval_refusal(who.sub, r.prepared_by, r.created_by)
    if why:
        raise Forbidden(why)
    await repo.set_status(s, run_id, new, approved_by=who.sub)
    await audit.record(s, who, "approve", "bill_run", str(run_id), approver=who.sub)
    return await run_out(s, run_id)


async def finalise(s: AsyncSession, who: Principal, run_id: uuid.UUID) -> RunOut:
    r, new = await _move(s, run_id, "finalise")
    if r.replaces_bill is not None:
        old = await repo.replaced_bill(s, r.replaces_bill)
        if old is None or old.status != "final":
            raise Conflict("The bill this run replaces is no longer final")
        new_ids = await repo.run_bill_ids(s, run_id, "draft")
        new_id = new_ids[0] if new_ids else None
        await repo.cancel_bill(s, old, new_id, "rebill")
        await ledger.reverse_bills(s, [old.id], r.bill_date, who.sub)
        await publish(s, [Event("billing.BillCancelled", f"account:{old.account_id}",
                                {"bill_id": str(old.id), "account_id": str(old.account_id),
                                 "reason": "rebill", "cancelled_on": r.bill_date.isoformat(),
                                 "replaced_by": str(new_id) if new_id else None})],
                      actor=who.sub)
    # Set-based statements, nothing carried through the application: bills final, their
    # ledger entries read from them, their events (balances summed from the ledger).
    bills = await repo.finalise_bills(s, r)
    await ledger.post_run_bills(s, run_id, r.bill_date, r.due_date, who.sub)
    await repo.publish_bills(s, run_id, who.sub, bills)
    await repo.set_status(s, run_id, new, finalised_by=who.sub)
    if r.kind == "cycle":
        await bill_missed_periods(s, run_id, max(r.bill_date, utility_today()))
    await audit.record(s, who, "finalise", "bill_run", str(run_id))
    return await run_out(s, run_id)


async def discard(s: AsyncSession, who: Principal, run_id: uuid.UUID) -> RunOut:
    _, new = await _move(s, run_id, "discard")
    await repo.discard_drafts(s, run_id)
    await repo.set_status(s, run_id, new)
    await audit.record(s, who, "discard", "bill_run", str(run_id))
    return await run_out(s, run_id)


async def hold(s: AsyncSession, who: Principal, run_id: uuid.UUID, bill_id: uuid.UUID,
               reason: str) -> RunOut:
    r = await repo.get_run(s, run_id, lock=True)
    if r is None:
        raise NotFound("No such bill run", field="run_id")
    if r.status != "preview":
        raise Conflict("Bills are held while the run is in preview")
    if not await repo.hold_bill(s, run_id, bill_id):
        raise NotFound("No draft bill with this id in the run", field="bill_id")
    await audit.record(s, who, "hold", "bill", str(bill_id), reason=reason)
    return await run_out(s, run_id)


async def account_run(s: AsyncSession, who: Principal, account_id: uuid.UUID, start: date,
                      end: date, bill_date: date) -> RunOut:
    """Bill one account for a period no bill covers yet (e.g. a bill held out of its cycle
    run), through the same review and approval."""
    why = domain.period_ok(start, end)
    if why:
        raise Unprocessable(why, field="period_end")
    if await repo.account_cycle(s, account_id) is None:
        raise NotFound("No service agreements for this account", field="account_id")
    if await repo.billed_overlap(s, account_id, start, end) is not None:
        raise Conflict("A bill already covers part of this period for the account")
    run_id = await create_account_run(s, who.sub, "account", account_id, start, end, bill_date)
    await audit.record(s, who, "create", "bill_run", str(run_id),
                       after={"account_id": account_id, "start": start, "end": end})
    return await run_out(s, run_id)


async def cancel_and_rebill(s: AsyncSession, who: Principal, bill_id: uuid.UUID,
                            reason: str, today: date) -> RunOut:
    old = await repo.replaced_bill(s, bill_id)
    if old is None:
        raise NotFound("No such bill", field="bill_id")
    if old.status != "final":
        raise Conflict("Only a final bill can be cancelled and rebilled")
    run_id = await create_account_run(s, who.sub, "rebill", old.account_id, old.period_start,
                                      old.period_end, today, replaces=old.id)
    await audit.record(s, who, "cancel-rebill", "bill", str(bill_id), reason=reason,
                       after={"run_id": run_id})
    return await run_out(s, run_id)


async def closing_bill(s: AsyncSession, event_id: str, account_id: uuid.UUID, stop: date,
                       today: date, sa_ids: list[uuid.UUID] | None = None) -> uuid.UUID | None:
    """`accounts.ClosingBillRequested`: a one-account run from the day after the last final
    bill to the stop date (prorated), left in preview for review and approval. A final bill
    that already charged the account's agreements past the stop (its run was calculated before
    billing heard of the stop) is rebilled to the stop instead, through the same review."""
    ref = f"closing:{event_id}"
    if await repo.run_by_reference(s, ref) is not None:
        return None
    late = await repo.bills_past_stop(s, account_id, sa_ids or [], stop)
    if late:
        run_id = None
        for i, b in enumerate(late):
            run_id = await create_account_run(s, "accounts", "rebill", account_id,
                                              b.period_start, b.period_end, max(today, stop),
                                              replaces=b.id,
                                              reference=ref if i == 0 else f"{ref}:{i}")
        return run_id
    last = await repo.last_final_end(s, account_id)
    acct = await repo.account_cycle(s, account_id)
    start = last + timedelta(days=1) if last else (acct.first_start if acct else stop)
    if start > stop:
        return None
    return await create_account_run(s, "accounts", "closing", account_id, start, stop,
                                    max(today, stop), reference=ref)


async def closing_waits_for(s: AsyncSession, sa_ids: list[uuid.UUID]) -> str | None:
    """What billing's copy still lacks to prepare a closing bill naming `sa_ids` (None:
    nothing). Agreements started by a transfer are announced on the old account's key, so a
    closing request can arrive before them."""
    unknown = await repo.unknown_agreements(s, sa_ids)
    if unknown:
        return f"billing has not heard of service agreement(s) {', '.join(map(str, unknown))}"
    return None


async def bill_missed_periods(s: AsyncSession, run_id: uuid.UUID,
                              today: date) -> list[uuid.UUID]:
    """A finalised cycle run left out an account billing's copy had not heard of when the run
    was calculated: open a one-account run for that period (preview, the same review), once.
    Checked when the run is finalised and again when the cycle's next run is created (by then
    the copy has caught up with agreements that arrived after the finalisation)."""
    made = []
    for m in await repo.missed_by_final_run(s, run_id):
        ref = f"missed:{m.run_id}:{m.account_id}"
        if await repo.run_by_reference(s, ref) is None:
            made.append(await create_account_run(s, "billing", "account", m.account_id,
                                                 m.period_start, m.period_end, today,
                                                 reference=ref))
    return made
