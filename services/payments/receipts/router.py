"""Receipts: a payment by its number, and the receipt as a PDF to print."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from kernel.auth import Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.payments.receipts import service
from services.payments.receipts.schemas import ReceiptOut

router = APIRouter(prefix="/api/payments/receipts", tags=["payments-receipts"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
ReceiptNumber = Annotated[int, Path(ge=1, le=9_223_372_036_854_775_807)]


@router.get("/{receipt_number}", response_model=ReceiptOut,
            responses=problem_responses(401, 403, 404, 422))
async def get_receipt(receipt_number: ReceiptNumber, session: SessionDep,
                      _: Staff) -> ReceiptOut:
    """The payment a receipt number was given to (`returned` when the bank sent it back)."""
    return await service.receipt(session, receipt_number)


@router.get("/{receipt_number}/pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}},
                       **problem_responses(401, 403, 404, 422)})
async def receipt_pdf(receipt_number: ReceiptNumber, session: SessionDep, _: Staff) -> Response:
    """The receipt, printable."""
    pdf = await service.receipt_pdf(session, receipt_number)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="receipt-{receipt_number}.pdf"'})
