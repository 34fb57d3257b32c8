"""The Reports page in Debian's headless Chromium against the live system (issue 15): a
billing technician finds every service's catalogue, asks for billing's water-delivered report
of a year as CSV and gets the State's layout, and the page passes the accessibility check."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from kernel.settings import REPO_ROOT
from tests.frontend.axe import assert_accessible
from tests.frontend.browser import chromium
from tests.frontend.conftest import BILLING_TECH, PASSWORD

pytestmark = pytest.mark.slow

DIST = REPO_ROOT / "frontend" / "dist" / "index.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium(DIST)


def test_the_reports_page_lists_every_services_catalogue_and_downloads_a_report(
        billing_stack, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.goto(f"{billing_stack}/")
    page.get_by_label("Username").fill(BILLING_TECH)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {BILLING_TECH}")).to_be_visible()
    page.get_by_role("link", name="Reports").click()
    for service, report in (("Billing", "Billed consumption and revenue"),
                            ("Payments", "Receipts by tender"),
                            ("Collections", "Aging with the month's roll"),
                            ("Accounts", "Deposits held and refunded")):
        section = page.get_by_role("region", name=f"{service} reports")
        expect(section.get_by_role("region", name=report)).to_be_visible()
    ear = page.get_by_role("region", name="Water delivered by customer class (EAR)")
    ear.get_by_label("Year").fill("2026")
    with page.expect_download() as info:
        ear.get_by_role("button", name="CSV: Water delivered by customer class (EAR)").click()
    download = info.value
    assert download.suggested_filename == "water-delivered-2026.csv"
    path = download.path()
    assert path is not None
    rows = list(csv.reader(io.StringIO(path.read_text())))
    assert rows[0][:3] == ["Month", "Single-family residential", "Multi-family residential"]
    assert [r[0] for r in rows[1:]] == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                        "Aug", "Sep", "Oct", "Nov", "Dec", "Total"]
    assert_accessible(page, "reports-catalogue")
    page.close()
