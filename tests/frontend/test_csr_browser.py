"""A CSR's day in the staff app (issue 11): find a customer by a misspelt name and start
service at a vacant premise, in Debian's headless Chromium against the live system.

Also measured here: the compressed JavaScript the login and search route loads (issue 11:
under 300 KB) and how long search hits take to appear after the last key press.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Response, expect

from kernel.settings import REPO_ROOT
from tests.artifacts import artifacts
from tests.conftest import mint_token
from tests.frontend.axe import assert_accessible
from tests.frontend.browser import chromium
from tests.frontend.browser import ok as _ok
from tests.frontend.conftest import CSR, PASSWORD

pytestmark = pytest.mark.slow

DIST = REPO_ROOT / "frontend" / "dist" / "index.html"
NAME = "Thaddeus Villanueva"
TYPO = "thadeus vilanueva"  # two letters short, as a caller spells it over the phone
VACANT = "88 Quartz Hollow Rd"
LOGIN_BUDGET = 300 * 1024






#: In the page: when the search answer's last byte arrived (Resource Timing's `responseEnd`)
#: and when the option with the account number was first in the document (a MutationObserver,
#: on the same clock): the time from the server's answer to the hits being drawn, which the
#: test's own polling would only blur. `DRAWN` reads the two back.
DRAW_TIMER = """(number) => {
  const seen = new MutationObserver(() => {
    const hit = [...document.querySelectorAll('[role="option"]')]
      .find((o) => o.textContent.includes(number));
    if (!hit) return;
    window.__searchDrawnAt = performance.now();
    seen.disconnect();
  });
  seen.observe(document.body, { childList: true, subtree: true, characterData: true });
}"""
DRAWN = """() => {
  const drawn = window.__searchDrawnAt;
  const answers = performance.getEntriesByType("resource")
    .filter((e) => e.name.includes("/api/accounts/search") && e.responseEnd <= drawn)
    .map((e) => e.responseEnd);
  const answered = Math.max(...answers);
  return { answered, drawn, ms: drawn - answered, answers: answers.length };
}"""


@pytest.fixture(scope="module")
def district(staff_stack: str) -> dict[str, Any]:
    """A customer with service at one premise, and a vacant premise across town (by API)."""
    csr = {"Authorization": f"Bearer {mint_token('csr1')}"}
    home = {"line1": "5 Cinder Lane", "city": "Riverbend", "state": "CA", "postal_code": "93650"}
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        occupied = _ok(api.post("/api/accounts/premises", headers=csr, json={
            "address": home, "apn": "410-205-05", "kind": "single_family",
            "dwelling_units": 1, "cycle": "C1", "route": "C1-R02"}), 201)
        account = _ok(api.post("/api/accounts/agreements/start", headers=csr, json={
            "start_date": "2026-03-01", "premise_id": occupied["id"],
            "customer": {"kind": "person", "name": NAME, "mailing_address": home,
                         "phones": ["(559) 555-0188"], "emails": [], "language": "en",
                         "paperless": False, "text_messages": False}}), 201)["account"]
        vacant = _ok(api.post("/api/accounts/premises", headers=csr, json={
            "address": {"line1": VACANT, "city": "Riverbend", "state": "CA",
                        "postal_code": "93651"},
            "apn": "410-388-08", "kind": "single_family", "dwelling_units": 1,
            "cycle": "C1", "route": "C1-R03"}), 201)
    return {"account": account, "vacant": vacant}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium(DIST)


def _log_in(browser: Browser, base: str) -> tuple[Page, int]:
    """A logged-in tab, and the compressed size of the JavaScript loaded up to the home page."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    scripts: dict[str, bytes] = {}

    def keep(response: Response) -> None:
        if response.url.endswith(".js") and response.ok:
            scripts[response.url] = response.body()

    page.on("response", keep)
    page.goto(f"{base}/")
    page.get_by_label("Username").fill(CSR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {CSR}")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", keep)
    return page, sum(len(gzip.compress(body, 9)) for body in scripts.values())


