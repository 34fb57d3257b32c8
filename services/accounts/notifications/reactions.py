"""Accounts' own workflows tell the customer too: a start or stop of service confirmed, a
service order's visit announced. In the workflow's transaction, named by what caused them."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.reactions import Happened, Reactions
from kernel.settings import get_settings
from services.accounts.agreements.facts import MovedIn, MovedOut
from services.accounts.notifications import service
from services.accounts.notifications.service import Notice
from services.accounts.orders.facts import ServiceOrderCreated

reactions = Reactions()


@reactions.on(MovedIn, MovedOut)
async def start_and_stop(session: AsyncSession, happened: list[Happened]) -> None:
    out = []
    for h in happened:
        f = h.fact
        if isinstance(f, MovedIn):
            out.append(Notice(f.account_id, "service_started", f"movein:{f.letter_id}", facts={
                "address": f.premise.address.one_line(),
                "start_date": str(f.start_date)}))
        elif isinstance(f, MovedOut):
            out.append(Notice(f.account_id, "service_stopped", f"moveout:{f.letter_id}", facts={
                "address": f.premise.address.one_line(),
                "stop_date": str(f.stop_date)}))
    await service.notify(session, out)


@reactions.on(ServiceOrderCreated)
async def visits(session: AsyncSession, happened: list[Happened]) -> None:
    noticed = set(get_settings().order_notice_kinds)
    out = []
    for h in happened:
        if not isinstance(h.fact, ServiceOrderCreated):
            continue
        o = h.fact.order
        if o.account_id is None or str(o.kind) not in noticed:
            continue
        out.append(Notice(o.account_id, "service_visit", f"order:{o.id}", facts={
            "address": o.address, "scheduled_date": str(o.scheduled_date),
            "order_kind": str(o.kind).replace("_", " ")}))
    await service.notify(session, out)
