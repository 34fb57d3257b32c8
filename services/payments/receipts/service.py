"""Use cases of receipts: a payment by its receipt number, and its printable PDF."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.settings import get_settings
from services.payments.copy import service as copy
from services.payments.posting import service as posting
from services.payments.posting.convert import payment_out
from services.payments.receipts import domain
from services.payments.receipts.schemas import ReceiptOut, ReturnedNote
from services.payments.returns import service as returns


async def receipt(s: AsyncSession, receipt_number: int) -> ReceiptOut:
    p = await posting.by_receipt(s, receipt_number)
    r = await returns.of_payment(s, p.id)
    return ReceiptOut(**payment_out(p).model_dump(), returned=None if r is None else ReturnedNote(
        return_id=r.id, returned_on=r.returned_on, reason=r.reason, return_code=r.return_code,
        fee=r.fee))


async def receipt_pdf(s: AsyncSession, receipt_number: int) -> bytes:
    p = await posting.by_receipt(s, receipt_number)
    r = await returns.of_payment(s, p.id)
    returned = None if r is None else domain.returned_line(r.returned_on, r.return_code)
    return domain.render(get_settings().utility_name, p, await copy.holder_name(s, p.account_id),
                         returned)
