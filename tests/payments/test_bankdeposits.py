"""Bank deposits: the cash of closed drawers less their floats, by denomination, and the checks
of those drawers and of posted mail batches, item by item; each drawer and batch deposited
once; signed off by a supervisor who did not prepare it; confirmed with the bank's reference;
printed as a slip."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from kernel.auth import Principal
from kernel.clock import utility_today
from kernel.errors import Conflict
from kernel.settings import get_settings
from services.payments.bankdeposits import service as deposits
from services.payments.bankdeposits.schemas import DepositIn
from services.payments.counter import service as counter
from services.payments.posting.schemas import PaymentIn
from tests.events.helpers import database
from tests.payments.deposits_helpers import close, mail_batch, open_drawer, prepare, take
from tests.payments.helpers import make_account, new_number, pdf_text, table_count

PROBLEM = "application/problem+json"
COUNT = {"50": 1, "20": 5, "10": 2, "5": 2, "1": 6, "0.25": 5}  # 187.25


@pytest.fixture
def tech(auth):
    return auth("billing_tech", "tina")


@pytest.fixture
def sue(auth):
    return auth("supervisor", "sue")


async def a_days_drawer(client, feed, cashier) -> tuple[str, list]:
    """Float 100; cash 50 + 37.25, a check 120, a money order 15, a card 9.99; counted exact."""
    a, b = await make_account(feed), await make_account(feed)
    d = await open_drawer(client, cashier)
    took = [await take(client, cashier, d, a.number, "50.00"),
            await take(client, cashier, d, b.number, "37.25"),
            await take(client, cashier, d, a.number, "120.00", "check", check_number="1042",
                       bank="First Valley Bank"),
            await take(client, cashier, d, b.number, "15.00", "money_order",
                       money_order_number="MO-77812"),
            await take(client, cashier, d, b.number, "9.99", "card",
                       processor_token="tok_sandbox_visa_ok")]
    closed = await close(client, cashier, d, COUNT)
    assert closed["over_short"] == "0.00"
    return d, took


async def test_cash_deposited_is_counted_less_the_float_by_denomination_with_checks_listed(
        client, feed, cashier, tech):
    d, took = await a_days_drawer(client, feed, cashier)
    r = await prepare(client, tech, [d])
    assert r.status_code == 201, r.text
    dep = r.json()
    assert dep["cash_total"] == "87.25"  # 187.25 counted - 100.00 float
    assert {c["denomination"]: c["pieces"] for c in dep["cash"]} == {
        "50": 1, "20": 1, "10": 1, "5": 1, "1": 2, "0.25": 1}
    assert dep["drawers"][0]["float_kept"] == "100.00"
    assert [(c["tender"], c["number"], c["bank"], c["amount"], c["account_number"])
            for c in dep["checks"]] == [
        ("check", "1042", "First Valley Bank", "120.00", took[2]["account_number"]),
        ("money_order", "MO-77812", None, "15.00", took[3]["account_number"])]
    # the card settles through the processor: not in the bag
    assert (dep["checks_count"], dep["checks_total"], dep["total"]) == (2, "135.00", "222.25")
    assert (dep["status"], dep["prepared_by"]) == ("prepared", "tina")


async def test_a_drawer_cannot_be_deposited_twice_and_a_retry_returns_the_first_deposit(
        client, feed, cashier, tech, bound):
    d, _ = await a_days_drawer(client, feed, cashier)
    first = await prepare(client, tech, [d], k="dep-1")
    assert first.status_code == 201, first.text
    retry = await prepare(client, tech, [d], k="dep-1")
    assert retry.status_code == 201 and retry.json()["id"] == first.json()["id"]
    again = await prepare(client, tech, [d], k="dep-2")
    assert again.status_code == 409 and again.headers["content-type"] == PROBLEM
    assert str(first.json()["number"]) in again.json()["detail"]
    assert await table_count(bound, "bank_deposits") == 1
    ready = (await client.get("/api/payments/bank-deposits/ready", headers=tech)).json()
    assert d not in [x["id"] for x in ready]


async def test_an_open_drawer_or_an_unposted_batch_is_refused_and_nothing_is_written(
        client, feed, cashier, tech, bound):
    a = await make_account(feed)
    d = await open_drawer(client, cashier)
    await take(client, cashier, d, a.number, "20.00")
    r = await prepare(client, tech, [d])
    assert r.status_code == 409 and r.headers["content-type"] == PROBLEM
    assert "close it" in r.json()["detail"]
    batch = await mail_batch(client, tech, [(a.number, "30.00", "501")], post=False)
    r = await prepare(client, tech, [], [batch["id"]])
    assert r.status_code == 409 and "not posted" in r.json()["detail"]
    assert await table_count(bound, "bank_deposits") == 0
    assert await table_count(bound, "bank_deposit_sources") == 0
    missing = await prepare(client, tech, ["00000000-0000-4000-8000-000000000000"])
    assert missing.status_code == 404
    nothing = await prepare(client, tech, [])
    assert nothing.status_code == 422


async def test_a_count_that_cannot_leave_the_float_is_refused_until_the_preparer_says_what_stays(
        client, feed, cashier, tech, bound):
    a = await make_account(feed)
    d = await open_drawer(client, cashier, "105.00")
    await take(client, cashier, d, a.number, "15.00")
    await close(client, cashier, d, {"20": 6})  # 120.00: exact, but 105.00 cannot stay
    refused = await prepare(client, tech, [d])
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "kept"
    assert await table_count(bound, "bank_deposits") == 0
    r = await client.post("/api/payments/bank-deposits", headers={**tech, "Idempotency-Key": "k"},
                          json={"drawer_ids": [d], "kept": {d: {"20": 5}}})
    assert r.status_code == 201, r.text
    dep = r.json()
    assert (dep["cash_total"], dep["drawers"][0]["float_kept"]) == ("20.00", "100.00")
    assert dep["drawers"][0]["kept_counts"] == {"20": 5}


async def test_a_posted_batch_is_deposited_check_by_check(client, feed, tech):
    a, b = await make_account(feed), await make_account(feed)
    batch = await mail_batch(client, tech, [(a.number, "61.40", "3001"),
                                            (b.number, "18.60", "3002")])
    r = await prepare(client, tech, [], [batch["id"]])
    assert r.status_code == 201, r.text
    dep = r.json()
    assert (dep["cash_total"], dep["checks_total"], dep["total"]) == ("0.00", "80.00", "80.00")
    assert [(c["number"], c["amount"], c["account_number"]) for c in dep["checks"]] == [
        ("3001", "61.40", a.number), ("3002", "18.60", b.number)]
    assert dep["batches"][0]["id"] == batch["id"]


async def test_the_preparer_cannot_sign_off_and_a_deposit_waits_for_its_drawers_sign_off(
        client, feed, cashier, sup, sue):
    d, _ = await a_days_drawer(client, feed, cashier)
    dep = (await prepare(client, sup, [d])).json()
    url = f"/api/payments/bank-deposits/{dep['id']}"
    own = await client.post(f"{url}/sign-off", headers=sup, json={})
    assert own.status_code == 403 and own.headers["content-type"] == PROBLEM
    early = await client.post(f"{url}/sign-off", headers=sue, json={})
    assert early.status_code == 409 and d in early.json()["detail"]
    not_yet = await client.post(f"{url}/confirm", headers=sue, json={
        "bank_reference": "DEP-1", "deposited_on": utility_today().isoformat()})
    assert not_yet.status_code == 409
    drawer = await client.post(f"/api/payments/drawers/{d}/sign-off", headers=sue, json={})
    assert drawer.status_code == 200, drawer.text
    ok = await client.post(f"{url}/sign-off", headers=sue, json={"note": "bag sealed"})
    assert ok.status_code == 200, ok.text
    assert (ok.json()["status"], ok.json()["signed_off_by"]) == ("signed_off", "sue")
    twice = await client.post(f"{url}/sign-off", headers=sue, json={})
    assert twice.status_code == 409
    done = await client.post(f"{url}/confirm", headers=cashier, json={
        "bank_reference": "DEP-88412", "deposited_on": utility_today().isoformat()})
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["bank_reference"]) == ("deposited", "DEP-88412")
    other = await client.post(f"{url}/confirm", headers=cashier, json={
        "bank_reference": "DEP-99999", "deposited_on": utility_today().isoformat()})
    assert other.status_code == 409


async def test_a_cashier_cannot_sign_off_a_deposit(client, feed, cashier, tech):
    d, _ = await a_days_drawer(client, feed, cashier)
    dep = (await prepare(client, tech, [d])).json()
    r = await client.post(f"/api/payments/bank-deposits/{dep['id']}/sign-off", headers=cashier,
                          json={})
    assert r.status_code == 403


async def test_the_slip_prints_the_masked_account_cash_by_denomination_checks_and_totals(
        client, feed, cashier, tech, monkeypatch):
    monkeypatch.setattr(get_settings(), "deposit_account_number", SecretStr("000123456789"))
    d, _ = await a_days_drawer(client, feed, cashier)
    dep = (await prepare(client, tech, [d])).json()
    r = await client.get(f"/api/payments/bank-deposits/{dep['id']}/slip.pdf", headers=tech)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r.headers["content-type"] == "application/pdf"
    txt = pdf_text(r.content)
    for shown in (f"Deposit slip no. {dep['number']}", "****6789", "$87.25", "$135.00",
                  "$222.25", "Total checks \\(2\\)", "1042", "MO-77812", "First Valley Bank",
                  "x 1"):
        assert shown in txt, shown
    assert "000123456789" not in txt and "123456789" not in txt


async def test_two_concurrent_preparations_of_one_drawer_one_wins_the_other_is_409(
        fresh_database):
    """Real commits on a database of its own: both requests read the drawer as closed and
    undeposited; the second waits for the first's claim and is refused when it commits."""
    db = database(fresh_database, "payments")
    cashier = Principal("carla", "csr1")
    today = utility_today()
    try:
        async with db.session() as s:
            number = new_number()
            await s.execute(text("INSERT INTO accounts (id, number, name, status) VALUES "
                                 "(gen_random_uuid(), :n, 'Race', 'active')"), {"n": number})
            d = await counter.open_drawer(s, cashier, Decimal("50"), today)
            await counter.take_payment(s, cashier, d.id, PaymentIn(
                account_number=number, amount="30.00", tender="cash"), "k1", today)
            await counter.close_drawer(s, cashier, d.id, {"20": 3, "10": 2})
            await s.commit()

        async def one(who: str) -> str:
            async with db.session() as s:
                try:
                    out = await deposits.prepare(s, Principal(who, "billing_tech"),
                                                 DepositIn(drawer_ids=[d.id]), f"{who}-k", today)
                    await asyncio.sleep(0.2)  # hold the claim while the other one tries
                    await s.commit()
                    return f"won {out.number}"
                except Conflict:
                    await s.rollback()
                    return "409"

        results = await asyncio.gather(one("tina"), one("toni"))
        assert sorted(r[:3] for r in results) == ["409", "won"], results
        async with db.session() as s:
            rows = (await s.execute(text(
                "SELECT (SELECT count(*) FROM bank_deposits), "
                "(SELECT count(*) FROM bank_deposit_sources), "
                "(SELECT sum(cash_total) FROM bank_deposits)"))).one()
        assert (rows[0], rows[1], str(rows[2])) == (1, 1, "30.00")
    finally:
        await db.dispose()
