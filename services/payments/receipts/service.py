"""Use cases of receipts: a payment by its receipt number, and its printable PDF."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.settings import get_settings
from services.payments.copy import service as copy
from services.payments.posting import service as posting
from services.payments.posting.domain import Payment
from services.payments.receipts import domain
from services.payments.transfers import service as transfers


async def receipt(s: AsyncSession, receipt_number: int) -> Payment:
    return await posting.by_receipt(s, receipt_number)


async def receipt_pdf(s: AsyncSession, receipt_number: int) -> bytes:
    p = await posting.by_receipt(s, receipt_number)
    return domain.render(get_settings().utility_name, p, await copy.holder_name(s, p.account_id),
                         await transfers.receipt_lines(s, p.id))
