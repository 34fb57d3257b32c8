"""The stub's scanline goes round the bank: printed in OCR-A on the statement, read back from
the PDF's text, carried by the lockbox file, parsed by payments' lockbox import, and the check
posts to the account the statement was for, for the amount the scanline says is due."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kernel.checkdigit import printed
from services.billing.bills.statement_scanline import scanline
from services.payments.lockbox import csvlayout, fixedwidth
from services.payments.lockbox import scanline as lockbox_scanline
from services.payments.lockbox.reader import read_lockbox
from tests.billing import statement_district as demo
from tests.billing.test_statement import URL, pdf_pages
from tests.payments.helpers import Feeder as PaymentsFeeder

SCANLINE = re.compile(r"^(\d{9} \d{10} \d)$", re.M)


@pytest.fixture
def sup2(auth):
    return auth("supervisor", "sue")


async def scanline_of(client, who, bill_id: str) -> str:
    r = await client.get(f"{URL}/{bill_id}.pdf", headers=who)
    assert r.status_code == 200
    found = [m for page in pdf_pages(r.content) for m in SCANLINE.findall(page)]
    assert len(found) == 1, found
    return found[0]


async def payments_know(bound, service_apps, people: list[demo.Customer]) -> None:
    """Payments' copy of the accounts (as accounts' events would give it)."""
    f = PaymentsFeeder(bound, service_apps)
    for c in people:
        await f.send("accounts.AccountChanged", f"account:{c.account_id}", {"account": {
            "id": c.account_id, "number": c.number, "customer_id": c.account_id,
            "status": "active"}})
    await f.drain()


def fixed_file(lines: list[tuple[str, Decimal]]) -> bytes:
    """A bank's fixed-width file whose details carry no keyed account, only the scanline."""
    items = [(i + 1, amount, "", "", "", f"{700 + i}") for i, (_, amount) in enumerate(lines)]
    out = []
    for rec in fixedwidth.render_lines(destination="TAPLINE01", origin="121000248",
                                       created=date(2026, 2, 10), created_time="0615",
                                       file_id="LBX-SCAN-1",
                                       batches=[(1, "0042117", date(2026, 2, 10), items)]):
        out.append(rec)
        if rec[0] == "6":
            item = int(rec[5:10])
            out.append(lockbox_scanline.record(1, item, lines[item - 1][0]))
    return ("\n".join(out) + "\n").encode()


async def ledger_payments(client, who, account_id: str) -> list[str]:
    led = (await client.get(f"/api/billing/ledger/accounts/{account_id}", headers=who)).json()
    return [e["amount"] for e in led["entries"] if e["kind"] == "payment"]


async def test_scanlines_read_from_statements_post_each_check_to_its_account(
        client, feed, service_apps, bound, tech, sup, sup2, pump, auth):
    d = await demo.build(client, feed, service_apps, bound, tech, sup, sup2, months=1)
    people = [d.res, d.mfr, d.com]
    await payments_know(bound, service_apps, people)
    read = [(await scanline_of(client, tech, c.bills[-1]), c) for c in people]
    for text, c in read:
        got = lockbox_scanline.read(text)
        assert got is not None and got.account == c.number
    lines = [(text, lockbox_scanline.read(text).amount_due) for text, _ in read]  # type: ignore[union-attr]
    cashier = auth("csr1", "carla")
    r = await client.post("/api/payments/lockbox/imports", headers=cashier,
                          files={"file": ("lockbox.txt", fixed_file(lines), "text/plain")})
    assert r.status_code == 201, r.text
    assert (r.json()["posted_count"], r.json()["suspense_count"]) == (3, 0)
    await pump("payments", "billing")
    for (_, amount), (_, c) in zip(lines, read, strict=True):
        assert amount > 0
        assert await ledger_payments(client, tech, c.account_id) == [f"{-amount:.2f}"]
        led = (await client.get(f"/api/billing/ledger/accounts/{c.account_id}",
                                headers=tech)).json()
        assert Decimal(led["balance"]) == 0  # the amount due, paid in full


async def test_a_misread_scanline_waits_in_suspense_instead_of_posting_elsewhere(
        client, feed, service_apps, bound, tech, sup, sup2, auth):
    d = await demo.build(client, feed, service_apps, bound, tech, sup, sup2, months=1)
    await payments_know(bound, service_apps, [d.res])
    text = await scanline_of(client, tech, d.res.bills[-1])
    misread = text[:3] + str((int(text[3]) + 1) % 10) + text[4:]  # one digit of the account
    assert lockbox_scanline.read(misread) is None
    r = await client.post("/api/payments/lockbox/imports", headers=auth("csr1", "carla"),
                          files={"file": ("lb.txt", fixed_file([(misread, Decimal("10.00"))]),
                                          "text/plain")})
    assert r.status_code == 201, r.text
    assert (r.json()["posted_count"], r.json()["suspense_count"]) == (0, 1)


def test_the_csv_layout_takes_the_scanline_in_its_own_column():
    line = scanline("100027457", Decimal("123.45"))
    body = "\n".join(csvlayout.render_lines(
        destination="T", origin="1", created=date(2026, 2, 10), file_id="F",
        batches=[(1, "L", date(2026, 2, 10), [(1, Decimal("123.45"), "", "", "", "9")])]))
    parsed = csvlayout.parse(enumerate(_fix(body.splitlines(), line), 1), b"k")
    assert not parsed.malformed.count
    assert [r.account_as_read for r in parsed.remittances] == [printed("100027457")]


def _fix(lines: list[str], scan: str) -> list[str]:
    """The bank's CSV with a `scanline` column: filled on the D row, blank on the others."""
    return [lines[0] + ",scanline"] + [
        x + ("," + scan if x.startswith("D,") else ",") for x in lines[1:]]


def test_the_documented_scanline_example_reads_as_documented():
    doc = (Path(__file__).parents[2] / "docs" / "lockbox.md").read_text()
    example = re.search(r"scanline supplies `73000001-5`\):\n\n((?:    .*\n)+)", doc)
    assert example is not None
    text = "".join(line[4:] + "\n" for line in example.group(1).splitlines())
    got = read_lockbox(text.encode(), secret=b"k")
    assert [(r.account_as_read, r.amount) for r in got.remittances] == [
        ("73000001-5", Decimal("140.47"))]


def test_the_scanline_holds_account_amount_and_a_check_digit_over_both():
    line = scanline("10002745-7", Decimal("1234.56"))
    assert line == "100027457 0000123456 " + line[-1] and len(line) == 22
    got = lockbox_scanline.read(line)
    assert got is not None and (got.account, got.amount_due) == ("100027457", Decimal("1234.56"))
    for i in (0, 12, 21):  # any single misread digit is caught
        bad = line[:i] + str((int(line[i]) + 5) % 10) + line[i + 1:]
        assert lockbox_scanline.read(bad) is None
    assert scanline("100027457", Decimal("-20.00")).split()[1] == "0000000000"  # a credit
