"""The end-of-day report: the day's payments by channel, tender, drawer and batch, the
deposits, and the tie-out against billing's ledger as payments has heard it (matched, missing
while the ledger has not been heard to have it, differences), to the cent."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from kernel.clock import utility_today
from tests.payments.deposits_helpers import close, mail_batch, open_drawer, prepare, take
from tests.payments.helpers import make_account, pdf_text

COUNT = {"20": 6, "10": 1, "5": 1, "1": 3}  # 138.00 = float 100 + cash 38.00


@pytest.fixture
def tech(auth):
    return auth("billing_tech", "tina")


async def report(client, h, day=None) -> dict:
    r = await client.get("/api/payments/dayend",
                         params={"date": (day or utility_today()).isoformat()}, headers=h)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def a_day(client, feed, cashier, tech):
    """Counter: cash 25 + 13, a check 40.10, a card 12.34; mail: checks 61.40 and 18.60."""
    a, b = await make_account(feed), await make_account(feed)
    d = await open_drawer(client, cashier)
    await take(client, cashier, d, a.number, "25.00")
    await take(client, cashier, d, b.number, "13.00")
    await take(client, cashier, d, a.number, "40.10", "check", check_number="77",
               bank="Town Bank")
    await take(client, cashier, d, b.number, "12.34", "card",
               processor_token="tok_sandbox_visa_ok")
    await close(client, cashier, d, COUNT)
    batch = await mail_batch(client, tech, [(a.number, "61.40", "3001"),
                                            (b.number, "18.60", "3002")])
    return a, b, d, batch


def totals(rows: list[dict], key: str) -> dict[str, tuple[int, str]]:
    return {r[key]: (r["count"], r["total"]) for r in rows}


async def ledger_total(client, h, accounts, day) -> Decimal:
    """What billing's ledger (its own API) received as payments for the day."""
    total = Decimal("0.00")
    for a in accounts:
        led = (await client.get(f"/api/billing/ledger/accounts/{a.id}", headers=h)).json()
        total -= sum((Decimal(e["amount"]) for e in led["entries"]
                      if e["kind"] == "payment" and e["posted_on"] == day.isoformat()),
                     Decimal("0.00"))
    return total


async def test_totals_by_tender_equal_the_payments_and_billing_s_ledger_for_the_day(
        client, feed, cashier, tech, pump):
    a, b, d, batch = await a_day(client, feed, cashier, tech)
    await pump("payments", "billing")
    await pump("billing", "payments")  # billing's LedgerEntryPosted reach payments' copy
    day = utility_today()
    r = await report(client, tech, day)
    assert totals(r["by_tender"], "tender") == {
        "cash": (2, "38.00"), "check": (3, "120.10"), "card": (1, "12.34")}
    assert totals(r["by_channel"], "channel") == {"counter": (4, "90.44"),
                                                  "mail": (2, "80.00")}
    assert (r["totals"]["count"], r["totals"]["total"]) == (6, "170.44")
    by_tender_sum = sum((Decimal(t["total"]) for t in r["by_tender"]), Decimal(0))
    assert by_tender_sum == Decimal(r["totals"]["total"])
    settled = totals(r["by_settlement"], "settled_by")
    assert settled == {"deposit": (5, "158.10"), "processor": (1, "12.34")}
    tie = r["tie_out"]["payments"]
    assert tie["payments"] == tie["ledger"] == tie["matched"] == {"count": 6,
                                                                  "total": "170.44"}
    assert tie["missing"] == {"count": 0, "total": "0.00"} and tie["differences"] == []
    assert r["tie_out"]["balanced"] is True
    assert await ledger_total(client, tech, [a, b], day) == Decimal("170.44")
    [drawer] = r["drawers"]
    assert (drawer["id"], drawer["over_short"], drawer["total"]) == (d, "0.00", "90.44")
    assert totals(drawer["taken"], "tender") == {"cash": (2, "38.00"), "check": (1, "40.10"),
                                                 "card": (1, "12.34")}
    [bt] = r["batches"]
    assert (bt["id"], bt["count"], bt["total"], bt["status"]) == (batch["id"], 2, "80.00",
                                                                  "posted")


async def test_a_payment_the_ledger_has_not_heard_of_shows_missing_not_matched(
        client, feed, cashier, tech, pump):
    a = await make_account(feed)
    d = await open_drawer(client, cashier)
    heard = await take(client, cashier, d, a.number, "25.00")
    await pump("payments", "billing")
    await pump("billing", "payments")
    late = await take(client, cashier, d, a.number, "13.00")  # billing has not got it yet
    r = await report(client, tech)
    tie = r["tie_out"]["payments"]
    assert tie["matched"] == {"count": 1, "total": "25.00"}
    assert tie["missing"] == {"count": 1, "total": "13.00"}
    assert tie["ledger"] == {"count": 1, "total": "25.00"}
    [m] = tie["missing_items"]
    assert m["reference"] == late["id"] and m["amount"] == "13.00"
    assert m["waiting_seconds"] is not None and m["waiting_seconds"] >= 0
    assert str(late["receipt_number"]) in m["what"]
    assert heard["id"] not in [x["reference"] for x in tie["missing_items"]]
    assert r["tie_out"]["balanced"] is False
    # once the relay delivers it, the day ties out
    await pump("payments", "billing")
    await pump("billing", "payments")
    again = (await report(client, tech))["tie_out"]
    assert again["payments"]["matched"] == {"count": 2, "total": "38.00"}
    assert again["balanced"] is True


