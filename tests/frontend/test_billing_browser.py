"""The billing screens in Debian's headless Chromium against the live system (issue 11): a
billing technician imports a route file, previews the cycle's run, opens a bill and its
explanation and submits the run; a supervisor approves and finalises it, and the ledger holds
the bill. Real logins through the gateway; the data the screens start from (rates, a premise
with a meter, a customer) is made through the API, as the district's setup would be."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from kernel.settings import REPO_ROOT
from tests.billing.helpers import RATES
from tests.conftest import mint_token
from tests.frontend.axe import assert_accessible
from tests.frontend.browser import chromium, log_in, money
from tests.frontend.browser import eventually as _eventually
from tests.frontend.browser import ok as _ok
from tests.frontend.conftest import BILLING_TECH, PASSWORD, SUPERVISOR

pytestmark = pytest.mark.slow

DIST = REPO_ROOT / "frontend" / "dist" / "index.html"
CYCLE = "BRW"
SERIAL = "BRW0000001"
NAME = "Ramona Quintero"










def _h(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(role)}"}


@pytest.fixture(scope="module")
def district(billing_stack: str) -> dict[str, Any]:
    """Rates, a house in cycle BRW with a meter read 100 at installation, and a customer who
    started service on 1 February; billing has heard of the meter and the account."""
    csr, tech = _h("csr1"), _h("billing_tech")
    address = {"line1": "5 Heron Court", "city": "Riverbend", "state": "CA",
               "postal_code": "93650"}
    houses = {"service": "water", "rate_class": "RES-SF", "blocks": [
        {"width": "10", "price": "3.00"}, {"width": None, "price": "4.00"}]}
    with httpx.Client(base_url=billing_stack, timeout=30) as api:
        _ok(api.post("/api/billing/rates/versions", headers=tech,
                     json={**RATES, "classes": [*RATES["classes"], houses]}), 201)
        premise = _ok(api.post("/api/accounts/premises", headers=csr, json={
            "address": address, "apn": "410-055-01", "kind": "single_family",
            "dwelling_units": 1, "cycle": CYCLE, "route": f"{CYCLE}-R01"}), 201)
        meter = _ok(api.post("/api/accounts/meters", headers=tech, json={
            "serial": SERIAL, "size": "5/8", "dials": 6, "unit": "HCF"}), 201)
        _ok(api.post(f"/api/accounts/meters/{meter['id']}/install", headers=tech, json={
            "premise_id": premise["id"], "on_date": "2026-01-02", "read": "100"}))
        account = _ok(api.post("/api/accounts/agreements/start", headers=csr, json={
            "start_date": "2026-02-01", "premise_id": premise["id"],
            "customer": {"kind": "person", "name": NAME, "mailing_address": address,
                         "phones": ["(559) 555-0177"], "emails": [], "language": "en",
                         "paperless": False, "text_messages": False}}), 201)["account"]
        _eventually("billing's copy of the meter", lambda: api.get(
            f"/api/billing/reads/ami/{meter['id']}/daily", headers=tech,
            params={"start": "2026-01-01", "end": "2026-01-02"}).status_code == 200 or None)
        _eventually("billing's copy of the account", lambda: api.get(
            f"/api/billing/ledger/accounts/{account['id']}",
            headers=tech).status_code == 200 or None)
    return {"account_id": account["id"], "number": account["number"]}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium(DIST)


def _log_in(browser: Browser, base: str, username: str) -> Page:
    return log_in(browser, base, username, PASSWORD, {"width": 1280, "height": 900})


def test_technician_imports_and_previews_supervisor_approves_and_finalises(
        billing_stack, district, browser):
    started = time.monotonic()
    # The technician imports the route file: the house used 12 HCF in February.
    page = _log_in(browser, billing_stack, BILLING_TECH)
    page.get_by_role("link", name="Meter reads").click()
    page.locator("input[type=file]").set_input_files(files=[{
        "name": "route-BRW-2026-02.csv", "mimeType": "text/csv",
        "buffer": f"meter_serial,read_date,reading\n{SERIAL},2026-02-28,112\n".encode()}])
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Import finished")).to_contain_text(
        "1 read accepted.")
    assert_accessible(page, "billing-read-import")
    page.get_by_role("tab", name="Exceptions").click()
    expect(page.get_by_text("Nothing to work.")).to_be_visible()  # the read was valid
    expect(page.get_by_role("textbox", name=re.compile("^High use factor"))).to_have_value("2.5")
    assert_accessible(page, "billing-read-exceptions")

    # The preview: every bill of the cycle calculated, nothing posted.
    page.get_by_role("link", name="Bill runs").click()
    form = page.get_by_role("form", name="Preview a bill run")
    form.get_by_label("Cycle").fill(CYCLE)
    form.get_by_label("Period from").fill("2026-02-01")
    form.get_by_label("Period to").fill("2026-02-28")
    form.get_by_label("Bill date").fill("2026-03-02")
    form.get_by_label("Bill date").press("Enter")  # every form submits with Enter
    expect(page).to_have_url(re.compile(rf"{billing_stack}/billing/runs/[0-9a-f-]{{36}}$"))
    run_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_test_id("run-status")).to_have_text("preview")
    expect(page.get_by_test_id("run-bills")).to_have_text("1")
    total = page.get_by_test_id("run-total").inner_text()

    # Drill down: the bill, its lines and how it was computed.
    page.get_by_role("switch", name="Flagged bills only").uncheck()
    page.get_by_role("button", name=f"Open bill of account {district['number']}").click()
    drawer = page.get_by_role("dialog")
    expect(drawer.get_by_role("table", name="Bill lines")).to_contain_text("RES-SF")
    expect(drawer.get_by_role("list", name="Explanation")).not_to_be_empty()
    expect(drawer).to_contain_text(total)
    assert_accessible(page, "billing-bill-explain")
    page.keyboard.press("Escape")

    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_test_id("run-status")).to_have_text("prepared")
    expect(page.get_by_role("button", name="Approve run")).to_have_count(0)  # not their own
    assert_accessible(page, "billing-run-prepared")

    # The rates in force, and the form for the next version (prices offered for editing).
    page.get_by_role("link", name="Rates").click()
    expect(page.get_by_role("table", name="Rate schedule versions")).to_contain_text("FY2026")
    page.get_by_role("button", name="Create next version").click()
    expect(page.get_by_role("form", name="Next rate schedule version")).to_be_visible()
    assert_accessible(page, "billing-rates-next")
    page.get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name="Log out").click()
    page.close()

    # The supervisor finds it awaiting approval, approves and finalises it.
    page = _log_in(browser, billing_stack, SUPERVISOR)
    page.get_by_role("link", name="Bill runs").click()
    runs = page.get_by_role("table", name="Bill runs")
    expect(runs).to_contain_text(CYCLE)
    assert_accessible(page, "billing-runs-awaiting-approval")
    runs.get_by_role("link", name=re.compile(rf"^{CYCLE}, 2026-02-01")).click()
    expect(page).to_have_url(f"{billing_stack}/billing/runs/{run_id}")
    page.get_by_role("button", name="Approve run").click()
    page.get_by_role("dialog").get_by_role("button", name="Approve run").click()
    expect(page.get_by_test_id("run-status")).to_have_text("approved")
    page.get_by_role("button", name="Finalise run").click()
    page.get_by_role("dialog").get_by_role("button", name="Finalise run").click()
    expect(page.get_by_role("alert").filter(has_text="Run finalised")).to_contain_text(total)
    expect(page.get_by_test_id("run-status")).to_have_text("finalised")

    page.get_by_role("tab", name="Totals by class").click()
    expect(page.get_by_role("table", name="Consumption by class")).to_contain_text("RES-SF")
    expect(page.get_by_role("figure", name="Run totals by class").locator(
        ".recharts-bar-rectangle").first).to_be_visible()
    print(f"import to finalised run in the browser: {time.monotonic() - started:.1f} s")

    with httpx.Client(base_url=billing_stack, timeout=30) as api:
        run = _ok(api.get(f"/api/billing/runs/{run_id}", headers=_h("supervisor")))
        ledger = _ok(api.get(f"/api/billing/ledger/accounts/{district['account_id']}",
                             headers=_h("supervisor")))
    assert (run["status"], run["prepared_by"], run["approved_by"]) == (
        "finalised", BILLING_TECH, SUPERVISOR)
    assert money(Decimal(run["total"])) == total
    assert Decimal(ledger["balance"]) == Decimal(run["total"]) > 0
    assert_accessible(page, "billing-run-finalised")

    page.get_by_role("link", name="Reports").click()
    reports = page.get_by_role("region", name="Bill run reports")
    reports.get_by_label("Run").click()
    page.get_by_role("option", name=re.compile(rf"^{CYCLE}, 2026-02-01")).click()
    expect(reports.get_by_role("table", name="Consumption by class")).to_contain_text("RES-SF")
    assert_accessible(page, "billing-reports")
    page.close()
