"""`accounts.ClosingBillRequested`: record the final reads, then open a closing-bill run."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.clock import utility_today
from kernel.inbox import Handlers, InboxEvent
from services.billing.common import local_date
from services.billing.copy.domain import CopyBehind
from services.billing.reads import service as reads
from services.billing.runs import service

handlers = Handlers()


@handlers.on("accounts.ClosingBillRequested")
async def closing_bill_requested(s: AsyncSession, e: InboxEvent) -> None:
    """Waits (the inbox retries it with backoff, then parks it with the reason) until billing's
    copy knows every agreement and final-read meter it names: prepared earlier, the closing
    bill would bill nothing, or drop the final read."""
    p = e.payload
    sa_ids = [uuid.UUID(str(x)) for x in p.get("service_agreement_ids") or []]
    waits = await service.closing_waits_for(s, sa_ids)
    for r in p.get("final_reads") or []:
        waits = waits or await reads.copy_gap_of(s, uuid.UUID(str(r["meter_id"])))
    if waits:
        raise CopyBehind(f"closing bill waits for billing's copy: {waits}")
    for r in p.get("final_reads") or []:
        await reads.reread_arrived(s, None, r["meter_id"], local_date(str(r["read_at"])),
                                   Decimal(str(r["value"])))
    await service.closing_bill(s, str(e.event_id), uuid.UUID(str(p["account_id"])),
                               date.fromisoformat(str(p["stop_date"])), utility_today(),
                               sa_ids)
