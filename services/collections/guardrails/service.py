"""The guardrails' use cases: gather an account's facts (the copy's receivable and appeals, the
ladder's shut-off date, the released notices, the arrangement's standing, the household's
protections, the door tags left) and ask the pure rules (`domain.refusals`).

`gather` does it for many accounts in a handful of statements, so the daily job and the
supervisor's list of tomorrow's disconnects check hundreds of accounts without a query per
account (only accounts with an active or broken arrangement ask the arrangements feature for
their standing, one by one: there are few).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.errors import Conflict, Unprocessable
from kernel.settings import get_settings
from services.collections.aging import domain as aging
from services.collections.aging import service as aging_service
from services.collections.arrangements import service as arrangements
from services.collections.guardrails import domain
from services.collections.guardrails import repository as repo
from services.collections.guardrails.domain import Facts, Household, Refusal
from services.collections.guardrails.schemas import GuardrailStatus, RefusalOut
from services.collections.policy import service as policy
from services.collections.protections import domain as protection
from services.collections.protections import service as protections


async def gather(s: AsyncSession, account_ids: Sequence[uuid.UUID],
                 today: date) -> dict[uuid.UUID, Facts]:
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        return {}
    zone = ZoneInfo(get_settings().timezone)
    aged = await aging_service.aged(s, ids, today)
    appeals = {r.account_id: r.n for r in await repo.open_appeals(s, ids)}
    tenants: dict[uuid.UUID, str] = {}
    for p in await repo.landlord_premises(s, ids):
        t = domain.tenants_of(True, p.kind, p.dwelling_units,
                              residential=p.kind in ("single_family", "multi_family"))
        if t is not None and tenants.get(p.account_id) != "multi_unit":
            tenants[p.account_id] = t
    notices = {(r.account_id, r.addressee): r.released_on
               for r in await repo.shutoff_notices(s, ids, today)}
    named = {r.account_id: r.disconnect_on for r in await repo.disconnect_dates(s, ids, today)}
    left = {r.account_id: r.completed_at.astimezone(zone)
            for r in await repo.door_tags_left(s, ids)}
    held = await protections.facts(s, ids)
    standing = {a: await arrangements.standing(s, a, today)
                for a in await repo.with_arrangements(s, ids)}
    out: dict[uuid.UUID, Facts] = {}
    for a in ids:
        ag = aged.get(a) or aging.Aging(as_of=today)
        h = held.get(a, protection.Facts())
        notice_on = notices.get((a, "customer"))
        since = ag.oldest_due
        if notice_on is not None and since is not None and notice_on < since:
            notice_on = None  # a notice of an earlier delinquency, since cured
        tag = left.get(a)
        if tag is not None and since is not None and tag.date() < since:
            tag = None
        st = standing.get(a)
        out[a] = Facts(
            past_due=ag.past_due if ag.past_due > 0 else Decimal("0.00"),
            oldest_due=ag.oldest_due if ag.past_due > 0 else None,
            shutoff_notice_on=notice_on, disconnect_on=named.get(a), door_tag_left_at=tag,
            open_appeals=appeals.get(a, 0),
            household=Household(
                medical_certified_on=h.medical_certified_on,
                medical_expires_on=h.medical_expires_on,
                financially_unable=protection.financially_unable(h, today),
                willing_to_arrange=protection.willing(h, today), reached_on=h.reached_on),
            arrangement=st.status if st is not None else "none",
            broken_on=st.broken_on if st is not None else None,
            final_notice_on=st.final_notice_on if st is not None else None,
            landlord_tenants=tenants.get(a), tenant_notice_on=notices.get((a, "tenant")))
    return out


def refusals_from(facts: dict[uuid.UUID, Facts], today: date) -> dict[uuid.UUID, list[Refusal]]:
    cal = policy.calendar()
    return {a: domain.refusals(f, today, cal) for a, f in facts.items()}


async def refusals_of(s: AsyncSession, account_ids: Sequence[uuid.UUID],
                      today: date) -> dict[uuid.UUID, list[Refusal]]:
    """Each account's refusals on `today` (an empty list: the disconnection is allowed)."""
    return refusals_from(await gather(s, account_ids, today), today)


async def check(s: AsyncSession, account_id: uuid.UUID, action: str,
                today: date) -> list[Refusal]:
    """Whether a disconnect order may be created, released or completed on `today`: every rule
    that forbids it, each with the day it next allows the step (empty: allowed)."""
    if action not in domain.ACTIONS:
        raise Unprocessable(f"Unknown action '{action}'", field="action")
    return (await refusals_of(s, [account_id], today))[account_id]


def next_allowed(found: list[Refusal], today: date) -> date | None:
    return domain.next_allowed(found, today, policy.calendar())


def refusal_out(r: Refusal) -> RefusalOut:
    return RefusalOut(rule=r.rule, message=r.message, next_on=r.next_on, offer=r.offer)


async def status(s: AsyncSession, account_id: uuid.UUID, action: str,
                 today: date) -> GuardrailStatus:
    found = await check(s, account_id, action, today)
    return GuardrailStatus(account_id=account_id, action=action, day=today, allowed=not found,
                           next_on=next_allowed(found, today),
                           refusals=[refusal_out(r) for r in found])


class Refused(Conflict):
    """SB 998 forbids the step today: the problem names the first rule (`rule`), the day the
    step is next allowed (`next_on`, null when a fact must change first), every refusal, and
    what is offered instead (`offer`: an arrangement)."""

    code, title = "sb998-refused", "Refused by SB 998"


def refused(found: list[Refusal], action: str, today: date) -> Refused:
    first = found[0]
    nxt = next_allowed(found, today)
    offer = next((r.offer for r in found if r.offer), None)
    return Refused(f"A disconnect cannot be {action}d on {today}: {first.message} "
                   f"({first.rule})", rule=first.rule,
                   next_on=nxt.isoformat() if nxt else None, offer=offer,
                   refusals=[refusal_out(r).model_dump(mode="json") for r in found])


async def ensure_allowed(s: AsyncSession, account_id: uuid.UUID, action: str,
                         today: date) -> None:
    """Raise `Refused` when any rule forbids the step today."""
    found = await check(s, account_id, action, today)
    if found:
        raise refused(found, action, today)
