"""PAY racing itself on real commits: two sessions (as two payments processes would) handle
the same text delivered twice at once, and two different PAY texts at once; the processor is
charged once either way."""

from __future__ import annotations

import asyncio
import re
import uuid
from decimal import Decimal

from sqlalchemy import text

from kernel.auth import Principal
from kernel.clock import utc_now, utility_today
from kernel.sms.sandbox import SandboxSms, SignedPost
from kernel.webhooks import WebhookSecret
from services.payments.processors.sandbox import SandboxProcessor
from services.payments.texttopay import service
from services.payments.texttopay.domain import Voice
from services.payments.texttopay.service import Texting
from tests.events.helpers import database
from tests.payments.helpers import new_number

URL = "http://127.0.0.1:8000/api/payments/sms/inbound/sandbox"
PHONE = "+15415559876"


async def _setup(db, t: Texting) -> None:
    acct, bill = uuid.uuid4(), uuid.uuid4()
    staff = Principal("chris", "csr2")
    async with db.session() as s:
        await s.execute(text(
            "INSERT INTO accounts (id, number, customer_id, status, cash_only, name) "
            "VALUES (:a, :n, NULL, 'active', false, 'Pat')"), {"a": acct, "n": new_number()})
        await s.execute(text("INSERT INTO balances (account_id, balance, as_of) "
                             "VALUES (:a, 75.10, now())"), {"a": acct})
        await s.execute(text(
            "INSERT INTO bills (id, account_id, bill_date, due_date, total, status) "
            "VALUES (:b, :a, :d, :d, 75.10, 'open')"), {"a": acct, "b": bill,
                                                         "d": utility_today()})
        e = await service.enrol(s, staff, t, acct, PHONE, "pm_card_visa", utc_now())
        code = re.search(r"code (\d{6})", t.sms.to(PHONE)[-1].body).group(1)  # type: ignore
        await service.confirm(s, staff, t, e.id, code, utc_now())
        run = await service.balance_messages(s, Principal("bea", "billing_tech"), t,
                                             utility_today())
        assert run.sent == 1
        await s.commit()


async def _deliver(db, t: Texting, post: SignedPost) -> str:
    async with db.session() as s:
        _, outcome = await service.inbound(s, t, URL, post.body, post.headers,
                                           utility_today(), utc_now())
        await s.commit()
        return outcome


async def test_pay_racing_itself_charges_once(fresh_database):
    db = database(fresh_database, "payments")
    sms = SandboxSms()
    processor = SandboxProcessor([WebhookSecret.generate()])
    t = Texting(sms, processor, Voice("District", "(555) 010-0100"), 3, 60)
    try:
        await _setup(db, t)
        same = sms.inbound(URL, PHONE, "PAY")
        outcomes = await asyncio.gather(_deliver(db, t, same), _deliver(db, t, same))
        assert sorted(outcomes) == ["charged", "duplicate"]
        outcomes = await asyncio.gather(_deliver(db, t, sms.inbound(URL, PHONE, "pay")),
                                        _deliver(db, t, sms.inbound(URL, PHONE, "Pay")))
        assert outcomes == ["already-charged", "already-charged"]
        charges = [m for m in processor.messages if m.event_type == "payment.succeeded"]
        assert len(charges) == 1 and b'"amount":"75.10"' in charges[0].body
        async with db.session() as s:
            rows = (await s.execute(text(
                "SELECT amount, charge_status FROM texttopay_messages"))).all()
        assert [(r[0], r[1]) for r in rows] == [(Decimal("75.10"), "succeeded")]
    finally:
        await db.dispose()
