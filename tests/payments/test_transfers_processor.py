"""A processor payment the processor has partly taken back (refund, chargeback) transfers only
what is left of it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text

from tests.payments.helpers import make_account
from tests.payments.helpers import table_count as count
from tests.payments.refunds_helpers import key
from tests.payments.test_webhooks import deliver, pay, sandbox

__all__ = ["sandbox"]  # the fixture, used by name


async def test_a_card_payment_refunded_in_part_transfers_only_the_rest(
        client, feed, sandbox, bound, cashier2):
    wrong, right = await make_account(feed), await make_account(feed)
    pid = pay(sandbox, wrong.number, "80.00", "web-tr-1")
    sandbox.refund(payment_id=pid, amount=Decimal("30.00"), idempotency_key="r-tr-1",
                   reason="requested_by_customer")
    for m in sandbox.messages:
        assert (await deliver(client, sandbox, m)).status_code == 200
    receipt = (await bound["payments"].execute(text(
        "SELECT receipt_number FROM payments WHERE account_id = :a"), {"a": wrong.id}
    )).scalar_one()
    body = {"receipt_number": int(receipt), "to_account_number": right.number,
            "amount": "50.01", "reason": "Paid on the wrong account online"}
    r = await client.post("/api/payments/transfers", json=body, headers=key(cashier2, "t-p1"))
    assert (r.status_code, r.json()["remaining"]) == (422, "50.00")
    ok = await client.post("/api/payments/transfers", json={**body, "amount": "50.00"},
                           headers=key(cashier2, "t-p2"))
    assert (ok.status_code, ok.json()["status"]) == (201, "transferred")
    assert await count(bound, "transfers") == 1