def test_csr_finds_a_misspelt_customer_and_starts_service_at_a_vacant_premise(
        staff_stack, district, browser):
    page, login_js = _log_in(browser, staff_stack)
    number = district["account"]["number"]
    print(f"login and search route: {login_js / 1024:.1f} KB of gzip-compressed JavaScript")
    assert login_js < LOGIN_BUDGET

    page.keyboard.press("/")
    page.evaluate(DRAW_TIMER, number)
    search = page.get_by_role("textbox", name="Search accounts")
    search.press_sequentially(TYPO, delay=30)
    typed = time.monotonic()
    hit = page.get_by_role("option").filter(has_text=number).first
    expect(hit).to_be_visible()
    print(f"search hits drawn {1000 * (time.monotonic() - typed):.0f} ms after the last key "
          "(150 ms of it is the debounce)")
    drawn = page.evaluate(DRAWN)
    print(f"search hits drawn {drawn['ms']:.1f} ms after the server's answer arrived "
          f"(issue 11: within 100 ms)")
    (artifacts("perf") / "search_drawn.json").write_text(json.dumps(drawn, indent=2))
    expect(hit).to_contain_text(NAME)
    hit.click()
    expect(page).to_have_url(f"{staff_stack}/accounts/{number}")
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()

    page.get_by_role("button", name="Start service").click()
    form = page.get_by_role("form", name="Start service")
    premise = form.get_by_role("textbox", name=re.compile(r"^Premise"))
    premise.press_sequentially("quartz hollow", delay=30)
    option = page.get_by_role("option").filter(has_text=VACANT)
    expect(option).to_contain_text("vacant")
    option.click()
    expect(form.get_by_test_id("picked-premise")).to_contain_text("vacant")
    form.get_by_role("textbox", name=re.compile(r"^Start date")).fill("2026-12-01")
    form.get_by_role("button", name="Start service").click()

    started = page.get_by_role("alert", name="Service started")
    expect(started).to_contain_text(f"Account {number} for {NAME}")
    expect(started).to_contain_text(re.compile(r"Turn-on order #\d+ for 2026-12-01"))
    expect(started).to_contain_text(VACANT)
    agreements = page.get_by_role("table", name="Service agreements")
    expect(agreements).to_contain_text(VACANT)
    expect(agreements).to_contain_text("5 Cinder Lane")  # still served at home too

    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        sas = _ok(api.get("/api/accounts/agreements",
                          params={"account_id": district["account"]["id"]},
                          headers={"Authorization": f"Bearer {mint_token('csr1')}"}))
    at_vacant = [sa for sa in sas if sa["premise_id"] == district["vacant"]["id"]]
    assert at_vacant and {sa["start_date"] for sa in at_vacant} == {"2026-12-01"}
    assert_accessible(page, "csr-start-service")
    page.close()


def test_a_credit_above_a_csr_is_authority_is_sent_for_approval_and_says_so(
        staff_stack, district, browser):
    page, _ = _log_in(browser, staff_stack)
    number = district["account"]["number"]
    page.keyboard.press("/")  # tokens live in the tab's memory: a reload would log out
    page.keyboard.type(number)
    page.get_by_role("option").filter(has_text=number).first.click()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    page.get_by_role("tab", name="Adjustments").click()
    form = page.get_by_role("form", name="Adjust the balance")
    expect(form).to_contain_text("Your dollar authority: $25.00")
    form.get_by_role("textbox", name=re.compile(r"^Amount")).fill("40.00")
    expect(form.get_by_test_id("adjustment-outcome")).to_contain_text(
        "above your authority of $25.00")
    reason = form.get_by_role("textbox", name=re.compile(r"^Reason(?! code)"))
    reason.fill("meter misread in March")
    reason.press("Enter")
    expect(page.get_by_role("alert", name="Sent for approval")).to_contain_text(
        "approvals queue")
    expect(page.get_by_role("table", name="Adjustments")).to_contain_text("awaiting approval")
    expect(page.get_by_test_id("account-balance")).to_have_text("$0.00")  # nothing posted
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        pending = _ok(api.get("/api/billing/adjustments", params={
            "status": "pending", "account_id": district["account"]["id"]},
            headers={"Authorization": f"Bearer {mint_token('supervisor')}"}))
    assert [(a["amount"], a["requested_by"]) for a in pending] == [("-40.00", CSR)]
    assert_accessible(page, "csr-adjustment-request")

    # Every other tab of Account 360, as the CSR sees it, through axe too.
    page.get_by_role("tab", name="Portal help").click()
    expect(page.get_by_text("No portal login reaches this account yet")).to_be_visible()
    expect(page.get_by_text("Not enrolled in autopay.")).to_be_visible()
    assert_accessible(page, "csr-portal-help")
    for tab in ("Bills", "Usage", "Deposit", "Contacts", "Service"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        expect(page.get_by_role("status")).to_have_count(0)  # loaded (a Loader is a status)
        assert_accessible(page, f"csr-tab-{tab.lower()}")
    page.get_by_role("button", name="Verify identity").click()
    expect(page.get_by_role("form", name="Identity check")).to_be_visible()
    page.get_by_role("button", name="Edit customer").click()
    expect(page.get_by_role("form", name="Edit customer")).to_be_visible()
    assert_accessible(page, "csr-edit-customer")
    page.close()
