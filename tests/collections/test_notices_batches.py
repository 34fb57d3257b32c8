"""Print batches: a supervisor who did not create a batch approves it, only then is it released
to the print vendor (one merged PDF, a CSV manifest), and each notice is announced once."""

from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile
from datetime import date, timedelta

import pypdfium2 as pdfium
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.collections.notices import printzip, service
from tests.collections.notices_helpers import PREMISE, account, notices_of, queue, shutoff
from tests.payments.helpers import pdf_text

TODAY = date(2026, 5, 1)


async def _batch(client, h, today=TODAY):
    r = await client.post("/api/collections/notices/batches", json={"today": str(today)},
                          headers=h)
    assert r.status_code == 201, r.text
    return r.json()


async def _released_events(bound):
    return [r.payload for r in (await bound["collections"].execute(text(
        "SELECT payload FROM outbox WHERE type = 'collections.NoticeReleased' "
        "ORDER BY key_seq, id"))).all()]


async def test_an_unapproved_batch_cannot_be_released(client, feed, bound, auth):
    tech = auth("billing_tech", "bea")
    a = await account(feed)
    await queue(bound, [shutoff(a)], TODAY)
    b = await _batch(client, tech)
    r = await client.post(f"/api/collections/notices/batches/{b['id']}/release",
                          json={"today": str(TODAY)}, headers=tech)
    assert r.status_code == 409, r.text
    assert (r.json()["code"], r.json()["rule"]) == ("notice-batch-not-approved",
                                                   "notices.approved_before_release")
    assert {n.status for n in await notices_of(bound, a)} == {"queued"}
    assert await _released_events(bound) == []
    pdf = await client.get(f"/api/collections/notices/batches/{b['id']}/print.pdf",
                           headers=tech)
    assert pdf.status_code == 409


async def test_the_supervisor_who_created_a_batch_cannot_approve_it(client, feed, bound, auth,
                                                                    sup):
    a = await account(feed)
    await queue(bound, [shutoff(a)], TODAY)
    b = await _batch(client, sup)
    own = await client.post(f"/api/collections/notices/batches/{b['id']}/approve",
                            headers=sup)
    assert own.status_code == 403 and own.json()["rule"] == "approval.not_own"
    csr = await client.post(f"/api/collections/notices/batches/{b['id']}/approve",
                            headers=auth("csr2", "carmen"))
    assert csr.status_code == 403
    other = await client.post(f"/api/collections/notices/batches/{b['id']}/approve",
                              headers=auth("supervisor", "sue"))
    assert other.status_code == 200, other.text
    assert (other.json()["status"], other.json()["approved_by"]) == ("approved", "sue")
    assert {n.status for n in await notices_of(bound, a)} == {"approved"}
    audit = (await bound["collections"].execute(text(
        "SELECT actor, approver FROM audit_log WHERE action = 'notices.batch_approved' "
        "AND entity_id = :b"), {"b": b["id"]})).one()
    assert tuple(audit) == ("sue", "sue")


async def test_a_released_batch_gives_each_notice_once_and_prints_them_all(client, feed, bound,
                                                                          auth, sup):
    tech = auth("billing_tech", "bea")
    mailed_elsewhere = await account(feed, name="Rosa Diaz", customer_language="es")
    at_home = await account(feed, name="Ann Lee", mailing=PREMISE)
    await queue(bound, [shutoff(mailed_elsewhere), shutoff(at_home)], TODAY)
    b = await _batch(client, tech)
    assert b["notices"] == 3  # Rosa, her Occupant copy, Ann
    await client.post(f"/api/collections/notices/batches/{b['id']}/approve", headers=sup)
    release_day = TODAY + timedelta(days=1)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    r = await client.post(f"/api/collections/notices/batches/{b['id']}/release",
                          json={"today": str(release_day)}, headers={**tech, **key})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["released_on"]) == ("released", str(release_day))
    again = await client.post(f"/api/collections/notices/batches/{b['id']}/release",
                              json={"today": str(release_day)}, headers={**tech, **key})
    assert again.status_code == 200 and again.json() == r.json()
    twice = await client.post(f"/api/collections/notices/batches/{b['id']}/release",
                              json={"today": str(release_day)}, headers=tech)
    assert twice.status_code == 409

    events = await _released_events(bound)
    assert len(events) == 3
    rosa = [e for e in events if e["account_id"] == mailed_elsewhere.id]
    assert sorted((e["addressee"], e["language"], e["amount"], e["action_on"],
                   e["released_on"]) for e in rosa) == [
        ("customer", "es", "182.40", "2026-05-20", str(release_day)),
        ("occupant", "es", "182.40", "2026-05-20", str(release_day))]
    async with AsyncSession(bind=bound["collections"]) as s:
        assert await service.given_on(s, uuid.UUID(at_home.id), ["shutoff_notice"]) == \
            release_day

    pdf = await client.get(f"/api/collections/notices/batches/{b['id']}/print.pdf",
                           headers=tech)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (await client.get(f"/api/collections/notices/batches/{b['id']}/print.pdf",
                             headers=tech)).content == pdf.content  # the same file again
    body = pdf_text(pdf.content)
    assert "Rosa Diaz" in body and "Ann Lee" in body and "OCUPANTE" in body
    manifest = await client.get(f"/api/collections/notices/batches/{b['id']}/manifest.csv",
                                headers=tech)
    rows = list(csv.DictReader(io.StringIO(manifest.text)))
    assert sorted((x["name"], x["addressee"], x["line1"]) for x in rows) == [
        ("Ann Lee", "customer", "12 Oak St"), ("OCUPANTE", "occupant", "12 Oak St"),
        ("Rosa Diaz", "customer", "PO Box 12")]
    assert [x["sequence"] for x in rows] == ["1", "2", "3"]
    printed = re.findall(r"Notice ([0-9a-f-]{36}) ", body)  # each page's footer
    assert list(dict.fromkeys(printed)) == [x["notice_id"] for x in rows]


