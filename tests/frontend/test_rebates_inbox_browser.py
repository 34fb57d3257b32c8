"""Rebates where staff look (issue 15), in Debian's headless Chromium against the live system: a
rebate application a CSR took in waits in the supervisor's one approvals inbox, is approved
there with a note, and Account 360's Rebates tab then shows it approved with its letter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from kernel.settings import REPO_ROOT
from tests.conftest import mint_token
from tests.frontend.axe import assert_accessible
from tests.frontend.browser import chromium, log_in, ok, start_household
from tests.frontend.conftest import PASSWORD

pytestmark = pytest.mark.slow

DIST = REPO_ROOT / "frontend" / "dist" / "index.html"
NAME = "Teodoro Ibarra"
NOTE = "Two ultra-low-flow toilets, receipts attached"


@pytest.fixture(scope="module")
def application(staff_stack: str) -> dict[str, Any]:
    """A single-family customer with water service and a toilet rebate a CSR took in (by API)."""
    csr = {"Authorization": f"Bearer {mint_token('csr1')}"}
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        account = start_household(api, NAME, "715 Sycamore Bend", "410-533-15",
                                  "(559) 555-0171", "teodoro@example.org")
        app = ok(api.post("/api/accounts/rebates/applications",
                          headers={**csr, "Idempotency-Key": "rebate-inbox-browser"},
                          json={"account_id": account["id"], "programme": "toilet",
                                "units": "2", "payment": "credit",
                                "received_on": "2026-03-05", "note": NOTE}), 201)
    assert app["status"] == "pending", app
    return {"account": account, "application": app}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium(DIST)


def _log_in(browser: Browser, base: str, username: str) -> Page:
    return log_in(browser, base, username, PASSWORD, {"width": 1366, "height": 900})


def test_a_rebate_waits_in_the_approvals_inbox_and_account_360_shows_it_approved(
        staff_stack: str, staff_login: Callable[[str], str], application: dict[str, Any],
        browser: Browser) -> None:
    number = application["account"]["number"]
    page = _log_in(browser, staff_stack, staff_login("supervisor"))
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Approvals", exact=True).click()
    inbox = page.get_by_role("table", name="Waiting for your approval")
    row = inbox.get_by_role("row").filter(has_text=NOTE)
    expect(row).to_contain_text("toilet rebate, 2 unit(s) at 715 Sycamore Bend")
    expect(row).to_contain_text("$200.00")
    expect(row.get_by_role("link", name=number)).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile(r"^Rebate \(\d+\)"))).to_have_count(1)
    assert_accessible(page, "approvals-rebate-waiting")

    row.get_by_role("button", name=re.compile(r"^Approve Rebate")).click()
    note = page.get_by_role("dialog").get_by_role("textbox", name=re.compile(r"^Note"))
    note.fill("Receipts seen")
    note.press("Control+Enter")
    expect(page.get_by_role("alert", name="Done")).to_contain_text("Approve: rebate")
    expect(row).to_have_count(0)

    # In-app navigation to the account (tokens live in the tab: a reload would ask again).
    page.evaluate("(n) => { history.pushState({}, '', `/accounts/${n}`);"
                  " dispatchEvent(new PopStateEvent('popstate')); }", number)
    page.get_by_role("tab", name="Rebates").click()
    table = page.get_by_role("table", name="Rebate applications of this account")
    decided = table.get_by_role("row").filter(has_text="2 units, received 2026-03-05")
    expect(decided).to_contain_text("Approved")
    expect(decided).to_contain_text("$200.00")
    expect(decided).to_contain_text("Bill credit")
    expect(decided).to_contain_text("0 scanned")
    expect(decided).to_contain_text("supervisor_browser")
    expect(decided).to_contain_text("Receipts seen")
    expect(decided.get_by_role("button", name=re.compile("^Approval letter of the"))) \
        .to_be_visible()
    assert_accessible(page, "account360-rebates")

    sup = {"Authorization": f"Bearer {mint_token('supervisor')}"}
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        after = ok(api.get(
            f"/api/accounts/rebates/applications/{application['application']['id']}",
            headers=sup))
    assert (after["status"], after["decided_by"], after["reason"]) == (
        "approved", "supervisor_browser", "Receipts seen")
    assert after["letter_id"] is not None
    page.close()
