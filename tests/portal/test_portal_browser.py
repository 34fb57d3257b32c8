"""The customer portal in Debian's headless Chromium (Playwright), against the live system with
the demo district: a customer of a demo account pays the bill on the sandbox processor's hosted
page, turns on autopay, goes paperless, sees a month of hourly use with a leak alert, downloads
Green Button data, and files a request — on a phone-sized screen, once in Spanish.

Like the staff app's browser tests, it drives the system `chromium` (`make test` installs it);
without a browser or a built portal it skips on a developer's machine and fails in CI.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from playwright.sync_api import Browser, Page, expect

from kernel.clock import utility_today
from kernel.settings import REPO_ROOT
from tests.conftest import clone_demo_database, mint_token
from tests.contract.conftest import running_stack
from tests.frontend.axe import assert_accessible
from tests.frontend.browser import chromium, eventually
from tests.frontend.browser import ok as _ok
from tests.kernel.smtp import SmtpInbox, smtp_server

pytestmark = pytest.mark.slow
#: A shared machine answers slower than a quiet one: waits are for the page, not for speed.
expect.set_options(timeout=20_000)

DIST = REPO_ROOT / "frontend" / "dist" / "portal.html"
PHONE = {"width": 390, "height": 844}
#: A valid ABA routing number (JPMorgan Chase's) and an account number for the autopay form.
ROUTING, BANK_ACCOUNT = "021000021", "000123456789"
PASSWORD = "a long portal password"
_database: dict[str, str] = {}








def _eventually(what: str, fn: Callable[[], Any], seconds: float = 180.0) -> Any:
    return eventually(what, fn, seconds, every=0.5)


def _staff(role: str, sub: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(role, sub)}"}


@pytest.fixture(scope="module")
def inbox() -> Iterator[SmtpInbox]:
    """A real SMTP server the live stack's gateway sends its mail to."""
    with smtp_server() as server:
        yield server


def _patient_stack() -> AbstractContextManager[str]:
    """`running_stack` with the demo data and more patience: on a machine shared with other
    test runs, payments alone can take more than its minute to import."""
    return running_stack(prepare=lambda url: _database.update(url=url),
                         clone=clone_demo_database, nightly=False, seconds=300)


@pytest.fixture(scope="module")
def portal_stack(inbox: SmtpInbox) -> Iterator[str]:
    """Every process as `make run` starts them, on a database of its own with the demo data,
    sending mail to the test's SMTP server."""
    before = os.environ.get("TAPLINE_SMTP_URL")
    os.environ["TAPLINE_SMTP_URL"] = inbox.url
    try:
        with _patient_stack() as base:
            yield base
    finally:
        if before is None:
            os.environ.pop("TAPLINE_SMTP_URL", None)
        else:
            os.environ["TAPLINE_SMTP_URL"] = before


def _demo_account() -> dict[str, Any]:
    """The first active demo account with a water meter (the tests read the demo's own rows
    to pick it, as a person would read the number off their bill)."""
    with psycopg.connect(_database["url"]) as c:
        row = c.execute(
            "SELECT a.id, a.number, m.id, m.serial, m.install_read, p.address->>'postal_code' "
            "FROM accounts.accounts a JOIN accounts.service_agreements sa "
            "ON sa.account_id = a.id AND sa.service = 'water' AND sa.status = 'active' "
            "JOIN accounts.meters m ON m.id = sa.meter_id "
            "JOIN accounts.premises p ON p.id = sa.premise_id "
            "WHERE a.status = 'active' AND m.unit = 'HCF' ORDER BY a.number LIMIT 1").fetchone()
    assert row is not None
    return {"id": str(row[0]), "number": row[1], "meter_id": str(row[2]), "serial": row[3],
            "install_read": Decimal(row[4]), "zip": row[5]}


def _ami_file(serial: str, first: date, last: date, start_register: Decimal) -> tuple[str, Decimal]:
    """An hour-by-hour AMI file: a household's day (nothing at night, some use by day), and for
    the last three days a running toilet — 0.010 HCF (7.5 gallons) every hour, day and night."""
    lines, register = ["meter_serial,interval_start,usage,register"], start_register
    day = first
    while day <= last:
        leaking = (last - day).days < 3
        for hour in range(24):
            use = Decimal("0.010") if leaking else Decimal("0.000")
            if 7 <= hour <= 21:
                use += Decimal("0.020") if hour % 3 else Decimal("0.060")
            register += use
            at = datetime(day.year, day.month, day.day, hour).isoformat()
            lines.append(f"{serial},{at},{use},{register if (day, hour) == (last, 23) else ''}")
        day += timedelta(days=1)
    return "\n".join(lines) + "\n", register


