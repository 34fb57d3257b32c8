"""Two returns of one payment at the same moment (two clerks, or a clerk and the bank's return
file): committed for real in a database of its own, the payment is reversed once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

from sqlalchemy import text

from kernel.auth import Principal
from kernel.errors import Conflict
from services.payments.returns import service as returns
from tests.events.helpers import database


async def test_two_returns_of_one_payment_at_once_reverse_it_once(fresh_database):
    db = database(fresh_database, "payments")
    payment_id, account_id = uuid.uuid4(), uuid.uuid4()
    try:
        async with db.session() as s:
            await s.execute(text(
                "INSERT INTO payments (id, account_id, account_number, amount, tender, "
                "check_number, bank, received_on, channel, status, taken_by, idempotency_key, "
                "posted_at) VALUES (:p, :a, '300000019', 64.00, 'check', '12', 'Town Bank', "
                "'2026-01-05', 'lockbox', 'posted', 'lockbox', 'k', now())"),
                {"p": payment_id, "a": account_id})
            await s.commit()

        async def clerk(name: str) -> str:
            async with db.session() as s:
                try:
                    await returns.return_payment(
                        s, Principal(sub=name, role="csr2"), payment_id,
                        reason="returned_check", return_code="NSF",
                        returned_on=date(2026, 1, 9), return_key=f"{name}:1")
                except Conflict:
                    return "409"
                await asyncio.sleep(0.2)  # hold the account's lock while the other waits
                await s.commit()
                return "returned"

        outcomes = await asyncio.gather(clerk("carla"), clerk("chris"))
        assert sorted(outcomes) == ["409", "returned"]
        async with db.session() as s:
            counts = (await s.execute(text(
                "SELECT (SELECT count(*) FROM payment_returns), (SELECT count(*) FROM outbox "
                "WHERE type = 'payments.PaymentReturned')"))).one()
        assert tuple(counts) == (1, 1)
    finally:
        await db.dispose()
