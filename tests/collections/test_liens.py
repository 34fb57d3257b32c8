"""Tax-roll liens: the list holds only owners' delinquent parcels (at least 100.00 past due,
some of it 90 days), totals to the cent, goes to the county only after the owners' notices,
and a paid lien is released with a notice."""

from __future__ import annotations

import csv
import io

from tests.collections.closed_helpers import events, notices_of, owner_account, pay
from tests.payments.helpers import pdf_text


async def _district(feed):
    """Owners and a tenant, delinquent or not; the list is noticed on 2026-06-01."""
    owner1 = await owner_account(feed, apn="001-010-001", name="Ana Owner", bills=(
        ("123.45", "2026-01-15"), ("67.89", "2026-02-15"), ("55.00", "2026-05-20"),
        ("40.00", "2026-06-10")))
    await pay(feed, owner1, "10.00", "2026-03-01", balance="276.34")
    owner2 = await owner_account(feed, apn="001-002-003", name="Ben Owner",
                                 bills=(("150.00", "2026-02-01"),))
    owner3 = await owner_account(feed, apn="001-002-004", name="Cy Owner",
                                 bills=(("1234.56", "2026-02-01"),))
    tenant = await owner_account(feed, apn="001-003-004", owner=False,
                                 bills=(("500.00", "2026-01-01"),))
    small = await owner_account(feed, apn="001-004-005", bills=(("99.99", "2026-01-01"),))
    recent = await owner_account(feed, apn="001-005-006", bills=(("300.00", "2026-04-01"),))
    # 130.00 is past due, but what is 90 days old was paid (credits pay the oldest first)
    cured = await owner_account(feed, apn="001-006-007", bills=(
        ("120.00", "2026-01-01"), ("130.00", "2026-05-01")))
    await pay(feed, cured, "120.00", "2026-02-01", balance="130.00")
    return owner1, owner2, owner3, (tenant, small, recent, cured)


async def test_the_tax_roll_list_holds_only_owners_delinquent_parcels_totals_to_the_cent(
        client, feed, bound, csr, sup):
    owner1, owner2, owner3, _ = await _district(feed)
    c = await client.get("/api/collections/liens/candidates",
                         params={"today": "2026-06-01"}, headers=csr)
    assert c.status_code == 200, c.text
    assert [(x["apn"], x["owner_name"], x["amount"]) for x in c.json()["candidates"]] == [
        ("001-002-003", "Ben Owner", "150.00"), ("001-002-004", "Cy Owner", "1234.56"),
        ("001-010-001", "Ana Owner", "236.34")]
    assert c.json()["total"] == "1620.90"
    aging = await client.get(f"/api/collections/accounts/{owner1.id}/aging",
                             params={"today": "2026-06-01"}, headers=csr)
    assert aging.json()["past_due"] == "236.34"  # aging's rule, the same figure

    n = await client.post("/api/collections/liens/notices",
                          json={"today": "2026-06-01", "tax_year": 2026}, headers=csr)
    assert n.status_code == 201, n.text
    assert (n.json()["noticed"], n.json()["total"], n.json()["list_on_or_after"]) == (
        3, "1620.90", "2026-07-01")
    assert await notices_of(bound, owner1.id) == [("lien_notice", "236.34", "2026-07-01")]
    again = await client.post("/api/collections/liens/notices",
                              json={"today": "2026-06-02", "tax_year": 2026}, headers=csr)
    assert again.json()["noticed"] == 0

    early = await client.post("/api/collections/liens/lists",
                              json={"today": "2026-06-30", "tax_year": 2026}, headers=sup)
    assert early.status_code == 422  # 29 days after the notices
    by_csr = await client.post("/api/collections/liens/lists",
                               json={"today": "2026-07-01", "tax_year": 2026}, headers=csr)
    assert by_csr.status_code == 403
    await pay(feed, owner2, "50.00", "2026-06-15", balance="100.00")
    await pay(feed, owner3, "1234.56", "2026-06-20")
    r = await client.post("/api/collections/liens/lists",
                          json={"today": "2026-07-01", "tax_year": 2026}, headers=sup)
    assert r.status_code == 201, r.text
    lst = r.json()
    assert (lst["parcels"], lst["total"], lst["certified_by"]) == (2, "336.34", "sam")

    f = await client.get(f"/api/collections/liens/lists/{lst['list_id']}.csv", headers=csr)
    rows = list(csv.reader(io.StringIO(f.text)))
    assert rows[0] == ["apn", "account_number", "owner_name", "service_address", "amount",
                       "tax_year"]
    assert [(x[0], x[1], x[4]) for x in rows[1:]] == [
        ("001-002-003", owner2.number, "100.00"), ("001-010-001", owner1.number, "236.34"),
        ("TOTAL", "2 parcels", "336.34")]
    pdf = await client.get(f"/api/collections/liens/lists/{lst['list_id']}.pdf", headers=csr)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text_ = pdf_text(pdf.content)
    assert "001-010-001" in text_ and "336.34" in text_ and "certify" in text_

    statuses = await client.get("/api/collections/liens",
                                params={"tax_year": 2026, "today": "2026-07-01"}, headers=csr)
    assert sorted((x["apn"], x["status"]) for x in statuses.json()) == [
        ("001-002-003", "listed"), ("001-002-004", "cancelled"), ("001-010-001", "listed")]