async def test_a_ledger_entry_for_another_amount_or_an_unknown_payment_is_a_difference(
        client, feed, cashier, tech):
    a = await make_account(feed)
    d = await open_drawer(client, cashier)
    p = await take(client, cashier, d, a.number, "25.00")
    day = utility_today().isoformat()
    stranger = str(uuid.uuid4())
    for ref, amount in ((p["id"], "-25.01"), (stranger, "-7.00")):
        await feed.send("billing.LedgerEntryPosted", f"account:{a.id}", {"entry": {
            "id": str(uuid.uuid4()), "account_id": a.id, "kind": "payment", "amount": amount,
            "posted_on": day, "reference": ref, "corrects": None}, "balance": "0.00"})
    await feed.drain()
    tie = (await report(client, tech))["tie_out"]["payments"]
    assert tie["matched"]["count"] == 0 and tie["missing"]["count"] == 0
    diffs = {x["reference"]: x for x in tie["differences"]}
    assert (diffs[p["id"]]["kind"], diffs[p["id"]]["payments_amount"],
            diffs[p["id"]]["ledger_amount"]) == ("amount", "25.00", "25.01")
    assert diffs[stranger]["kind"] == "unknown_payment"
    assert tie["differences_count"] == 2 and tie["balanced"] is False


async def test_the_day_s_deposit_ties_to_counter_and_mail_takings_plus_over_short(
        client, feed, cashier, tech):
    a = await make_account(feed)
    d = await open_drawer(client, cashier)
    await take(client, cashier, d, a.number, "38.00")
    await take(client, cashier, d, a.number, "40.10", "check", check_number="77",
               bank="Town Bank")
    await close(client, cashier, d, {**COUNT, "1": 4})  # one dollar over
    batch = await mail_batch(client, tech, [(a.number, "61.40", "3001")])
    before = (await report(client, tech))["bank_deposit"]
    assert before["balanced"] is False and len(before["not_deposited"]) == 2
    dep = await prepare(client, tech, [d], [batch["id"]])
    assert dep.status_code == 201, dep.text
    r = await report(client, tech)
    bd = r["bank_deposit"]
    assert (bd["to_deposit"], bd["over_short"], bd["expected"], bd["deposited"]) == (
        "139.50", "1.00", "140.50", "140.50")
    assert bd["balanced"] is True and bd["not_deposited"] == []
    [listed] = r["deposits"]
    assert (listed["number"], listed["total"]) == (dep.json()["number"], "140.50")
    assert r["drawers"][0]["deposit_number"] == dep.json()["number"]


async def test_the_report_prints_as_pdf_and_csv_with_the_same_totals(
        client, feed, cashier, tech, pump):
    await a_day(client, feed, cashier, tech)
    await pump("payments", "billing")
    await pump("billing", "payments")
    day = utility_today().isoformat()
    pdf = await client.get("/api/payments/dayend.pdf", params={"date": day}, headers=tech)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    txt = pdf_text(pdf.content)
    for shown in (f"End-of-day report {day}", "170.44", "120.10", "38.00", "12.34",
                  "balanced"):
        assert shown in txt, shown
    csv = await client.get("/api/payments/dayend.csv", params={"date": day}, headers=tech)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert "totals,all payments,6,170.44" in lines
    assert "tender,check,3,120.10" in lines
    assert "tie-out payments,matched,6,170.44" in lines


async def test_an_empty_day_is_balanced_and_a_bad_date_is_a_problem(client, tech, auth):
    r = await report(client, tech, utility_today().replace(year=2001))
    assert r["totals"] == {"count": 0, "total": "0.00"} and r["tie_out"]["balanced"] is True
    bad = await client.get("/api/payments/dayend", params={"date": "2026-13-01"}, headers=tech)
    assert bad.status_code == 422
    field = await client.get("/api/payments/dayend", headers=auth("field_tech"))
    assert field.status_code == 403


async def test_a_returned_check_ties_to_billing_s_reversal_and_is_listed_with_the_day(
        client, feed, cashier, tech, pump):
    a = await make_account(feed)
    d = await open_drawer(client, cashier)
    check = await take(client, cashier, d, a.number, "40.10", "check", check_number="77",
                       bank="Town Bank")
    r = await client.post("/api/payments/returns", headers={**tech, "Idempotency-Key": "r1"},
                          json={"payment_id": check["id"], "return_code": "NSF",
                                "returned_on": utility_today().isoformat()})
    assert r.status_code == 201, r.text
    before = await report(client, tech)
    assert before["tie_out"]["returns"]["missing"] == {"count": 1, "total": "40.10"}
    assert [(x["amount"], x["in_ledger"]) for x in before["returns"]] == [("40.10", False)]
    await pump("payments", "billing")
    await pump("billing", "payments")
    after = await report(client, tech)
    tie = after["tie_out"]["returns"]
    assert tie["payments"] == tie["ledger"] == tie["matched"] == {"count": 1, "total": "40.10"}
    assert after["returns"][0]["in_ledger"] is True and after["tie_out"]["balanced"] is True