async def test_nothing_queued_makes_no_batch_and_a_batch_takes_each_notice_once(
        client, feed, bound, auth):
    tech = auth("billing_tech", "bea")
    a = await account(feed, mailing=PREMISE)
    await queue(bound, [shutoff(a)], TODAY)
    first = await _batch(client, tech)
    r = await client.post("/api/collections/notices/batches", json={"today": str(TODAY)},
                          headers=tech)
    assert r.status_code == 409 and r.json()["code"] == "nothing-queued"
    assert first["notices"] == 1
    # a notice queued tomorrow waits for tomorrow's batch
    await queue(bound, [shutoff(a, kind="reminder")], TODAY + timedelta(days=1))
    r = await client.post("/api/collections/notices/batches", json={"today": str(TODAY)},
                          headers=tech)
    assert r.status_code == 409


async def test_the_supervisor_sees_the_batches_awaiting_approval(client, feed, bound, auth,
                                                                sup):
    tech = auth("billing_tech", "bea")
    landlord = await account(feed, premise_kind="multi_family", units=8, landlord=True)
    await queue(bound, [shutoff(landlord)], TODAY)
    b = await _batch(client, tech)
    other = await account(feed, mailing=PREMISE)
    await queue(bound, [shutoff(other, kind="first_notice")], TODAY)
    view = (await client.get("/api/collections/notices/awaiting-approval", headers=sup)).json()
    mine = [x for x in view["batches"] if x["id"] == b["id"]][0]
    assert sorted((k["addressee"], k["notices"]) for k in mine["by_kind"]) == [
        ("customer", 1), ("occupant", 1), ("tenant", 1)]
    assert {(k["kind"], k["notices"]) for k in view["unbatched"]} >= {("first_notice", 1)}
    await client.post(f"/api/collections/notices/batches/{b['id']}/approve", headers=sup)
    view = (await client.get("/api/collections/notices/awaiting-approval", headers=sup)).json()
    assert b["id"] not in [x["id"] for x in view["batches"]]


async def test_a_voided_shutoff_notice_takes_its_copies_with_it_and_is_not_printed(
        client, feed, bound, auth, sup):
    tech = auth("billing_tech", "bea")
    a = await account(feed, premise_kind="multi_family", units=4, landlord=True)
    keep = await account(feed, mailing=PREMISE)
    await queue(bound, [shutoff(a), shutoff(keep)], TODAY)
    customer = [n for n in await notices_of(bound, a) if n.addressee == "customer"][0]
    short = await client.post(f"/api/collections/notices/{customer.id}/void",
                              json={"reason": ""}, headers=tech)
    assert short.status_code == 422
    r = await client.post(f"/api/collections/notices/{customer.id}/void",
                          json={"reason": "paid at the counter"}, headers=tech)
    assert r.status_code == 200 and r.json()["voided"] == 3  # customer, occupant, tenants
    assert {(n.status, n.void_reason) for n in await notices_of(bound, a)} == {
        ("void", "paid at the counter")}
    audit = (await bound["collections"].execute(text(
        "SELECT actor, reason FROM audit_log WHERE action = 'notices.voided' "
        "AND entity_id = :n"), {"n": str(customer.id)})).one()
    assert tuple(audit) == ("bea", "paid at the counter")
    b = await _batch(client, tech)
    assert b["notices"] == 1
    await client.post(f"/api/collections/notices/batches/{b['id']}/approve", headers=sup)
    await client.post(f"/api/collections/notices/batches/{b['id']}/release",
                      json={"today": str(TODAY)}, headers=tech)
    released = [n for n in await notices_of(bound, keep)][0]
    late = await client.post(f"/api/collections/notices/{released.id}/void",
                             json={"reason": "too late"}, headers=tech)
    assert late.status_code == 409
    assert len(await _released_events(bound)) == 1


