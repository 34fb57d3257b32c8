"""Letters that follow from a rebate decision: the approval letter (how and how much it is
paid) and the denial letter (why), each in the customer's language, kept with the account."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.clock import utility_today
from kernel.reactions import Happened, Reactions
from services.accounts.rebates import service
from services.accounts.rebates.facts import RebateApproved, RebateDenied

reactions = Reactions()


@reactions.on(RebateApproved, RebateDenied)
async def rebate_letters(session: AsyncSession, happened: list[Happened]) -> None:
    today = utility_today()
    for h in happened:
        if isinstance(h.fact, RebateApproved | RebateDenied):
            await service.send_letter(session, h.who, h.fact, today)
