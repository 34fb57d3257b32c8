"""The letters: in the customer's language, naming what SB 998 asks a shut-off notice to name,
laid out for a #10 double-window envelope, and the same bytes every time they are rendered."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

from services.collections.notices.domain import KINDS, NoticeRequest
from services.collections.notices.letter import MAILING_WINDOW, RETURN_WINDOW
from services.collections.notices.wording import District, Facts, letter
from tests.collections.notices_helpers import PREMISE, account, notices_of, queue, shutoff
from tests.payments.helpers import pdf_text

TODAY = date(2026, 5, 1)
PT = 72 / 25.4  # points per mm; PDF y counts from the bottom of the 11" page
_DRAWN = re.compile(r"BT ([\d.]+) ([\d.]+) Td \((.*?)\) Tj ET")


async def _pdf(client, h, notice_id):
    r = await client.get(f"/api/collections/notices/{notice_id}.pdf", headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    return r.content


def _where(pdf: bytes, drawn: str) -> tuple[float, float]:
    """Where a line of text is drawn, in mm from the page's top left corner."""
    for x, y, t in _DRAWN.findall(pdf_text(pdf)):
        if t == drawn:
            return float(x) / PT, 279.4 - float(y) / PT
    raise AssertionError(f"{drawn!r} is not drawn")


def _inside(point: tuple[float, float], window: tuple[float, float, float, float]) -> bool:
    x, y = point
    wx, wy, ww, wh = window
    return wx <= x <= wx + ww and wy <= y <= wy + wh


async def test_a_spanish_speaking_customers_notice_is_written_in_spanish(client, feed, bound,
                                                                        csr):
    a = await account(feed, name="José Núñez", customer_language="es", mailing=PREMISE)
    await queue(bound, [shutoff(a)], TODAY)
    (n,) = await notices_of(bound, a)
    body = pdf_text(await _pdf(client, csr, n.id))
    for said in ("AVISO DE DESCONEXIÓN DEL SERVICIO DE AGUA", "Estimado(a) José Núñez:",
                 "$182.40", "20 de mayo de 2026", "apelación", "amortización",
                 "(555) 010-0100", "lunes a viernes", "This notice is important"):
        assert said in body.replace("\\(", "(").replace("\\)", ")"), said
    assert "NOTICE OF DISCONNECTION" not in body


async def test_an_english_shutoff_notice_names_amount_date_arrangement_appeal_and_phone(
        client, feed, bound, csr):
    a = await account(feed, name="Ann Lee", mailing=PREMISE)
    await queue(bound, [shutoff(a, amount="1234.50")], TODAY)
    (n,) = await notices_of(bound, a)
    body = pdf_text(await _pdf(client, csr, n.id)).replace("\\(", "(").replace("\\)", ")")
    for said in ("NOTICE OF DISCONNECTION OF WATER SERVICE", "$1,234.50", "May 20, 2026",
                 "alternative payment", "over up to 12 months", "appeal", "(555) 010-0100",
                 "Monday to Friday", "life-threatening", "Este aviso es importante",
                 "12 Oak St, Town, CA 95000"):
        assert said in body, said


async def test_the_same_notice_renders_to_the_same_bytes_every_time(client, feed, bound, csr):
    a = await account(feed)
    await queue(bound, [shutoff(a)], TODAY)
    n = (await notices_of(bound, a))[0]
    assert await _pdf(client, csr, n.id) == await _pdf(client, csr, n.id)


async def test_the_addresses_show_through_the_envelopes_two_windows(client, feed, bound, csr):
    a = await account(feed, name="Rosa Diaz")
    await queue(bound, [shutoff(a)], TODAY)
    customer, occupant = await notices_of(bound, a)
    pdf = await _pdf(client, csr, customer.id)
    for line in ("Rosa Diaz", "PO Box 12", "Town, CA 95000"):
        assert _inside(_where(pdf, line), MAILING_WINDOW), line
    for line in ("Tapline Demo Water District", "100 Reservoir Road"):
        assert _inside(_where(pdf, line), RETURN_WINDOW), line
    # the letter's text starts below the first fold, out of sight in the envelope
    assert _where(pdf, "NOTICE OF DISCONNECTION OF WATER SERVICE")[1] > 279.4 / 3
    copy = await _pdf(client, csr, occupant.id)
    assert _inside(_where(copy, "OCCUPANT"), MAILING_WINDOW)
    assert _inside(_where(copy, "12 Oak St"), MAILING_WINDOW)


async def test_the_occupant_copy_is_in_english_and_spanish_and_tells_of_tenants_rights(
        client, feed, bound, csr):
    a = await account(feed)
    await queue(bound, [shutoff(a)], TODAY)
    occupant = [n for n in await notices_of(bound, a) if n.addressee == "occupant"][0]
    body = pdf_text(await _pdf(client, csr, occupant.id))
    assert "Dear Occupant:" in body and "Estimado ocupante:" in body
    assert "without paying any amount due on the delinquent account" in body
    assert "bill is mailed to another address" in body


