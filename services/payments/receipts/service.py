"""Use cases of receipts: a payment by its receipt number, and its printable PDF."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.settings import get_settings
from services.payments.copy import service as copy
from services.payments.posting import service as posting
from services.payments.posting.convert import payment_out
from services.payments.receipts import domain
from services.payments.receipts.schemas import ReceiptOut, ReturnedNote, TransferredNote
from services.payments.returns import service as returns
from services.payments.transfers import service as transfers


async def receipt(s: AsyncSession, receipt_number: int) -> ReceiptOut:
    p = await posting.by_receipt(s, receipt_number)
    r = await returns.of_payment(s, p.id)
    moved = [TransferredNote(transfer_id=t.id, to_account_number=t.to_number, amount=t.amount,
                             transferred_on=t.transferred_on, reason=t.reason)
             for t in await transfers.of_payment(s, p.id)]
    return ReceiptOut(**payment_out(p).model_dump(), returned=None if r is None else ReturnedNote(
        return_id=r.id, returned_on=r.returned_on, reason=r.reason, return_code=r.return_code,
        fee=r.fee), transferred=moved)


async def receipt_pdf(s: AsyncSession, receipt_number: int) -> bytes:
    p = await posting.by_receipt(s, receipt_number)
    r = await returns.of_payment(s, p.id)
    returned = None if r is None else domain.returned_line(r.returned_on, r.return_code)
    return domain.render(get_settings().utility_name, p, await copy.holder_name(s, p.account_id),
                         returned, await transfers.receipt_lines(s, p.id))