async def test_a_paid_lien_is_released_with_a_notice(client, feed, bound, csr, sup):
    owner1, owner2, _, _ = await _district(feed)
    await client.post("/api/collections/liens/notices",
                      json={"today": "2026-06-01", "tax_year": 2026}, headers=csr)
    lst = (await client.post("/api/collections/liens/lists",
                             json={"today": "2026-07-01", "tax_year": 2026},
                             headers=sup)).json()
    rec = await client.post(f"/api/collections/liens/lists/{lst['list_id']}/recorded",
                            json={"recorded_on": "2026-08-10", "document_number": "2026-0815"},
                            headers=csr)
    assert rec.status_code == 200 and rec.json()["recorded"] == 3, rec.text
    assert sorted(e["apn"] for e in await events(bound, "collections.LienRecorded")) == [
        "001-002-003", "001-002-004", "001-010-001"]

    # What the lien covers (due before the notice) is paid; the June bill is not the lien's.
    await pay(feed, owner1, "236.34", "2026-09-01", balance="40.00")
    await pay(feed, owner2, "149.99", "2026-09-01", balance="0.01")
    r = await client.post("/api/collections/liens/releases", json={"today": "2026-09-02"},
                          headers=csr)
    assert r.status_code == 200, r.text
    assert (r.json()["released"], r.json()["total"]) == (1, "236.34")
    assert [(e["account_id"], e["apn"], e["amount"], e["released_on"]) for e in
            await events(bound, "collections.LienReleased")] == [
        (owner1.id, "001-010-001", "236.34", "2026-09-02")]
    assert ("lien_release", "236.34", "2026-09-02") in await notices_of(bound, owner1.id)
    liens = {x["apn"]: x for x in (await client.get(
        "/api/collections/liens", params={"tax_year": 2026, "today": "2026-09-02"},
        headers=csr)).json()}
    assert (liens["001-010-001"]["status"], liens["001-010-001"]["released_on"]) == (
        "released", "2026-09-02")
    assert (liens["001-002-003"]["status"], liens["001-002-003"]["owed"]) == ("recorded",
                                                                              "0.01")
    again = await client.post("/api/collections/liens/releases", json={"today": "2026-09-02"},
                              headers=csr)
    assert again.json()["released"] == 0


async def test_the_list_waits_for_a_payment_billing_announced_but_collections_has_not_received(
        client, feed, csr, sup):
    owner1, _, _, _ = await _district(feed)
    await client.post("/api/collections/liens/notices",
                      json={"today": "2026-06-01", "tax_year": 2026}, headers=csr)
    # billing's BillIssued for the June bill says the balance is 0.00: a payment is on its way
    await feed.send("billing.BillIssued", f"account:{owner1.id}", {
        "bill": {"id": "00000000-0000-0000-0000-00000000c001", "account_id": owner1.id,
                 "bill_date": "2026-06-20", "due_date": "2026-07-10", "total": "0.00",
                 "replaces": None, "segments": []}, "balance": "0.00",
        "budget_deferral": None})
    await feed.drain()
    r = await client.post("/api/collections/liens/lists",
                          json={"today": "2026-07-01", "tax_year": 2026}, headers=sup)
    assert r.status_code == 409 and r.json()["accounts"] == [owner1.number], r.text
    await pay(feed, owner1, "276.34", "2026-06-25", balance="0.00")
    r = await client.post("/api/collections/liens/lists",
                          json={"today": "2026-07-01", "tax_year": 2026}, headers=sup)
    assert r.status_code == 201 and r.json()["parcels"] == 2, r.text