@pytest.fixture(scope="module")
def household(portal_stack: str) -> dict[str, Any]:
    """A demo account with a month of hourly reads (a leak in its last days) and a final bill."""
    acct = _demo_account()
    today = utility_today()
    last, first = today - timedelta(days=1), today - timedelta(days=30)
    tech, sup = _staff("billing_tech"), _staff("supervisor", "sup-a")
    with httpx.Client(base_url=portal_stack, timeout=60) as api:
        def billing_knows_agreement() -> bool | None:
            with psycopg.connect(_database["url"]) as c:
                known = c.execute(
                    "SELECT 1 FROM billing.service_agreements WHERE account_id = %s",
                    (acct["id"],)).fetchone() is not None
            return known or None
        # the demo's 3,000 accounts reach billing by events first (slow on a busy machine)
        _eventually("billing's copy of the demo account", billing_knows_agreement, 900)
        content, _ = _ami_file(acct["serial"], first, last, acct["install_read"])
        imported = _ok(api.post("/api/billing/reads/imports/ami", headers=tech,
                                files={"file": ("ami.csv", content, "text/csv")}))
        assert imported["errors"] == [], imported
        opened = sum(_ok(api.post("/api/billing/usage/leaks/detect", headers=tech, params={
            "day": (last - timedelta(days=back)).isoformat()}))["alerts_opened"]
            for back in (2, 1, 0))
        assert opened == 1  # the running toilet, once
        run = _ok(api.post(f"/api/billing/runs/accounts/{acct['id']}", headers=tech, json={
            "period_start": first.isoformat(), "period_end": last.isoformat(),
            "bill_date": today.isoformat()}), 201)
        for step, who in (("prepare", tech), ("approve", sup),
                          ("finalise", _staff("supervisor", "sup-b"))):
            _ok(api.post(f"/api/billing/runs/{run['id']}/{step}", headers=who))
        bills = _ok(api.get(f"/api/billing/runs/{run['id']}/bills", headers=tech))
        acct["bill_total"] = Decimal(bills[0]["total"])
        me = {"Authorization": f"Bearer {mint_token('customer', 'c', (acct['id'],))}"}

        def due() -> Decimal | None:
            r = api.get(f"/api/payments/portal/accounts/{acct['id']}", headers=me)
            amount = Decimal(r.json()["amount_due"]) if r.status_code == 200 else Decimal(0)
            return amount if amount > 0 else None
        acct["due"] = _eventually("the bill in payments' copy", due)
    acct["last_day"] = last.isoformat()
    return acct


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium(DIST)


def money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _wait_for_mail(inbox: SmtpInbox, address: str, seconds: float = 60.0) -> str:
    """The link in the newest mail to `address`."""
    mail = _eventually(f"a mail to {address}", lambda: (inbox.to(address) or [None])[-1], seconds)
    links = [link for link in mail.links() if "#token=" in link]
    assert links, mail.text
    return links[0]


def _register_and_sign_in(browser: Browser, base: str, acct: dict[str, Any], inbox: SmtpInbox,
                          email: str, language: str = "en") -> Page:
    """Register with the account number and the last bill's amount, confirm from the mail,
    sign in: the whole way a customer comes to the portal."""
    page = browser.new_page(viewport=PHONE, accept_downloads=True,
                            locale="es-US" if language == "es" else "en-US")
    page.goto(f"{base}/portal/")
    if language == "es":
        expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
        page.get_by_role("link", name="Crear una cuenta de acceso").click()
        page.get_by_label("Número de cuenta").fill(acct["number"])
        page.get_by_label("Importe de la última factura").fill(f"{acct['bill_total']}")
        page.get_by_label("Correo electrónico").fill(email)
        page.get_by_label("Contraseña nueva").fill(PASSWORD)
        page.get_by_role("button", name="Crear acceso").click()
        expect(page.get_by_role("status")).to_contain_text(email)
    else:
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        assert_accessible(page, "portal-login")
        page.get_by_role("link", name="Create a login").click()
        page.get_by_label("Account number").fill(acct["number"])
        page.get_by_label("Last bill amount").fill(f"{acct['bill_total']}")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("New password").fill(PASSWORD)
        page.get_by_label("New password").press("Enter")
        expect(page.get_by_role("status")).to_contain_text(email)
        assert_accessible(page, "portal-registered")
    link = _wait_for_mail(inbox, email)
    page.goto(f"{base}/portal/verify#{link.split('#', 1)[1]}")
    expect(page.get_by_role("status")).to_contain_text(
        "Su correo está confirmado" if language == "es" else "Your e-mail is confirmed")
    page.goto(f"{base}/portal/login")
    page.get_by_label("Correo electrónico" if language == "es" else "E-mail").fill(email)
    password = page.get_by_label(re.compile("^Contraseña" if language == "es" else "^Password"))
    password.fill(PASSWORD)
    password.press("Enter")
    expect(page.get_by_role("heading", name="Su cuenta" if language == "es" else "Your account")
           ).to_be_visible()
    return page


