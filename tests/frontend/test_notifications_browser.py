"""Customer messages in the staff app (issue 16), in Debian's headless Chromium against the live
system: a CSR opens an account's messages, sees that the start-of-service e-mail bounced (with
the mail server's words), sends it again once the address is checked, finds the address on the
undeliverable list linked to the account, and previews the Spanish e-bill with its HTML part in
a sandboxed frame.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from kernel.settings import REPO_ROOT
from tests.conftest import mint_token
from tests.frontend.axe import assert_accessible
from tests.frontend.browser import chromium, eventually, ok, start_household
from tests.frontend.conftest import CSR, PASSWORD

pytestmark = pytest.mark.slow

DIST = REPO_ROOT / "frontend" / "dist" / "index.html"
NAME = "Rosa Quintanilla"
EMAIL = "rosa.quintanilla@example.org"


def _dsn(message_id: str, recipient: str) -> bytes:
    """A mail server's hard bounce (RFC 3464) about one of our messages."""
    return (
        "From: MAILER-DAEMON@mx.example.org\r\nTo: bills@tapline.invalid\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {message_id}\r\nTo: {recipient}\r\nSubject: Service started\r\n\r\n"
        "--B--\r\n").encode()


@pytest.fixture(scope="module")
def bounced(staff_stack: str) -> dict[str, Any]:
    """A Spanish-speaking customer whose start-of-service e-mail bounced (all by API)."""
    csr = {"Authorization": f"Bearer {mint_token('csr1')}"}
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        account = start_household(api, NAME, "17 Sequoia Bend", "410-517-17", "(559) 555-0142",
                                  EMAIL, language="es", paperless=True)
        path = f"/api/accounts/notifications/accounts/{account['id']}/messages"

        def started() -> dict[str, Any] | None:
            found = [m for m in ok(api.get(path, headers=csr))
                     if m["kind"] == "service_started" and m["channel"] == "email"]
            return found[0] if found else None

        message = eventually("the start-of-service e-mail", started)
        ok(api.post("/api/accounts/notifications/bounces", content=_dsn(
            f"<{message['id']}@notifications.tapline.invalid>", EMAIL),
            headers={**csr, "Content-Type": "message/rfc822"}))
        assert ok(api.get(path, headers=csr))[0]["status"] == "bounced"
    return {"account": account, "message": message}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium(DIST)