async def test_a_tenant_notice_says_10_days_and_prints_one_per_unit(client, feed, bound, csr,
                                                                   sup, auth):
    a = await account(feed, premise_kind="multi_family", units=8, landlord=True,
                      mailing=PREMISE)
    await queue(bound, [shutoff(a, disconnect_on=TODAY + timedelta(days=30))], TODAY)
    tenant = [n for n in await notices_of(bound, a) if n.addressee == "tenant"][0]
    body = pdf_text(await _pdf(client, csr, tenant.id))
    assert "at least 10 days before disconnection" in body and "Dear Residents:" in body
    tech = auth("billing_tech", "bea")
    b = (await client.post("/api/collections/notices/batches", json={"today": str(TODAY)},
                           headers=tech)).json()
    await client.post(f"/api/collections/notices/batches/{b['id']}/approve", headers=sup)
    await client.post(f"/api/collections/notices/batches/{b['id']}/release",
                      json={"today": str(TODAY)}, headers=tech)
    printed = pdf_text((await client.get(
        f"/api/collections/notices/batches/{b['id']}/print.pdf", headers=tech)).content)
    assert printed.count("Dear Residents:") == 8
    assert printed.count(f"Notice {tenant.id} ") == 16  # 8 copies, English and Spanish


async def test_the_second_notice_names_the_late_charge(client, feed, bound, csr):
    a = await account(feed, mailing=PREMISE)
    await queue(bound, [NoticeRequest(
        account_id=uuid.UUID(a.id), kind="second_notice", reference=f"bill:{a.id}:second",
        amount=Decimal("80.00"), action_on=TODAY + timedelta(days=10),
        details=(("late_charge", "5.00"),))], TODAY)  # as the ladder passes it
    (n,) = await notices_of(bound, a)
    body = pdf_text(await _pdf(client, csr, n.id))
    assert "A late charge of $5.00 has been added" in body and "Late charge added" in body


async def test_an_accounts_notices_are_listed_with_their_pdfs(client, feed, bound, csr, auth):
    a = await account(feed)
    await queue(bound, [shutoff(a)], TODAY)
    r = await client.get(f"/api/collections/accounts/{a.id}/notices", headers=csr)
    assert r.status_code == 200
    assert sorted((x["addressee"], x["status"]) for x in r.json()) == [
        ("customer", "queued"), ("occupant", "queued")]
    assert all(x["pdf"].endswith(f"{x['id']}.pdf") for x in r.json())
    missing = await client.get(f"/api/collections/notices/{uuid.uuid4()}.pdf", headers=csr)
    assert missing.status_code == 404
    nobody = await client.get(f"/api/collections/accounts/{a.id}/notices",
                              headers={"Authorization": "Bearer nope"})
    assert nobody.status_code == 401
    customer = await client.get(f"/api/collections/accounts/{a.id}/notices",
                                headers=auth("customer", "rosa", accounts=(a.id,)))
    assert customer.status_code == 403  # no collections routes for customers in this wave


def test_every_kind_has_its_own_wording_in_english_and_spanish():
    d = District("D", ("1 Main",), "(555) 010-0100", "9-5", "9-5", "example.org")
    for kind in KINDS:
        f = Facts(kind=kind, addressee="customer", account_number="1", name="N",
                  service_address="12 Oak St", amount=Decimal("42.00"),
                  action_on=date(2026, 7, 4), deliver_by=None, created_on=TODAY, details=())
        en, es = letter(f, d, "en"), letter(f, d, "es")
        assert en.title != es.title and en.paragraphs != es.paragraphs, kind
        assert "$42.00" in " ".join(en.paragraphs) + str(en.facts), kind
        assert "4 de julio de 2026" in " ".join(es.paragraphs) + str(es.facts), kind
    titles = {letter(Facts(kind=k, addressee="customer", account_number="1", name="N",
                           service_address="", amount=None, action_on=None, deliver_by=None,
                           created_on=TODAY, details=()), d, "en").title for k in KINDS}
    assert len(titles) == len(KINDS)


async def test_the_tenants_are_not_told_the_landlords_debt(client, feed, bound, csr):
    a = await account(feed, premise_kind="multi_family", units=4, landlord=True,
                      mailing=PREMISE)
    await queue(bound, [shutoff(a, amount="4321.00")], TODAY)
    tenant = [n for n in await notices_of(bound, a) if n.addressee == "tenant"][0]
    body = pdf_text(await _pdf(client, csr, tenant.id))
    assert "4,321.00" not in body and "May 20, 2026" in body


def test_detail_values_print_as_money_and_dates_in_the_letters_language():
    from services.collections.notices.wording import value

    assert value("late_charge", "5.00", "en") == "$5.00"
    assert value("late_charge", "$5.00", "es") == "$5.00"
    assert value("instalment", "2026-06-01: $50.00", "es") == "1 de junio de 2026: $50.00"
    assert value("instalment", "2026-06-01: $50.00", "en") == "June 1, 2026: $50.00"
    assert value("Tax year", "2026-27", "en") == "2026-27"
