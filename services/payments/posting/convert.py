"""From a stored payment to its API shape (the processor token is never shown back)."""

from __future__ import annotations

from services.payments.posting.domain import Payment
from services.payments.posting.schemas import PaymentOut


def payment_out(p: Payment) -> PaymentOut:
    return PaymentOut(
        id=p.id, receipt_number=p.receipt_number, account_id=p.account_id,
        account_number=p.account_number, amount=p.amount, tender=p.tender,
        check_number=p.check_number, bank=p.bank, money_order_number=p.money_order_number,
        received_on=p.received_on, channel=p.channel, drawer_id=p.drawer_id,
        batch_id=p.batch_id, status=p.status, taken_by=p.taken_by, created_at=p.created_at,
        posted_at=p.posted_at)
