"""The day's NACHA file: prenotes first, live debits only once the prenote has aged, every total
checked by an independent library (achkit), each debit posted once however often the cut is
retried, and debits looked at again when the file is cut."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

import achkit
from sqlalchemy import text

from services.payments.autopay.domain import first_possible_settlement
from tests.payments.autopay_helpers import (
    BANK_NUMBER,
    CAL,
    RUN_ON,
    WELLS_FARGO_CA,
    balance_now,
    bill_due,
    cut,
    enrol_bank,
    events,
    run,
)
from tests.payments.helpers import Acct, make_account, posted_events, table_count


async def _enrolled_with_debit(client: Any, feed: Any, auth: Any, total: str = "84.17",
                               due_in: int = 3) -> tuple[Acct, dict[str, Any]]:
    a = await make_account(feed, name="Maria Lopez")
    assert (await enrol_bank(client, auth("csr1"), a.id)).status_code == 201
    await bill_due(feed, a, total, total, RUN_ON + timedelta(days=due_in))
    [debit] = (await run(client, auth("billing_tech"), RUN_ON))["scheduled"]
    return a, debit


def _day_before(settles: date) -> date:
    return CAL.previous_banking_day(settles)


async def test_a_new_bank_account_is_prenoted_and_its_debit_waits_until_the_prenote_ages(
        client, feed, bound, auth):
    a, debit = await _enrolled_with_debit(client, feed, auth)
    debit_on = date.fromisoformat(debit["debit_on"])
    # Nobody cut a file until the day before the debit: the prenote goes in only now.
    first = await cut(client, auth("billing_tech"), _day_before(debit_on), debit_on)
    assert (first["file"]["prenote_count"], first["file"]["debit_count"]) == (1, 0)
    assert [h["id"] for h in first["held"]] == [debit["id"]]
    enrolment = (await client.get(f"/api/payments/autopay/accounts/{a.id}",
                                  headers=auth("csr1"))).json()
    live_from = date.fromisoformat(enrolment["live_from"])
    assert live_from == CAL.add_banking_days(debit_on, 3)
    # A banking day later the prenote has not aged: still held, nothing posted.
    nxt = CAL.next_banking_day(debit_on)
    second = await cut(client, auth("billing_tech"), _day_before(nxt), nxt)
    assert second["file"] is None and [h["id"] for h in second["held"]] == [debit["id"]]
    assert await posted_events(bound) == []
    # Once aged, the debit goes (late, and says so by its date) and posts.
    third = await cut(client, auth("billing_tech"), _day_before(live_from), live_from)
    assert (third["file"]["prenote_count"], third["file"]["debit_count"]) == (0, 1)
    [sent] = third["debits"]
    assert (sent["id"], sent["status"], sent["amount"]) == (debit["id"], "sent", "84.17")
    [posted] = await posted_events(bound)
    p = posted.payload["payment"]
    assert (p["account_id"], p["amount"], p["channel"], p["tender"], p["received_on"]) == (
        a.id, "84.17", "autopay", "bank", live_from.isoformat())
    assert posted.key == f"account:{a.id}"


async def test_the_file_reads_back_in_an_independent_library_with_its_totals_and_hash(
        client, feed, bound, auth):
    a, debit = await _enrolled_with_debit(client, feed, auth)
    b, _ = await _enrolled_with_debit(client, feed, auth, total="1204.50", due_in=4)
    await cut(client, auth("billing_tech"), RUN_ON)  # prenotes
    day = RUN_ON + timedelta(days=20)
    out = await cut(client, auth("billing_tech"), day)
    f = out["file"]
    assert (f["debit_count"], f["prenote_count"], f["total"]) == (2, 0, "1288.67")
    r = await client.get(f"/api/payments/autopay/files/{f['id']}", headers=auth("supervisor"))
    assert r.status_code == 200
    content = r.text
    assert hashlib.sha256(content.encode("ascii")).hexdigest() == f["sha256"]
    assert r.headers["repr-digest"] == f"sha-256=:{f['sha256']}:"
    assert achkit.validate(content) == {"ok": True, "errors": []}
    parsed = achkit.parse(content)
    [batch] = parsed["batches"]
    assert (batch["service_class"], batch["sec"], batch["company_id"]) == (
        225, "PPD", "1953123456")
    assert batch["effective_date"] == date.fromisoformat(f["effective_on"]).strftime("%y%m%d")
    entries = sorted(batch["entries"], key=lambda e: e["amount_cents"])
    assert [(e["txn_code"], e["amount_cents"], e["routing"], e["id_number"])
            for e in entries] == [(27, 8417, WELLS_FARGO_CA, a.number),
                                  (27, 120450, WELLS_FARGO_CA, b.number)]
    assert entries[0]["name"] == "MARIA LOPEZ"
    for control in (batch["control"], parsed["control"]):
        assert control["total_debit"] == 8417 + 120450
        assert control["entry_addenda_count"] == 2
        assert int(control["entry_hash"]) == 2 * int(WELLS_FARGO_CA[:8])
    lines = content.rstrip("\n").split("\n")
    assert len(lines) % 10 == 0 and all(len(x) == 94 for x in lines)
    assert parsed["control"]["block_count"] == len(lines) // 10 == f["block_count"]
    # The file is kept sealed: the account number appears in no column.
    stored = (await bound["payments"].execute(text(
        "SELECT string_agg(row_to_json(f)::text, '') FROM autopay_files f"))).scalar_one()
    assert BANK_NUMBER not in stored
    assert BANK_NUMBER in content  # ... and only the download opens it
    debits = {d["trace_number"]: d for d in out["debits"]}
    assert set(debits) == {e["trace_number"] for e in entries}


async def test_a_retried_cut_answers_with_the_days_file_and_posts_each_debit_once(
        client, feed, bound, auth):
    await _enrolled_with_debit(client, feed, auth)
    await cut(client, auth("billing_tech"), RUN_ON)
    day = RUN_ON + timedelta(days=20)
    first = await cut(client, auth("billing_tech"), day)
    again = await cut(client, auth("supervisor"), day)
    later = await cut(client, auth("billing_tech"), day,
                      CAL.add_banking_days(first_possible_settlement(day, CAL), 2))
    assert (first["duplicate"], again["duplicate"], later["duplicate"]) == (False, True, True)
    assert first["file"]["id"] == again["file"]["id"] == later["file"]["id"]
    assert [d["id"] for d in again["debits"]] == [d["id"] for d in first["debits"]]
    assert len(await posted_events(bound)) == 1
    assert await table_count(bound, "payments", "channel = 'autopay'") == 1
    assert await table_count(bound, "autopay_files") == 2


async def test_a_debit_whose_bill_was_cancelled_or_paid_before_the_cut_is_dropped(
        client, feed, bound, auth):
    a, _ = await _enrolled_with_debit(client, feed, auth)
    b, _ = await _enrolled_with_debit(client, feed, auth)
    c, _ = await _enrolled_with_debit(client, feed, auth, total="100.00")
    await cut(client, auth("billing_tech"), RUN_ON)
    await feed.send("billing.BillCancelled", f"account:{a.id}", {
        "bill_id": (await _bill_of(bound, a)), "account_id": a.id, "reason": "misread",
        "replaced_by": None})
    await feed.drain()
    # The cancelled bill's debit is dropped as billing's event arrives ...
    debits = (await client.get(f"/api/payments/autopay/accounts/{a.id}/debits",
                               headers=auth("csr1"))).json()
    assert [(d["status"], d["drop_reason"]) for d in debits] == [("dropped", "bill_cancelled")]
    await balance_now(feed, b, "0.00", amount="-84.17")
    await balance_now(feed, c, "40.00", amount="-60.00")
    out = await cut(client, auth("billing_tech"), RUN_ON + timedelta(days=20))
    # ... the paid one when the file is cut, and the part-paid one goes for what is left.
    assert [(d["account_id"], d["drop_reason"]) for d in out["dropped"]] == [
        (b.id, "nothing_due")]
    [sent] = out["debits"]
    assert (sent["account_id"], sent["amount"]) == (c.id, "40.00")
    [posted] = await posted_events(bound)
    assert posted.payload["payment"]["amount"] == "40.00"
    assert len(await events(bound, "payments.AutopayDebitScheduled")) == 3


async def _bill_of(bound: dict[str, Any], a: Acct) -> str:
    return str((await bound["payments"].execute(text(
        "SELECT bill_id FROM autopay_debits WHERE account_id = :a"), {"a": a.id})).scalar_one())


async def test_an_effective_date_that_is_no_banking_day_is_refused(client, auth, bound):
    saturday = RUN_ON + timedelta(days=(5 - RUN_ON.weekday()) % 7 + 7)
    r = await client.post("/api/payments/autopay/files", json={
        "today": RUN_ON.isoformat(), "effective_on": saturday.isoformat()},
        headers=auth("billing_tech"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "effective_on"
    assert await table_count(bound, "autopay_files") == 0


async def test_an_account_made_cash_only_before_the_cut_is_not_debited(client, feed, bound,
                                                                        auth):
    a, _ = await _enrolled_with_debit(client, feed, auth)
    await cut(client, auth("billing_tech"), RUN_ON)
    await feed.send("accounts.AccountChanged", f"account:{a.id}", {"account": {
        "id": a.id, "number": a.number, "customer_id": a.customer_id, "status": "active",
        "cash_only": True}})
    await feed.drain()
    out = await cut(client, auth("billing_tech"), RUN_ON + timedelta(days=20))
    assert out["file"] is None
    assert [(d["account_id"], d["drop_reason"]) for d in out["dropped"]] == [(a.id, "cash_only")]
    assert await posted_events(bound) == []
