"""Account 360's bill history and appeals list: what a CSR sees of an account's bills."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.billing.bills.domain import months_before
from tests.billing.helpers import billed_run, make_site, read


def test_the_default_history_starts_on_the_first_of_the_month_two_years_back():
    assert months_before(date(2026, 11, 28), 24) == date(2024, 11, 1)
    assert months_before(date(2026, 1, 31), 1) == date(2025, 12, 1)
    assert months_before(date(2026, 3, 1), 0) == date(2026, 3, 1)


async def _bills(client, headers, account_id: str, since: str):
    r = await client.get(f"/api/billing/bills/accounts/{account_id}", params={"since": since},
                         headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_issued_bills_come_newest_first_with_their_water_use_and_never_a_draft(
        client, feed, rates, tech, sup, auth):
    s = await make_site(feed, sewer=False)
    other = await make_site(feed, sewer=False)
    await read(client, tech, s, "10")
    await read(client, tech, other, "7")
    await billed_run(client, tech, sup, auth("supervisor", "pat"))
    await read(client, tech, s, "22", on="2026-02-28")
    await billed_run(client, tech, sup, auth("supervisor", "pat"), start="2026-02-01",
                     end="2026-02-28", bill_date="2026-03-02")
    await read(client, tech, s, "25", on="2026-03-31")
    draft = await client.post("/api/billing/runs", headers=tech, json={
        "cycle": "C1", "period_start": "2026-03-01", "period_end": "2026-03-31",
        "bill_date": "2026-04-02"})
    assert draft.status_code == 201, draft.text
    csr = auth("csr1", "casey")

    bills = await _bills(client, csr, s.account_id, "2025-01-01")
    assert [(b["period_end"], Decimal(b["water_use"]), b["status"]) for b in bills] == [
        ("2026-02-28", Decimal(12), "final"), ("2026-01-31", Decimal(10), "final")]
    assert bills[1]["total"] == "50.00"  # 20.00 fixed + 10 x 3.00
    assert [b["period_end"] for b in await _bills(client, csr, s.account_id, "2026-02-01")] \
        == ["2026-02-28"]
    theirs = await _bills(client, csr, other.account_id, "2025-01-01")
    oldest = theirs[-1]
    assert (oldest["period_end"], Decimal(oldest["water_use"])) == ("2026-01-31", Decimal(7))
    assert not {b["id"] for b in theirs} & {b["id"] for b in bills}


async def test_an_accounts_appeals_are_listed_for_staff_who_work_appeals_only(
        client, feed, rates, tech, sup, auth):
    s = await make_site(feed, sewer=False)
    other = await make_site(feed, sewer=False)
    await read(client, tech, s, "10")
    await billed_run(client, tech, sup, auth("supervisor", "pat"))
    bill = (await _bills(client, tech, s.account_id, "2025-01-01"))[0]["id"]
    opened = await client.post("/api/billing/appeals", headers=tech,
                               json={"bill_id": bill, "complaint": "leak under the slab"})
    assert opened.status_code == 201, opened.text

    mine = await client.get("/api/billing/appeals", params={"account_id": s.account_id},
                            headers=auth("csr2", "cruz"))
    assert [(a["id"], a["status"], a["bill_id"]) for a in mine.json()] == [
        (opened.json()["id"], "open", bill)]
    theirs = await client.get("/api/billing/appeals", params={"account_id": other.account_id},
                              headers=tech)
    assert theirs.json() == []
    csr1 = await client.get("/api/billing/appeals", params={"account_id": s.account_id},
                            headers=auth("csr1", "casey"))
    assert csr1.status_code == 403  # a CSR I does not work appeals (the screen hides them)
