"""The staff app in Debian's headless Chromium, driven by Playwright, against the live system.

Playwright's own browser download is not reachable from our machines, so it drives the system
`chromium` (`make test` installs it with apt). Without a browser or a built app the tests are
skipped on a developer's machine and fail in CI, where `make test` provides both.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from kernel.settings import REPO_ROOT
from tests.conftest import mint_token
from tests.frontend.axe import assert_accessible
from tests.frontend.browser import chromium, money
from tests.frontend.browser import eventually as _eventually
from tests.frontend.browser import ok as _ok
from tests.frontend.conftest import CSR, PASSWORD

pytestmark = pytest.mark.slow

DIST = REPO_ROOT / "frontend" / "dist" / "index.html"
NAME = "Guadalupe Okafor"










def _ledger(api: httpx.Client, account_id: str, payments: int) -> Decimal | None:
    """Billing's balance once its ledger holds `payments` payments (they arrive by events)."""
    r = api.get(f"/api/billing/ledger/accounts/{account_id}",
                headers={"Authorization": f"Bearer {mint_token('csr1')}"})
    if r.status_code != 200:
        return None
    if sum(e["kind"] == "payment" for e in r.json()["entries"]) != payments:
        return None
    return Decimal(r.json()["balance"])


@pytest.fixture(scope="module")
def customer(staff_stack: str) -> dict[str, Any]:
    """A customer who started service and paid $12.34 at the counter (through the API)."""
    csr = {"Authorization": f"Bearer {mint_token('csr1')}"}
    address = {"line1": "17 Magnolia Way", "city": "Riverbend", "state": "CA",
               "postal_code": "93650"}
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        premise = _ok(api.post("/api/accounts/premises", headers=csr, json={
            "address": address, "apn": "410-017-01", "kind": "single_family",
            "dwelling_units": 1, "cycle": "C1", "route": "C1-R01"}), 201)
        account = _ok(api.post("/api/accounts/agreements/start", headers=csr, json={
            "start_date": "2026-02-01", "premise_id": premise["id"],
            "customer": {"kind": "person", "name": NAME, "mailing_address": address,
                         "phones": ["(559) 555-0142"], "emails": [], "language": "en",
                         "paperless": False, "text_messages": False}}), 201)["account"]
        number = account["number"]
        _eventually("payments' copy of the account", lambda: api.get(
            f"/api/payments/accounts/{number}", headers=csr).status_code == 200 or None)
        drawer = _ok(api.post("/api/payments/drawers", headers=csr,
                              json={"float_amount": "50.00"}), 201)
        _ok(api.post(f"/api/payments/drawers/{drawer['id']}/payments",
                     headers={**csr, "Idempotency-Key": f"browser-{number}"},
                     json={"account_number": number, "amount": "12.34", "tender": "cash"}), 201)
        balance = _eventually("the payment in billing's ledger",
                              lambda: _ledger(api, account["id"], payments=1))
    assert balance == Decimal("-12.34")
    return {"id": account["id"], "number": number, "balance": balance}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium(DIST)


def _log_in(browser: Browser, base: str) -> Page:
    """A new tab, logged in as the CSR: tokens live in a tab's memory, so each flow logs in."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{base}/")
    expect(page.get_by_label("Username")).to_be_visible()
    assert_accessible(page, "login")
    page.get_by_label("Username").fill(CSR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {CSR}")).to_be_visible()
    assert_accessible(page, "home")
    return page


def test_csr_finds_an_account_with_slash_search_and_sees_its_balance(staff_stack, customer,
                                                                      browser):
    started = time.monotonic()
    page = _log_in(browser, staff_stack)
    expect(page.get_by_role("link", name="Counter")).to_be_visible()  # a CSR I is a cashier

    page.keyboard.press("/")
    search = page.get_by_role("textbox", name="Search accounts")
    expect(search).to_be_focused()
    search.press_sequentially("guadalupe okafor", delay=30)
    page.get_by_role("option").filter(has_text=customer["number"]).first.click()

    expect(page).to_have_url(f"{staff_stack}/accounts/{customer['number']}")
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    expect(page.get_by_test_id("account-balance")).to_have_text(money(customer["balance"]))
    page.get_by_role("tab", name="Payments").click()
    expect(page.get_by_role("table", name="Payments")).to_contain_text("-$12.34")
    assert_accessible(page, "account-360")

    page.get_by_role("tab", name="Contacts").click()
    page.get_by_role("textbox", name=re.compile(r"^Category")).fill("payment")
    note = page.get_by_role("textbox", name=re.compile(r"^Note"))
    note.fill("Asked whether the counter payment arrived")
    note.press("Control+Enter")
    expect(page.get_by_role("table", name="Contact log")).to_contain_text(
        "Asked whether the counter payment arrived")
    expect(note).to_have_value("")  # saved, so leaving asks nothing
    assert_accessible(page, "account-360-contacts")
    page.close()
    print(f"search to balance in the browser: {time.monotonic() - started:.1f} s")


def test_cashier_takes_cash_at_the_counter_and_the_balance_drops_by_it(staff_stack, customer,
                                                                       browser):
    page = _log_in(browser, staff_stack)
    page.get_by_role("link", name="Counter").click()
    page.get_by_label("Starting float ($)").fill("75.00")
    page.get_by_role("button", name="Open drawer").click()

    page.get_by_role("textbox", name=re.compile(r"^Account number")).fill(customer["number"])
    expect(page.get_by_text(NAME)).to_be_visible()
    page.get_by_label("Amount ($)").fill("20.00")
    page.get_by_label("Amount ($)").press("Enter")  # every form submits with Enter
    receipt = page.get_by_role("alert", name=re.compile(r"^Receipt \d+"))
    expect(receipt).to_contain_text("$20.00")
    with page.expect_popup() as popup:
        receipt.get_by_role("button", name="Receipt PDF").click()
    assert popup.value.url.startswith("blob:")

    # Close with the count: the $75.00 float and the $20.00 taken, in four twenties, a ten, a five.
    for denomination, pieces in (("$20", "4"), ("$10", "1"), ("$5", "1")):
        page.get_by_role("textbox", name=denomination, exact=True).fill(pieces)
    expect(page.get_by_text("Cash counted")).to_contain_text("$95.00")
    page.get_by_role("button", name="Close drawer").click()
    expect(page.get_by_role("alert", name="Drawer closed")).to_contain_text("over/short $0.00")
    assert_accessible(page, "counter")

    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        after = _eventually("the counter payment in billing's ledger",
                            lambda: _ledger(api, customer["id"], payments=2))
    assert after == customer["balance"] - Decimal("20.00")
    page.keyboard.press("/")
    page.keyboard.type(customer["number"])
    page.get_by_role("option").filter(has_text=customer["number"]).first.click()
    expect(page.get_by_test_id("account-balance")).to_have_text(money(after))
    assert_accessible(page, "account-360-after-counter")
    page.close()


def test_the_committed_openapi_document_is_the_one_the_gateway_serves(staff_stack):
    """The client is generated from an in-process dump (no server); it must equal the live one."""
    live = httpx.get(f"{staff_stack}/api/openapi.json", timeout=30).json()
    committed = json.loads((REPO_ROOT / "frontend" / "openapi.json").read_text())
    assert "x-unavailable-services" not in live.get("info", {})
    assert live == committed