async def test_a_customer_who_moved_before_the_batch_gets_the_letter_at_the_new_address(
        client, feed, bound, auth):
    tech = auth("billing_tech", "bea")
    a = await account(feed, name="Rosa Diaz", mailing=PREMISE)
    await queue(bound, [shutoff(a)], TODAY)
    assert (await notices_of(bound, a))[0].address["line1"] == "12 Oak St"
    moved = {"line1": "9 Elm Ave", "city": "Town", "state": "CA", "postal_code": "95001"}
    await feed.send("accounts.AccountChanged", f"account:{a.id}", {"account": {
        "id": a.id, "number": a.number, "customer_id": a.customer_id, "status": "active",
        "mailing_address": moved, "language": "es", "paperless": False,
        "deposit_held": "0.00", "opened_on": "2025-01-02"}})
    await feed.drain()
    b = await _batch(client, tech)
    assert b["notices"] == 2  # and the Occupant copy: 12 Oak St is no longer the mailing address
    n = [x for x in await notices_of(bound, a) if x.addressee == "customer"][0]
    assert (n.address["line1"], n.language, n.name) == ("9 Elm Ave", "es", "Rosa Diaz")


async def test_a_notice_to_an_account_the_copy_does_not_know_yet_waits_for_it(client, feed,
                                                                              bound, auth):
    tech = auth("billing_tech", "bea")
    unknown = await account(feed)
    await bound["collections"].execute(text(
        "DELETE FROM accounts WHERE id = :a"), {"a": unknown.id})  # as if not arrived yet
    await queue(bound, [shutoff(unknown, kind="reminder")], TODAY)
    (n,) = await notices_of(bound, unknown)
    assert (n.name, n.address) == ("", {})
    r = await client.post("/api/collections/notices/batches", json={"today": str(TODAY)},
                          headers=tech)
    assert r.status_code == 409  # nothing to print: it has nowhere to go yet
    await feed.send("accounts.AccountChanged", f"account:{unknown.id}", {"account": {
        "id": unknown.id, "number": unknown.number, "customer_id": unknown.customer_id,
        "status": "active", "mailing_address": PREMISE, "language": None, "paperless": False,
        "deposit_held": "0.00", "opened_on": "2025-01-02"}})
    await feed.drain()
    b = await _batch(client, tech)
    (n,) = await notices_of(bound, unknown)
    assert (b["notices"], n.name, n.address["line1"]) == (1, "Rosa Diaz", "12 Oak St")


async def test_a_rejected_batch_sends_its_notices_back_to_the_queue(client, feed, bound, auth,
                                                                   sup):
    tech = auth("billing_tech", "bea")
    a = await account(feed, mailing=PREMISE)
    await queue(bound, [shutoff(a)], TODAY)
    b = await _batch(client, tech)
    r = await client.post(f"/api/collections/notices/batches/{b['id']}/reject",
                          json={"reason": "wrong disconnect dates"}, headers=sup)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["rejected_by"], r.json()["reason"]) == (
        "rejected", "sam", "wrong disconnect dates")
    (n,) = await notices_of(bound, a)
    assert (n.status, n.batch_id) == ("queued", None)
    approve = await client.post(f"/api/collections/notices/batches/{b['id']}/approve",
                                headers=auth("supervisor", "sue"))
    assert approve.status_code == 409
    again = await _batch(client, tech)
    assert again["notices"] == 1 and again["id"] != b["id"]


async def test_the_print_zip_splits_a_batch_into_files_and_says_where_each_notice_is(
        client, feed, bound, auth, sup):
    """A large day goes to the vendor as several PDFs (printzip.PER_FILE notices each, here 2)
    whose manifest names each notice's file, first page and pages, matching the PDFs."""
    tech = auth("billing_tech", "bea")
    accounts = [await account(feed, mailing=PREMISE) for _ in range(3)]
    await queue(bound, [shutoff(a) for a in accounts], TODAY)
    b = await _batch(client, tech)
    assert (await client.post(f"/api/collections/notices/batches/{b['id']}/approve",
                              headers=sup)).status_code == 200
    assert (await client.post(f"/api/collections/notices/batches/{b['id']}/release",
                              json={"today": str(TODAY)}, headers=tech)).status_code == 200
    url = f"/api/collections/notices/batches/{b['id']}/print.zip"
    whole = await client.get(url, headers=tech)
    assert whole.status_code == 200 and whole.headers["content-type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(whole.content)).namelist() == [
        "notices-001.pdf", "manifest.csv"]

    saved = printzip.PER_FILE
    printzip.PER_FILE = 2
    try:
        split = await client.get(url, headers=tech)
    finally:
        printzip.PER_FILE = saved
    z = zipfile.ZipFile(io.BytesIO(split.content))
    assert z.namelist() == ["notices-001.pdf", "notices-002.pdf", "manifest.csv"]
    rows = list(csv.DictReader(io.StringIO(z.read("manifest.csv").decode())))
    assert [r["file"] for r in rows] == ["notices-001.pdf"] * 2 + ["notices-002.pdf"]
    for name in ("notices-001.pdf", "notices-002.pdf"):
        pages = pdf_pages(z.read(name))
        mine = [r for r in rows if r["file"] == name]
        assert sum(int(r["pages"]) for r in mine) == len(pages)
        for r in mine:  # each notice starts where the manifest says: its footer names it
            assert r["notice_id"] in pages[int(r["first_page"]) - 1]


def pdf_pages(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
