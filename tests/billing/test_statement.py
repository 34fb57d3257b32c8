"""The statement a district mails: every bill renders, and the page says what issue 17 asks
(identity, summary with payments and adjustments, reads, tier ranges, rate-change segments,
chart, messages, the stub) — read back from the PDF's text, as a customer would read it."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from PIL import Image

from kernel.checkdigit import printed
from tests.billing import statement_district as demo

URL = "/api/billing/statements"


def logo() -> str:
    """The district's logo as it uploads it: a small PNG, base64."""
    buf = io.BytesIO()
    Image.new("RGB", (120, 40), (31, 78, 121)).save(buf, "PNG")
    return base64.b64encode(buf.getvalue()).decode()


@pytest.fixture
def sup2(auth):
    return auth("supervisor", "sue")


def pdf_pages(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def flat(pages: list[str]) -> str:
    return " ".join(" ".join(p.split()) for p in pages)


async def statement(client, who, bill_id: str) -> str:
    r = await client.get(f"{URL}/{bill_id}.pdf", headers=who)
    assert r.status_code == 200, r.text
    assert r.content.startswith(b"%PDF") and b"/FontFile2" in r.content  # OCR-A embedded
    return flat(pdf_pages(r.content))


async def test_every_bill_of_the_district_renders_as_pdf_and_html(
        client, feed, service_apps, bound, tech, sup, sup2):
    d = await demo.build(client, feed, service_apps, bound, tech, sup, sup2, months=2)
    bills = [(c, b) for c in d.everyone for b in c.bills]
    assert len(bills) == 8
    for c, bid in bills:
        text = await statement(client, tech, bid)
        assert printed(c.number) in text and c.name in text
        assert re.search(rf"{c.number} \d{{10}} \d", text)  # the scanline
        h = await client.get(f"{URL}/{bid}.html", headers=tech)
        assert h.status_code == 200 and h.headers["content-type"].startswith("text/html")
        assert "<svg" in h.text and "scanline" in h.text


async def test_a_residential_statement_shows_identity_summary_reads_tiers_chart_and_stub(
        client, feed, service_apps, bound, tech, sup, sup2):
    d = await demo.build(client, feed, service_apps, bound, tech, sup, sup2, months=2)
    r = await client.put(f"{URL}/config", headers=sup, json={
        "phone": "(555) 010-7777", "hours_en": "Mon-Fri 7:30-4:30", "portal": "pay.example.org",
        "website": "water.example.org", "logo_base64": logo(),
        "late_charge": {"percent": "10", "minimum": "2.00"},
        "messages": [{"en": "Stage 2 drought: water on Tuesdays only.", "kind": "drought",
                      "cycles": ["C1"]},
                     {"en": "Commercial rates change February 1.", "rate_classes": ["COM"]}]})
    assert r.status_code == 200, r.text
    await demo.estimated(bound, d.res)
    text = await statement(client, tech, d.res.bills[-1])
    for needed in (
            "Tapline Demo Water District", "100 Reservoir Road", "(555) 010-7777",
            "Mon-Fri 7:30-4:30", "water.example.org", "pay.example.org",
            "Alex Rivera", "Willow Creek Road", "95003",
            "Previous balance", "Payment received Jan 12, 2026", "-$40.00",
            "Adjustment", "-$5.00", "Current charges", "Total amount due", "Due date",
            "Feb 23, 2026", "late charge of 10% of the past-due amount",
            "(at least $2.00)",
            "Meter MX", "size 5/8\"", "Previous read", "Current read", "(estimated)",
            "(actual)", "Units used", "gallons (1 HCF = 748 gallons)", "Days in period",
            "Gallons per day", "Tier 1: first 6 HCF at $3.12", "Tier 2: 7-20 HCF at $4.05",
            "State water fee", "Wastewater",
            "Your water use", "Same period last year", "average daily use",
            "Stage 2 drought: water on Tuesdays only.",
            "Go paperless", "Para recibir esta factura en español, llame al (555) 010-7777.",
            "Please return this portion with your payment", "Amount due", "Amount after",
            "Amount enclosed", "Make checks payable to", "Payment Processing"):
        assert needed in text, needed
    assert "Commercial rates change" not in text  # a message for another rate class
    # the summary adds up: previous balance - payment - adjustment + current = total due
    got = dict(re.findall(r"(Previous balance|Current charges|Total amount due) (-?\$[\d,.]+)",
                          text))
    assert _money(got["Previous balance"]) - 40 - 5 + _money(got["Current charges"]) \
        == _money(got["Total amount due"])


async def test_units_used_are_converted_to_gallons_and_gallons_per_day(
        client, feed, service_apps, bound, tech, sup, sup2):
    d = await demo.build(client, feed, service_apps, bound, tech, sup, sup2, months=1)
    text = await statement(client, tech, d.res.bills[-1])
    # January: 9 + 2 = 11 HCF, read Dec 31 -> Jan 31: 31 days
    assert "Previous read 20 Dec 31, 2025 (actual)" in text
    assert "Current read 31 Jan 31, 2026 (actual)" in text
    assert "11 HCF = 8,228 gallons (1 HCF = 748 gallons)" in text
    assert "Days in period 31 Gallons per day 265" in text


async def test_a_multi_family_bill_scales_tiers_by_dwelling_units(
        client, feed, service_apps, bound, tech, sup, sup2):
    d = await demo.build(client, feed, service_apps, bound, tech, sup, sup2, months=1)
    text = await statement(client, tech, d.mfr.bills[-1])
    # MFR blocks are 4 HCF per dwelling unit: 8 units -> first 32, then 33-64
    assert "Tier 1: first 32 HCF at $3.12" in text
    assert "Tier 2: 33-64 HCF at $4.05" in text
    assert "Oakview Apartments LLC" in text and "size 2\"" in text


async def test_a_commercial_bill_across_a_rate_change_shows_both_segments(
        client, feed, service_apps, bound, tech, sup, sup2):
    d = await demo.build(client, feed, service_apps, bound, tech, sup, sup2, months=1)
    text = await statement(client, tech, d.com.bills[-1])
    assert "Rates changed during this period: charges are split by days." in text
    assert "Jan 16, 2026 to Jan 31, 2026 (16 of 31 days, rates 'Rates effective 2025-07-01')" \
        in text
    assert "Feb 1, 2026 to Feb 15, 2026 (15 of 31 days, rates 'Rates effective 2026-02-01')" \
        in text
    assert "All use at $4.21 per HCF" in text and "All use at $4.46 per HCF" in text
    # 44 HCF split by days: 16/31 at the old rate, 15/31 at the new
    assert "Units used 44 HCF = 32,912 gallons" in text
    assert "22.71 HCF" in text and "21.29 HCF" in text
    assert "16 of 31 days" in text


async def test_the_print_batch_is_presorted_by_zip_with_page_counts(
        client, feed, service_apps, bound, tech, sup, sup2):
    d = await demo.build(client, feed, service_apps, bound, tech, sup, sup2, months=1)
    r = await client.get(f"{URL}/runs/{d.runs[0]}/print-batch.zip", headers=tech)
    assert r.status_code == 200, r.text
    z = zipfile.ZipFile(io.BytesIO(r.content))
    rows = [line.split(",") for line in z.read("index.csv").decode().splitlines()]
    head, body = rows[0], rows[1:]
    assert head[:6] == ["sequence", "file", "first_page", "pages", "postal_code",
                        "account_number"]
    assert [x[4] for x in body] == ["95001", "95001", "95003"]  # presorted by ZIP
    pdf = z.read(body[0][1])
    pages = pdf_pages(pdf)
    assert len(pages) == sum(int(x[3]) for x in body)
    for x in body:  # each statement starts where the index says
        first = pages[int(x[2]) - 1]
        assert x[5] in " ".join(first.split())
    assert "manifest.json" in z.namelist()
    missing = await client.get(f"{URL}/runs/{d.res.account_id}/print-batch.zip", headers=tech)
    assert missing.status_code == 404
    assert str(sum(int(x[3]) for x in body)) in z.read("manifest.json").decode()


async def test_a_customer_sees_their_own_statement_and_not_another_customers(
        client, feed, service_apps, bound, tech, sup, sup2, auth):
    d = await demo.build(client, feed, service_apps, bound, tech, sup, sup2, months=1)
    me = auth("customer", "c1", accounts=(d.res.account_id,))
    assert (await client.get(f"{URL}/{d.res.bills[-1]}.html", headers=me)).status_code == 200
    assert (await client.get(f"{URL}/{d.mfr.bills[-1]}.pdf", headers=me)).status_code == 404
    assert (await client.get(f"{URL}/{d.mfr.bills[-1]}.html", headers=me)).status_code == 404


async def test_a_bad_logo_is_refused_and_nothing_is_saved(client, sup, tech):
    r = await client.put(f"{URL}/config", headers=sup, json={"logo_base64": "bm90IGFuIGltYWdl"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem")
    assert (await client.get(f"{URL}/config", headers=tech)).json()["logo_base64"] == ""
    assert (await client.put(f"{URL}/config", headers=tech, json={})).status_code == 403


def _money(s: str) -> Decimal:
    return Decimal(s.replace("$", "").replace(",", ""))
