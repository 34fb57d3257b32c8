"""Conservation rebates in the staff app (issue 15), in Debian's headless Chromium against the
live system: a CSR takes in a customer's toilet rebate form with its scan, a supervisor approves
it in the Rebates screen, and billing's ledger (through the relay) holds the rebate as one bill
credit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from kernel.settings import REPO_ROOT
from tests.conftest import mint_token
from tests.frontend.axe import assert_accessible
from tests.frontend.browser import chromium, eventually, log_in, ok, start_household
from tests.frontend.conftest import CSR, PASSWORD

pytestmark = pytest.mark.slow

DIST = REPO_ROOT / "frontend" / "dist" / "index.html"
NAME = "Inés Valdivia"


@pytest.fixture(scope="module")
def household(staff_stack: str) -> dict[str, Any]:
    """A single-family customer with water service (made by API)."""
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        return start_household(api, NAME, "48 Manzanita Way", "410-522-48", "(559) 555-0148",
                               "ines@example.org")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium(DIST)


def _log_in(browser: Browser, base: str, username: str) -> Page:
    return log_in(browser, base, username, PASSWORD, {"width": 1366, "height": 900})


def test_a_csr_takes_in_a_rebate_form_and_a_supervisor_approves_it_as_a_bill_credit(
        staff_stack: str, staff_login: Callable[[str], str], household: dict[str, Any],
        browser: Browser) -> None:
    number = household["number"]
    page = _log_in(browser, staff_stack, CSR)
    page.get_by_role("link", name="Rebates").click()
    expect(page.get_by_role("heading", name="Conservation rebates")).to_be_visible()
    page.get_by_role("tab", name="Take in a form").click()
    form = page.get_by_role("form", name="Take in a rebate form")
    form.get_by_role("textbox", name=re.compile("^Account number")).fill(number)
    expect(form).to_contain_text(f"Account {number} (active)")
    expect(form).to_contain_text("$100.00 per toilet, at most 2 toilets")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "toilet-rebate.pdf", "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4 rebate form"}])
    units = form.get_by_role("textbox", name=re.compile("^Units"))
    units.fill("2")
    units.press("Enter")
    expect(page.get_by_text("Waiting for approval: $200.00")).to_be_visible()
    assert_accessible(page, "rebates-intake")
    # a CSR I ($25 authority) does not approve it; the server would refuse anyway
    page.get_by_role("tab", name="Applications").click()
    row = page.get_by_role("table", name="Rebate applications").get_by_role("row").filter(
        has_text=number)
    expect(row).to_contain_text("Waiting for approval")
    expect(row).to_contain_text("1")  # the scanned form
    page.close()

    page = _log_in(browser, staff_stack, staff_login("supervisor"))
    page.get_by_role("link", name="Rebates").click()
    page.get_by_role("button", name=f"Approve {number}'s rebate").click()
    dialog = page.get_by_role("form", name="Approve rebate")
    dialog.get_by_role("textbox", name=re.compile("^Note")).fill("Receipt and photo seen")
    dialog.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("button", name=f"Approve {number}'s rebate")).to_have_count(0)
    page.locator("label[for$='-approved']").click()  # the filter's "Approved" segment
    row = page.get_by_role("table", name="Rebate applications").get_by_role("row").filter(
        has_text=number)
    expect(row).to_contain_text("Approved")
    expect(row.get_by_role("button", name=f"{number}'s letter")).to_be_visible()
    assert_accessible(page, "rebates-approved")
    page.close()

    sup = {"Authorization": f"Bearer {mint_token('supervisor')}"}

    def credited() -> list[dict[str, Any]] | None:
        with httpx.Client(base_url=staff_stack, timeout=30) as api:
            entries = ok(api.get(f"/api/billing/ledger/accounts/{household['id']}",
                                 headers=sup))["entries"]
        found = [e for e in entries if e["kind"] == "rebate_credit"]
        return found or None

    (entry,) = eventually("billing's rebate credit", credited)
    assert Decimal(entry["amount"]) == Decimal("-200.00")
