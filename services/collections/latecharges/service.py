"""Use cases of late charges: assessing the charges of the steps the ladder took today (once
per bill and step), and reversing one within the requester's dollar authority or, above it,
with an approver's.

A reversal is announced as `collections.LateChargeReversed` with who asked and who approved;
billing posts it as a `late_charge` entry of the opposite sign that corrects the charge.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.approval import approval_refusal, needs_approval
from kernel.auth import Principal, authority
from kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.collections.latecharges import domain
from services.collections.latecharges import repository as repo
from services.collections.latecharges.schemas import ChargeOut, ReversalOut
from services.collections.policy import service as policy
from services.collections.protections import service as protections


async def charges_for(s: AsyncSession, steps: list[domain.StepFacts],
                      today: date) -> list[domain.Charge]:
    """The late charges these steps assess (the policy's `at_steps` and formula), with SB 998's
    low-income interest waiver: a household whose last waiver is older than the policy's
    months has the interest of today's charge left out, and that waiver is recorded as used."""
    p = policy.policy()
    candidates = sorted({f.account_id for f in steps if f.step in p.late_charge.at_steps})
    waivable = frozenset(await protections.interest_waivable(
        s, candidates, today, p.reconnection.low_income_interest_waiver_months))
    charges, waived = domain.assess_steps(p.late_charge, steps, today, waivable)
    await protections.record_interest_waivers(s, waived, today)
    return charges


async def assess(s: AsyncSession, charges: list[domain.Charge], actor: str) -> int:
    """Record the charges, each once (by its notice id), with `collections.LateChargeAssessed`,
    in one statement; returns how many are new."""
    return await repo.assess(s, charges, actor)


async def charges_of(s: AsyncSession, account_id: uuid.UUID) -> list[ChargeOut]:
    return [ChargeOut.model_validate(r) for r in await repo.charges_of(s, account_id)]


async def _reverse(s: AsyncSession, r: repo.Reversal, approver: str, on: date) -> None:
    await repo.decide(s, r.id, "reversed", approver, on, None)
    await publish(s, [Event("collections.LateChargeReversed", f"account:{r.account_id}", {
        "account_id": str(r.account_id), "amount": str(r.amount), "reversed_on": on.isoformat(),
        "notice_id": str(r.notice_id), "reason": r.reason, "requested_by": r.requested_by,
        "approved_by": approver})], actor=approver)


async def _out(s: AsyncSession, reversal_id: uuid.UUID) -> ReversalOut:
    r = await repo.reversal(s, reversal_id)
    if r is None:
        raise NotFound("No such reversal", field="reversal_id")
    return ReversalOut.model_validate(r)


async def request_reversal(s: AsyncSession, who: Principal, notice_id: uuid.UUID,
                           amount: Decimal | None, reason: str,
                           today: date) -> ReversalOut:
    """Within the requester's authority the charge is reversed at once; above it the request
    waits (`pending`) for an approver."""
    c = await repo.charge(s, notice_id, lock=True)
    if c is None:
        raise NotFound("No such late charge", field="notice_id")
    if c.reversal_id is not None:
        raise Conflict(f"This late charge already has a reversal ({c.reversal_status})")
    try:
        value = domain.reversal_amount(c.amount, amount)
    except ValueError as e:
        raise Unprocessable(str(e), field="amount") from e
    rid = uuid.uuid4()
    await repo.insert_reversal(s, {
        "id": rid, "notice_id": notice_id, "account_id": c.account_id, "amount": value,
        "reason": reason, "requested_by": who.sub, "requested_role": who.role,
        "requested_on": today})
    r = await repo.reversal(s, rid)
    assert r is not None  # inserted just above
    if not needs_approval(value, authority(who.role)):
        await _reverse(s, r, who.sub, today)
    await audit.record(s, who, "request_reversal", "late_charge", str(notice_id),
                       reason=reason, after={"amount": value, "reversal_id": rid})
    return await _out(s, rid)


async def approve(s: AsyncSession, who: Principal, reversal_id: uuid.UUID, today: date
                  ) -> ReversalOut:
    r = await repo.reversal(s, reversal_id, lock=True)
    if r is None:
        raise NotFound("No such reversal", field="reversal_id")
    if r.status != "pending":
        raise Conflict(f"This reversal is already {r.status}")
    why = approval_refusal(who.sub, authority(who.role), r.requested_by, r.amount)
    if why:
        raise Forbidden(why)
    await _reverse(s, r, who.sub, today)
    await audit.record(s, who, "approve_reversal", "late_charge", str(r.notice_id),
                       approver=who.sub, reason=r.reason)
    return await _out(s, reversal_id)


async def reject(s: AsyncSession, who: Principal, reversal_id: uuid.UUID, note: str | None,
                 today: date) -> ReversalOut:
    r = await repo.reversal(s, reversal_id, lock=True)
    if r is None:
        raise NotFound("No such reversal", field="reversal_id")
    if r.status != "pending":
        raise Conflict(f"This reversal is already {r.status}")
    if who.sub == r.requested_by:
        raise Forbidden("nobody decides their own request")
    await repo.decide(s, reversal_id, "rejected", who.sub, today, note)
    await audit.record(s, who, "reject_reversal", "late_charge", str(r.notice_id),
                       approver=who.sub, reason=note)
    return await _out(s, reversal_id)


async def reversals(s: AsyncSession, status: str | None, account_id: uuid.UUID | None
                    ) -> list[ReversalOut]:
    return [ReversalOut.model_validate(r) for r in await repo.reversals(s, status, account_id)]
