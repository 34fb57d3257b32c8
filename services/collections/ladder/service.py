"""Use cases of the ladder: the daily advance over the whole district, and an account's ladder.

`advance` is set-based, one statement per part: what is past due today (`ladder_open`,
recomputed for the accounts that changed), cures, restarts, holds, then the next step of every
bill that has one due, its late charge (latecharges) and its letter (notices), events
included. It takes no step twice (a step is unique per bill) and none sooner than the policy
spaces them, so running it again on the same day finds nothing new.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from services.collections.ladder import domain
from services.collections.ladder import repository as repo
from services.collections.ladder.schemas import AccountLadder, HoldsOut, StepOut
from services.collections.latecharges import service as latecharges
from services.collections.latecharges.domain import StepFacts
from services.collections.notices import service as notices
from services.collections.policy import service as policy


async def advance(session: AsyncSession, today: date, actor: str = "system") -> dict[str, int]:
    """Take the ladder one day forward for every account; returns what it did, by kind."""
    p = policy.policy().ladder
    await repo.lock(session)
    await repo.hash_joins(session, True)
    district = await repo.build_open(session, today)
    cured = await repo.cure(session, today, actor)
    resumed = await repo.resume(session, today, actor)
    held = await repo.hold(session, today)
    first, days, next_days = domain.business_days(policy.calendar(), p, today)
    sched = domain.schedule(p)
    taken = await repo.advance(session, today, {
        "steps": [s for s, _ in sched], "days": [d for _, d in sched], "bd_days": days,
        "bd_next": next_days, "first": first, "disconnect_after": p.disconnect_after_days,
    }, actor)
    charges = await latecharges.charges_for(session, [
        StepFacts(t.account_id, t.bill_id, t.step, t.open_amount, t.prior) for t in taken],
        today)
    assessed = await latecharges.assess(session, charges, actor)
    charged = {(c.bill_id, c.step): c.amount for c in charges}
    requests = [domain.letter(t.account_id, t.bill_id, t.step, t.amount_past_due,
                              t.disconnect_on, charged.get((t.bill_id, t.step))) for t in taken]
    letters = await notices.queue(session, requests, today=today, requested_by=actor)
    await repo.hash_joins(session, False)
    by_step = Counter(t.step for t in taken)
    return {"recomputed_district": int(district), "cured": cured, "resumed": resumed,
            "held_changed": held,
            **{s: by_step.get(s, 0) for s in domain.STEPS}, "late_charges": assessed,
            "letters": letters}


async def cured(session: AsyncSession, today: date) -> list[uuid.UUID]:
    """Accounts whose delinquency ended today (`collections.DelinquencyCured`): a step of theirs
    was cured today and none still stands."""
    return await repo.cured_accounts(session, today)


async def account_ladder(session: AsyncSession, account_id: uuid.UUID, today: date
                         ) -> AccountLadder:
    h = await repo.holds(session, account_id, today)
    return AccountLadder(
        account_id=account_id, as_of=today,
        steps=[StepOut.model_validate(r) for r in await repo.steps_of(session, account_id)],
        holds=HoldsOut(open_appeals=h.appeals, arrangement=h.arrangement, promise=h.promise))
