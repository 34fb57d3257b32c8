"""Two cuts of the day's NACHA file at the same moment (a retried job, two operators), committed
for real in a database of its own: one file, each debit posted once. The committed rows are
what tests/leakcheck.py dumps and scans at the end of the run: the account number is in none."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

from sqlalchemy import text

from kernel.auth import Principal
from kernel.bankaccount import BankAccount
from kernel.webhooks import WebhookSecret
from services.payments.autopay import service
from services.payments.autopay.schemas import EnrolIn
from services.payments.processors.sandbox import SandboxProcessor
from tests.events.helpers import database

NUMBER = "000987654321"
TODAY = date(2026, 12, 1)


async def test_two_cuts_at_once_write_one_file_and_post_each_debit_once(fresh_database):
    db = database(fresh_database, "payments")
    account_id = uuid.uuid4()
    who = Principal(sub="tina", role="billing_tech")
    try:
        async with db.session() as s:
            await s.execute(text(
                "INSERT INTO accounts (id, number, name, status) VALUES (:a, '300000019', "
                "'Ana Ruiz', 'active')"), {"a": account_id})
            await s.execute(text(
                "INSERT INTO bills (id, account_id, bill_date, due_date, total, status) VALUES "
                "(gen_random_uuid(), :a, :bd, :dd, 61.25, 'open')"),
                {"a": account_id, "bd": TODAY - timedelta(days=20),
                 "dd": TODAY + timedelta(days=5)})
            await s.execute(text("INSERT INTO balances (account_id, balance, as_of) VALUES "
                                 "(:a, 61.25, now())"), {"a": account_id})
            bank = BankAccount.parse("121042882", NUMBER)
            enrolled = await service.enrol(s, who, account_id, EnrolIn(
                method="bank", routing_number=bank.routing_number, account_number=NUMBER),
                TODAY - timedelta(days=30), SandboxProcessor([WebhookSecret.generate()]))
            await s.commit()
        async with db.session() as s:  # the prenote, long aged by the debit
            await service.cut_file(s, who, TODAY - timedelta(days=20), None)
            [debit] = (await service.run(s, who, TODAY, SandboxProcessor(
                [WebhookSecret.generate()]))).scheduled
            await s.commit()

        async def operator(name: str) -> tuple[bool, int]:
            async with db.session() as s:
                out = await service.cut_file(s, Principal(sub=name, role="billing_tech"),
                                             TODAY + timedelta(days=2), None)
                await asyncio.sleep(0.2)  # hold the day's lock while the other waits
                await s.commit()
                return out.duplicate, len(out.debits)

        outcomes = await asyncio.gather(operator("tina"), operator("omar"))
        assert sorted(outcomes) == [(False, 1), (True, 1)]
        async with db.session() as s:
            counts = (await s.execute(text(
                "SELECT (SELECT count(*) FROM autopay_files), (SELECT count(*) FROM payments "
                "WHERE channel = 'autopay'), (SELECT count(*) FROM outbox "
                "WHERE type = 'payments.PaymentPosted')"))).one()
            assert tuple(counts) == (2, 1, 1)  # the prenote's file and the day's
            status = (await s.execute(text("SELECT status, sent_amount FROM autopay_debits "
                                           "WHERE id = :d"), {"d": debit.id})).one()
            assert (status[0], str(status[1])) == ("sent", "61.25")
            everything = (await s.execute(text(
                "SELECT string_agg(t, '') FROM (SELECT row_to_json(x)::text AS t FROM "
                "autopay_enrolments x UNION ALL SELECT row_to_json(x)::text FROM autopay_files x "
                "UNION ALL SELECT row_to_json(x)::text FROM outbox x UNION ALL "
                "SELECT row_to_json(x)::text FROM audit_log x) all_rows"))).scalar_one()
        assert enrolled.display in everything and NUMBER not in everything
    finally:
        await db.dispose()
