"""What agreements do when something happens elsewhere in accounts."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.reactions import Happened, Reactions
from services.accounts.agreements import service
from services.accounts.meters.facts import MeterExchanged
from services.accounts.orders.facts import ClosingBillRequested

reactions = Reactions()


@reactions.on(MeterExchanged)
async def agreements_follow_the_new_meter(session: AsyncSession, happened: list[Happened]) -> None:
    for h in happened:
        if isinstance(h.fact, MeterExchanged):
            await service.follow_meter(session, h.who, h.fact.removed, h.fact.installed)


@reactions.on(ClosingBillRequested)
async def close_accounts_left_without_service(session: AsyncSession,
                                              happened: list[Happened]) -> None:
    for h in happened:
        if isinstance(h.fact, ClosingBillRequested):
            order = h.fact.order
            if order.account_id is not None and order.stop_date is not None:
                await service.close_if_no_service(session, h.who, order.account_id,
                                                  order.stop_date)
