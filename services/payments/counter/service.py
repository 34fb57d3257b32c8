"""Use cases of the counter: a cashier's drawer from float to sign-off, and the payments taken
in it."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, Forbidden, NotFound
from services.payments.counter import domain
from services.payments.counter import repository as repo
from services.payments.counter.repository import Drawer
from services.payments.counter.schemas import DrawerOut, TenderTotalOut
from services.payments.posting import domain as posting_domain
from services.payments.posting import service as posting
from services.payments.posting.domain import Payment
from services.payments.posting.schemas import PaymentIn


async def _out(s: AsyncSession, d: Drawer) -> DrawerOut:
    totals = await posting.tender_totals(s, d.id)
    return DrawerOut(**repo.as_dict(d), taken=[
        TenderTotalOut(tender=t.tender, count=t.count, total=t.total) for t in totals])


async def _drawer(s: AsyncSession, drawer_id: uuid.UUID, lock: bool = False) -> Drawer:
    d = await repo.get(s, drawer_id, lock)
    if d is None:
        raise NotFound("No such drawer", field="drawer_id")
    return d


async def open_drawer(s: AsyncSession, who: Principal, float_amount: Decimal,
                      today: date) -> DrawerOut:
    if await repo.open_of(s, who.sub) is not None:
        raise Conflict("You already have an open drawer; close it first")
    d = await repo.insert(s, who.sub, float_amount, today)
    await audit.record(s, who, "open-drawer", "drawer", str(d.id),
                       after={"float_amount": float_amount})
    return await _out(s, d)


async def drawers(s: AsyncSession, status: str | None, limit: int) -> list[DrawerOut]:
    """Drawers oldest first; `closed` is the supervisor's sign-off worklist."""
    return [await _out(s, d) for d in await repo.listed(s, status, limit)]


async def drawer(s: AsyncSession, drawer_id: uuid.UUID) -> DrawerOut:
    return await _out(s, await _drawer(s, drawer_id))


async def take_payment(s: AsyncSession, who: Principal, drawer_id: uuid.UUID, body: PaymentIn,
                       key: str | None, today: date) -> Payment:
    """A payment at the counter, in the cashier's own open drawer, posted at once."""
    key = posting.require_key(key)
    d = await _drawer(s, drawer_id, lock=True)
    if d.cashier != who.sub:
        raise Forbidden("A cashier takes payments only in their own drawer")
    if d.status != "open":
        raise Conflict("The drawer is closed: it takes nothing", field="drawer_id")
    tender = posting_domain.tender(
        body.tender, check_number=body.check_number, bank=body.bank,
        money_order_number=body.money_order_number, processor_token=body.processor_token)
    return await posting.take(s, who=who.sub, key=key, account_number=body.account_number,
                              amount=body.amount, tender=tender, received_on=today,
                              channel="counter", drawer_id=d.id, post=True)


async def close_drawer(s: AsyncSession, who: Principal, drawer_id: uuid.UUID,
                       counts: dict[str, int]) -> DrawerOut:
    """The cashier (or a supervisor) counts the cash; over/short is counted minus float and
    cash taken."""
    d = await _drawer(s, drawer_id, lock=True)
    if who.sub != d.cashier and who.role != "supervisor":
        raise Forbidden("Only the drawer's cashier or a supervisor closes it")
    if d.status != "open":
        raise Conflict("The drawer is already closed", field="drawer_id")
    counted = domain.count_total(counts)
    cash = [t.total for t in await posting.tender_totals(s, d.id) if t.tender == "cash"]
    expected = domain.expected_cash(d.float_amount, cash)
    diff = domain.over_short(counted, expected)
    closed = await repo.close(s, d.id, who.sub, {k: v for k, v in counts.items() if v},
                              counted, expected, diff)
    await audit.record(s, who, "close-drawer", "drawer", str(d.id),
                       after={"counted_cash": counted, "expected_cash": expected,
                              "over_short": diff})
    return await _out(s, closed)


async def sign_off(s: AsyncSession, who: Principal, drawer_id: uuid.UUID,
                   note: str | None) -> DrawerOut:
    d = await _drawer(s, drawer_id, lock=True)
    domain.check_sign_off(who.sub, d.cashier, d.closed_by)
    if d.status != "closed":
        raise Conflict("Only a closed drawer that is not signed off can be signed off",
                       field="drawer_id")
    domain.check_explained(d.over_short, note)
    done = await repo.sign_off(s, d.id, who.sub, note)
    await audit.record(s, who, "sign-off-drawer", "drawer", str(d.id), reason=note,
                       after={"over_short": d.over_short})
    return await _out(s, done)