def _open_account(browser: Browser, base: str, number: str) -> Page:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{base}/")
    page.get_by_label("Username").fill(CSR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {CSR}")).to_be_visible()
    page.keyboard.press("/")  # tokens live in the tab's memory: a reload would log out
    page.keyboard.type(number)
    page.get_by_role("option").filter(has_text=number).first.click()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    return page


def test_a_csr_resends_a_bounced_message_and_previews_the_spanish_e_bill(
        staff_stack, bounced, browser):
    number = bounced["account"]["number"]
    page = _open_account(browser, staff_stack, number)

    page.get_by_role("tab", name="Messages").click()
    table = page.get_by_role("table", name="Messages to the customer")
    row = table.get_by_role("row").filter(has_text="Service started")
    expect(row).to_contain_text("r***@example.org")  # masked, never the whole address
    expect(row).to_contain_text("Bounced")
    expect(row).to_contain_text("5.1.1")
    assert_accessible(page, "notifications-account-messages")

    # The navigation's Customer messages: the address is on the undeliverable list, with a
    # link back to the account.
    page.get_by_role("link", name="Customer messages").click()
    expect(page.get_by_role("heading", name="Customer messages")).to_be_visible()
    page.get_by_role("tab", name="Undeliverable").click()
    listed = page.get_by_role("table", name="Undeliverable addresses")
    expect(listed).to_contain_text(EMAIL)
    expect(listed).to_contain_text("Mail bounced")
    assert_accessible(page, "notifications-undeliverable")
    listed.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()

    # The address checked with the customer: the message goes again.
    page.get_by_role("tab", name="Messages").click()
    row = page.get_by_role("table", name="Messages to the customer").get_by_role(
        "row").filter(has_text="Service started")
    row.get_by_role("button", name="Resend Service started by E-mail").click()
    expect(row).not_to_contain_text("Bounced")
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        [again] = [m for m in ok(api.get(
            f"/api/accounts/notifications/accounts/{bounced['account']['id']}/messages",
            headers={"Authorization": f"Bearer {mint_token('csr1')}"}))
            if m["id"] == bounced["message"]["id"]]
    assert again["status"] != "bounced"

    # The Spanish e-bill as the customer would read it.
    page.get_by_role("link", name="Customer messages").click()
    form = page.get_by_role("form", name="Preview a template")
    form.get_by_role("textbox", name=re.compile("^Kind of message")).click()
    page.get_by_role("option", name="E-bill ready").click()
    form.get_by_role("textbox", name=re.compile("^Language")).click()
    page.get_by_role("option", name="Spanish (Español)").click()
    name = form.get_by_label("Customer name")
    name.fill(NAME)
    name.press("Enter")
    expect(page.get_by_test_id("preview-subject")).to_contain_text(
        re.compile(r"Su factura de .+ vence el"))
    expect(page.get_by_test_id("preview-text")).to_contain_text(f"Hola, {NAME}:")
    expect(page.get_by_test_id("preview-html")).to_have_attribute("sandbox", "")
    expect(page.frame_locator("[data-testid=preview-html]").get_by_text(
        "Véala y pague en línea")).to_be_visible()
    expect(page.get_by_test_id("preview-sms")).not_to_be_empty()
    expect(page).to_have_url(re.compile(r"kind=e_bill&language=es"))
    # Playwright (1.65) drops the page's "networkidle" when the srcdoc frame attaches and
    # only recomputes it on the page's own next idle period (nothing was in flight: checked),
    # so assert_accessible's wait would time out; one request from the page lets it settle.
    page.evaluate("() => fetch('/api/health').then((r) => r.status)")
    assert_accessible(page, "notifications-template-preview-es")
    page.close()


def test_a_customer_chooses_texts_for_receipts_and_cannot_turn_off_the_bill(
        staff_stack, bounced, browser):
    """The portal's "How we contact you", in Spanish (the customer's choice of language), with
    the customer's own token in the tab's sessionStorage as the portal keeps it."""
    account_id = bounced["account"]["id"]
    token = mint_token("customer", sub=EMAIL, accounts=(account_id,), minutes=30)
    session = {"accessToken": token, "refreshToken": "r" * 32, "accounts": [account_id],
               "email": EMAIL, "expiresAt": 4_102_444_800_000}
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.add_init_script(
        "sessionStorage.setItem('tapline.portal.session', " + repr(json.dumps(session)) + ");"
        "localStorage.setItem('tapline.portal.language', 'es');")
    page.goto(f"{staff_stack}/portal/settings")
    page.get_by_role("link", name="Cómo nos comunicamos con usted").click()
    expect(page.get_by_role("heading", name="Cómo nos comunicamos con usted")).to_be_visible()

    bill = page.get_by_role("radiogroup", name="Su factura está lista")
    expect(bill.get_by_role("radio", name="Ninguno")).to_be_disabled()
    expect(bill).to_have_accessible_description(
        re.compile("^No se puede desactivar: es su factura"))
    # a message we cannot text goes by e-mail instead, and the page says so
    expect(page.get_by_text(re.compile("respondió STOP.*por correo electrónico"))).to_be_visible()
    receipts = page.get_by_role("radiogroup", name="Recibos de pago")
    receipts.get_by_role("radio", name="Texto").check()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Guardado")
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        prefs = ok(api.get(f"/api/accounts/notifications/accounts/{account_id}/preferences",
                           headers={"Authorization": f"Bearer {mint_token('csr1')}"}))
    assert {p["kind"]: p["channels"] for p in prefs}["payment_receipt"] == "text"
    assert_accessible(page, "portal-how-we-contact-you-es")
    page.close()
