"""Collections' late-charge reversals on billing's ledger (collections decides, with who asked
and who approved; the ledger records it). The charge itself is `handlers.late_charge_assessed`.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.billing.ledger import repository as repo
from services.billing.ledger import service

handlers = Handlers()


@handlers.on("collections.LateChargeReversed")
async def late_charge_reversed(s: AsyncSession, e: InboxEvent) -> None:
    """A `late_charge` entry of the opposite sign, reference `late-reversal:{notice_id}` (so a
    redelivery posts once), correcting the charge's entry (`late:{notice_id}`), which the same
    account's earlier `LateChargeAssessed` has posted."""
    p = e.payload
    original = await repo.by_reference(s, "late_charge", f"late:{p['notice_id']}")
    await service.post(s, uuid.UUID(str(p["account_id"])), "late_charge",
                       -Decimal(str(p["amount"])), date.fromisoformat(str(p["reversed_on"])),
                       f"late-reversal:{p['notice_id']}", str(p.get("approved_by") or
                                                               "collections"),
                       corrects=original.id if original else None)
