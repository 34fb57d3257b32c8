"""Use cases of adjustments: within the requester's dollar authority they post at once; above it
they wait for an approver with enough authority who is not the requester."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal, authority
from kernel.clock import utility_today
from kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from services.billing.adjustments import domain
from services.billing.adjustments import repository as repo
from services.billing.adjustments.schemas import AdjustmentOut
from services.billing.ledger import service as ledger


async def out(s: AsyncSession, adj_id: uuid.UUID) -> AdjustmentOut:
    r = await repo.get(s, adj_id)
    if r is None:
        raise NotFound("No such adjustment", field="adjustment_id")
    return AdjustmentOut.model_validate(r, from_attributes=True)


async def listing(s: AsyncSession, status: str | None, account_id: uuid.UUID | None
                  ) -> list[AdjustmentOut]:
    return [AdjustmentOut.model_validate(r, from_attributes=True)
            for r in await repo.listing(s, status, account_id)]


async def _post(s: AsyncSession, a: repo.Adjustment, approver: str) -> None:
    entry = await ledger.post(s, a.account_id, domain.KIND_OF.get(a.reason_code, "adjustment"),
                              a.amount, utility_today(), f"adjustment:{a.id}", approver)
    if entry is None:  # the adjustment's own reference: posted once, when it was decided
        raise Conflict("This adjustment was already posted")
    await repo.decide(s, a.id, "posted", approver, entry.id)


async def request(s: AsyncSession, who: Principal, account_id: uuid.UUID, amount: Decimal,
                  reason_code: str, reason: str, source: str = "manual") -> AdjustmentOut:
    if amount == 0:
        raise Unprocessable("An adjustment of zero changes nothing", field="amount")
    if reason_code not in domain.REASON_CODES:
        raise Unprocessable("Unknown reason code", field="reason_code")
    if not await repo.account_exists(s, account_id):
        raise NotFound("No such account", field="account_id")
    adj_id = uuid.uuid4()
    await repo.insert(s, {"id": adj_id, "account_id": account_id, "amount": amount,
                          "reason_code": reason_code, "reason": reason,
                          "requested_by": who.sub, "requested_role": who.role,
                          "source": source})
    if not domain.needs_approval(amount, authority(who.role)):
        posted = await repo.get(s, adj_id)
        assert posted is not None  # inserted just above
        await _post(s, posted, who.sub)
    await audit.record(s, who, "request", "adjustment", str(adj_id), reason=reason,
                       after={"amount": amount, "account_id": account_id})
    return await out(s, adj_id)


async def approve(s: AsyncSession, who: Principal, adj_id: uuid.UUID) -> AdjustmentOut:
    a = await repo.get(s, adj_id, lock=True)
    if a is None:
        raise NotFound("No such adjustment", field="adjustment_id")
    if a.status != "pending":
        raise Conflict(f"This adjustment is already {a.status}")
    why = domain.approval_refusal(who.sub, authority(who.role), a.requested_by, a.amount)
    if why:
        raise Forbidden(why)
    await _post(s, a, who.sub)
    await audit.record(s, who, "approve", "adjustment", str(adj_id), approver=who.sub,
                       reason=a.reason)
    return await out(s, adj_id)


async def reject(s: AsyncSession, who: Principal, adj_id: uuid.UUID, reason: str
                 ) -> AdjustmentOut:
    a = await repo.get(s, adj_id, lock=True)
    if a is None:
        raise NotFound("No such adjustment", field="adjustment_id")
    if a.status != "pending":
        raise Conflict(f"This adjustment is already {a.status}")
    if who.sub == a.requested_by:
        raise Forbidden("nobody decides their own request")
    await repo.decide(s, adj_id, "rejected", who.sub, None)
    await audit.record(s, who, "reject", "adjustment", str(adj_id), approver=who.sub,
                       reason=reason)
    return await out(s, adj_id)
