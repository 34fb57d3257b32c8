"""Bank key rotation: every stored account number and NACHA file re-sealed under the newest
key of TAPLINE_BANK_KEYS, after which the old key can be dropped and nothing is lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from kernel.bankaccount import BankKeyring
from tests.payments.autopay_helpers import BANK_NUMBER, RUN_ON, bill_due, cut, enrol_bank, run
from tests.payments.helpers import make_account

OLD, NEW = BankKeyring.generate_key(), BankKeyring.generate_key()


def use(monkeypatch: pytest.MonkeyPatch, spec: str) -> None:
    ring = BankKeyring.parse(spec)
    monkeypatch.setattr("services.payments.autopay.service.keyring", lambda *_: ring)


async def test_rotation_reseals_accounts_and_files_so_the_old_key_can_go(
        client, feed, bound, auth, monkeypatch):
    use(monkeypatch, f"old:{OLD}")
    a = await make_account(feed)
    assert (await enrol_bank(client, auth("csr1"), a.id)).status_code == 201
    await bill_due(feed, a, "45.00", "45.00", RUN_ON + timedelta(days=3))
    await run(client, auth("billing_tech"), RUN_ON)
    prenote = (await cut(client, auth("billing_tech"), RUN_ON))["file"]

    use(monkeypatch, f"new:{NEW},old:{OLD}")
    r = await client.post("/api/payments/autopay/bank-keys/rotate", headers=auth("supervisor"))
    assert r.status_code == 200, r.text
    assert r.json() == {"key_id": "new", "enrolments": 1, "files": 1}
    again = await client.post("/api/payments/autopay/bank-keys/rotate",
                              headers=auth("supervisor"))
    assert again.json() == {"key_id": "new", "enrolments": 0, "files": 0}
    tokens = (await bound["payments"].execute(text(
        "SELECT account_token FROM autopay_enrolments UNION ALL "
        "SELECT content_sealed FROM autopay_files"))).scalars().all()
    assert all(t.startswith("b1.new.") for t in tokens)

    use(monkeypatch, f"new:{NEW}")  # the old key dropped
    old_file = await client.get(f"/api/payments/autopay/files/{prenote['id']}",
                                headers=auth("billing_tech"))
    assert old_file.status_code == 200 and BANK_NUMBER in old_file.text
    live = await cut(client, auth("billing_tech"), RUN_ON + timedelta(days=20))
    assert live["file"]["debit_count"] == 1
    text_ = (await client.get(f"/api/payments/autopay/files/{live['file']['id']}",
                              headers=auth("billing_tech"))).text
    assert BANK_NUMBER in text_


async def test_only_a_supervisor_or_admin_rotates_keys(client, auth):
    r = await client.post("/api/payments/autopay/bank-keys/rotate", headers=auth("csr2"))
    assert r.status_code == 403


async def test_a_customer_sees_their_own_upcoming_debits_only(client, feed, auth):
    mine, theirs = await make_account(feed), await make_account(feed)
    me = auth("customer", "cust-9", accounts=(mine.id,))
    await enrol_bank(client, me, mine.id, portal=True)
    await bill_due(feed, mine, "33.00", "33.00", RUN_ON + timedelta(days=3))
    await run(client, auth("billing_tech"), RUN_ON)
    own = await client.get(f"/api/payments/portal/accounts/{mine.id}/autopay/debits",
                           headers=me)
    assert [(d["amount"], d["status"]) for d in own.json()] == [("33.00", "scheduled")]
    other = await client.get(f"/api/payments/portal/accounts/{theirs.id}/autopay/debits",
                             headers=me)
    assert other.status_code == 404