def test_a_customer_registers_pays_enrols_in_autopay_goes_paperless_and_sees_a_leak(
        portal_stack, household, browser, inbox):
    page = _register_and_sign_in(browser, portal_stack, household, inbox, "pat@example.org")
    expect(page.get_by_test_id("amount-due")).to_have_text(money(household["due"]))
    assert_accessible(page, "portal-home")

    # the bill, what it means, its statement
    page.get_by_role("link", name="View bills").click()
    page.get_by_role("link", name=re.compile(r"^Bill of")).first.click()
    expect(page.get_by_role("heading", name="What this bill means")).to_be_visible()
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Statement (PDF)").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    assert_accessible(page, "portal-bill")

    # pay the bill on the processor's hosted page
    page.get_by_role("link", name="Pay", exact=True).click()
    expect(page.get_by_label("Amount to pay")).to_have_value(f"{household['due']}")
    page.get_by_label("Amount to pay").press("Enter")
    expect(page.get_by_role("heading", name="Sandbox payment")).to_be_visible()
    page.get_by_role("button", name="Pay").click()
    expect(page.get_by_role("alert", name="Thank you!")).to_contain_text(
        f"Your payment of {money(household['due'])} is on your account", timeout=60_000)
    assert_accessible(page, "portal-paid")

    # autopay from a bank account
    page.goto(f"{portal_stack}/portal/autopay")
    page.get_by_label("Routing number").fill(ROUTING)
    page.get_by_label("Bank account number").fill(BANK_ACCOUNT)
    page.get_by_label("Bank account number").press("Enter")
    expect(page.get_by_text("Autopay is on")).to_be_visible()
    expect(page.get_by_text("6789")).to_be_visible()  # masked: the last four only
    assert_accessible(page, "portal-autopay")

    # paperless
    page.get_by_role("link", name="More").click()
    switch = page.get_by_role("switch", name="Paperless billing")
    page.locator("label", has_text="Paperless billing").first.click()  # the input is hidden
    expect(switch).to_be_checked()
    expect(page.get_by_role("status")).to_contain_text("Paperless billing is on")
    assert_accessible(page, "portal-settings")

    # a month of hourly use with the leak, and the Green Button file
    page.goto(f"{portal_stack}/portal/usage?end={household['last_day']}")
    expect(page.get_by_test_id("usage-summary")).to_contain_text("720 hours")
    expect(page.get_by_role("alert").filter(has_text="Possible leak").first).to_be_visible()
    expect(page.get_by_test_id("usage-summary")).to_contain_text("look like a leak")
    with page.expect_download() as xml:
        page.get_by_role("button", name="Green Button XML").click()
    body = Path(xml.value.path()).read_text()
    assert "IntervalBlock" in body and "UsagePoint" in body
    assert_accessible(page, "portal-usage")
    page.close()


def test_en_espanol_a_customer_registers_sees_the_leak_and_asks_for_help(
        portal_stack, household, browser, inbox):
    page = _register_and_sign_in(browser, portal_stack, household, inbox, "lupe@example.org",
                                 language="es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text("Importe a pagar")).to_be_visible()
    assert_accessible(page, "portal-inicio")

    page.goto(f"{portal_stack}/portal/usage?end={household['last_day']}")
    expect(page.get_by_test_id("usage-summary")).to_contain_text("720 horas")
    assert_accessible(page, "portal-consumo")

    page.goto(f"{portal_stack}/portal/requests/new?kind=contact")
    page.get_by_label("Mensaje").fill("Creo que tengo una fuga en el inodoro.")
    page.get_by_role("button", name="Enviar solicitud").click()
    confirmation = page.get_by_role("status")
    expect(confirmation).to_contain_text("Solicitud recibida")
    expect(confirmation).to_contain_text("Recibida")
    assert_accessible(page, "portal-solicitud")
    with httpx.Client(base_url=portal_stack, timeout=30) as api:
        listed = _ok(api.get("/api/accounts/requests", headers=_staff("csr1")))
    assert [r["kind"] for r in listed if r["account_id"] == household["id"]] == ["contact"]
    page.close()
