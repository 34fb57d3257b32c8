"""Use cases of high-bill appeals: open, investigate (leak-check order), decide by policy,
credit (through adjustments, so dollar authority applies), letter."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, NotFound
from kernel.outbox import Event, publish
from services.billing.adjustments import service as adjustments
from services.billing.appeals import domain
from services.billing.appeals import repository as repo
from services.billing.appeals.schemas import AppealOut, PolicyIO
from services.billing.config import service as config

POLICY_KEY = "appeals.policy"


async def policy(s: AsyncSession) -> domain.Policy:
    p = await config.load(s, POLICY_KEY, PolicyIO)
    return domain.Policy(p.share, p.window_days, p.requires_repair)


async def out(s: AsyncSession, appeal_id: uuid.UUID) -> AppealOut:
    a = await repo.get(s, appeal_id)
    if a is None:
        raise NotFound("No such appeal", field="appeal_id")
    return AppealOut.model_validate(a, from_attributes=True)


async def of_account(s: AsyncSession, account_id: uuid.UUID) -> list[AppealOut]:
    """An account's appeals, newest first (open ones hold off a shut-off)."""
    return [AppealOut.model_validate(a, from_attributes=True)
            for a in await repo.of_account(s, account_id)]


async def _bill_of(s: AsyncSession, a: repo.Appeal) -> repo.AppealedBill:
    b = await repo.bill(s, a.bill_id)
    if b is None:  # appeals.bill_id references bills
        raise NotFound("No such bill", field="bill_id")
    return b


def _event(type_: str, a_id: uuid.UUID, account_id: uuid.UUID, status: str,
           **extra: object) -> Event:
    return Event(type_, f"account:{account_id}",
                 {"appeal_id": str(a_id), "account_id": str(account_id), "status": status,
                  **extra})


async def open_appeal(s: AsyncSession, who: Principal, bill_id: uuid.UUID, complaint: str,
                      today: date) -> AppealOut:
    b = await repo.bill(s, bill_id)
    if b is None:
        raise NotFound("No such bill", field="bill_id")
    if b.status != "final":
        raise Conflict("Only a final bill can be appealed")
    if await repo.open_for_bill(s, bill_id) is not None:
        raise Conflict("This bill already has an open appeal")
    a_id = uuid.uuid4()
    await repo.insert(s, {"id": a_id, "account_id": b.account_id, "bill_id": bill_id,
                          "complaint": complaint, "opened_by": who.sub, "opened_on": today})
    await publish(s, [_event("billing.AppealOpened", a_id, b.account_id, "open",
                             bill_id=str(bill_id), opened_on=today.isoformat())], actor=who.sub)
    await audit.record(s, who, "open", "appeal", str(a_id), reason=complaint)
    return await out(s, a_id)


async def investigate(s: AsyncSession, who: Principal, appeal_id: uuid.UUID) -> AppealOut:
    a = await repo.get(s, appeal_id, lock=True)
    if a is None:
        raise NotFound("No such appeal", field="appeal_id")
    if a.status != "open":
        raise Conflict(f"The appeal is {a.status}")
    b = await _bill_of(s, a)
    await repo.set_status(s, appeal_id, "investigating")
    await publish(s, [Event("billing.ServiceOrderRequested", f"account:{a.account_id}", {
        "kind": "leak_check", "account_id": str(a.account_id),
        "premise_id": str(b.premise_id) if b.premise_id else None,
        "meter_id": str(b.meter_id) if b.meter_id else None,
        "reason": "high-bill appeal", "reference": f"appeal:{appeal_id}"})], actor=who.sub)
    await audit.record(s, who, "investigate", "appeal", str(appeal_id))
    return await out(s, appeal_id)


async def decide(s: AsyncSession, who: Principal, appeal_id: uuid.UUID, repaired: bool,
                 notes: str, today: date) -> AppealOut:
    a = await repo.get(s, appeal_id, lock=True)
    if a is None:
        raise NotFound("No such appeal", field="appeal_id")
    if a.status == "decided":
        raise Conflict("The appeal is already decided")
    b = await _bill_of(s, a)
    pol = await policy(s)
    normal = await repo.normal_use(s, a.account_id, b.period_start)
    why = domain.refusal(pol, repaired, await repo.last_credit_on(s, a.account_id), today,
                         normal is not None)
    credit = Decimal("0.00")
    adj_id = None
    if why is None and normal is not None:
        lines = await repo.volume_lines(s, a.bill_id)
        credit = domain.leak_credit(lines, normal, pol.share)
        if credit <= 0:
            why = "use was not above normal"
    if credit > 0:
        adj = await adjustments.request(s, who, a.account_id, -credit, "leak",
                                        f"leak credit, appeal {appeal_id}", source="appeal")
        adj_id = adj.id
    decision = "credit" if credit > 0 else "denied"
    await repo.decide(s, appeal_id, {
        "decision": decision, "credit": credit, "adjustment_id": adj_id,
        "letter": domain.letter(b.name or "", decision, credit, why), "decided_by": who.sub,
        "decided_on": today})
    await publish(s, [_event("billing.AppealDecided", appeal_id, a.account_id, "decided",
                             decision=decision, credit=str(credit))], actor=who.sub)
    await audit.record(s, who, "decide", "appeal", str(appeal_id), reason=notes or why,
                       after={"decision": decision, "credit": credit})
    return await out(s, appeal_id)
