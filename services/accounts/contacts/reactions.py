"""Letters that follow from what happened: welcome on move-in, closing on move-out, a visit
notice when an order of a noticed kind is created (TAPLINE_ORDER_NOTICE_KINDS)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.clock import utility_today
from kernel.reactions import Happened, Reactions
from services.accounts.agreements.facts import MovedIn, MovedOut
from services.accounts.contacts import service
from services.accounts.orders.facts import ServiceOrderCreated

reactions = Reactions()


@reactions.on(MovedIn, MovedOut)
async def welcome_and_closing_letters(session: AsyncSession, happened: list[Happened]) -> None:
    for h in happened:
        if isinstance(h.fact, MovedIn):
            await service.welcome(session, h.who, h.fact)
        elif isinstance(h.fact, MovedOut):
            await service.closing(session, h.who, h.fact)


@reactions.on(ServiceOrderCreated)
async def visit_notices(session: AsyncSession, happened: list[Happened]) -> None:
    today = utility_today()
    for h in happened:
        if isinstance(h.fact, ServiceOrderCreated):
            await service.visit_notice(session, h.who, h.fact.order, today)
