"""The staff app in Debian's headless Chromium, driven by Playwright, against the live system.

Playwright's own browser download is not reachable from our machines, so it drives the system
`chromium` (`make test` installs it with apt). Without a browser or a built app the test is
skipped on a developer's machine and fails in CI, where `make test` provides both.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from kernel.settings import REPO_ROOT
from tests.conftest import mint_token
from tests.frontend.conftest import CSR, PASSWORD

pytestmark = pytest.mark.slow

DIST = REPO_ROOT / "frontend" / "dist" / "index.html"


def _require(ok: bool, why: str) -> None:
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)


def money(amount: Decimal) -> str:
    """As the app shows it: -$1,234.50."""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def _ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, (r.request.url, r.status_code, r.text)
    return r.json()


def _eventually(what: str, fn: Callable[[], Any], seconds: float = 60.0) -> Any:
    deadline = time.monotonic() + seconds
    while (result := fn()) is None:
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.2)
    return result


def _customer_paid_at_counter(api: httpx.Client) -> tuple[str, str, Decimal]:
    """A customer who started service and paid $12.34 at the counter: (name, account number,
    ledger balance). Payments and billing learn of the account through events."""
    csr = {"Authorization": f"Bearer {mint_token('csr1')}"}
    address = {"line1": "17 Magnolia Way", "city": "Riverbend", "state": "CA",
               "postal_code": "93650"}
    premise = _ok(api.post("/api/accounts/premises", headers=csr, json={
        "address": address, "apn": "410-017-01", "kind": "single_family", "dwelling_units": 1,
        "cycle": "C1", "route": "C1-R01"}), 201)
    started = _ok(api.post("/api/accounts/agreements/start", headers=csr, json={
        "start_date": "2026-02-01", "premise_id": premise["id"],
        "customer": {"kind": "person", "name": "Guadalupe Okafor", "mailing_address": address,
                     "phones": ["(559) 555-0142"], "emails": [], "language": "en",
                     "paperless": False, "text_messages": False}}), 201)
    account = started["account"]
    number = account["number"]
    _eventually("payments' copy of the account", lambda: api.get(
        f"/api/payments/accounts/{number}", headers=csr).status_code == 200 or None)
    drawer = _ok(api.post("/api/payments/drawers", headers=csr,
                          json={"float_amount": "50.00"}), 201)
    _ok(api.post(f"/api/payments/drawers/{drawer['id']}/payments",
                 headers={**csr, "Idempotency-Key": f"browser-{number}"},
                 json={"account_number": number, "amount": "12.34", "tender": "cash"}), 201)

    def credited() -> Decimal | None:
        r = api.get(f"/api/billing/ledger/accounts/{account['id']}", headers=csr)
        return Decimal(r.json()["balance"]) if r.status_code == 200 and any(
            e["kind"] == "payment" for e in r.json()["entries"]) else None

    return "Guadalupe Okafor", number, _eventually("the payment in billing's ledger", credited)


def test_csr_finds_an_account_with_slash_search_and_sees_its_balance(staff_stack, tmp_path):
    chromium = shutil.which("chromium")
    _require(chromium is not None, "Debian's chromium is not installed (make test installs it)")
    _require(DIST.exists(), "frontend/dist is not built (make frontend)")
    from playwright.sync_api import expect, sync_playwright

    base = staff_stack
    with httpx.Client(base_url=base, timeout=30) as api:
        name, number, balance = _customer_paid_at_counter(api)
    assert balance == Decimal("-12.34")
    started = time.monotonic()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{base}/")
            page.get_by_label("Username").fill(CSR)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name=f"Welcome, {CSR}")).to_be_visible()
            # Navigation by role: a CSR I has the counter, no approvals.
            expect(page.get_by_role("link", name="Counter")).to_be_visible()

            page.keyboard.press("/")
            search = page.get_by_role("textbox", name="Search accounts")
            expect(search).to_be_focused()
            search.press_sequentially("guadalupe okafor", delay=30)
            page.get_by_role("option").filter(has_text=number).first.click()

            expect(page).to_have_url(f"{base}/accounts/{number}")
            expect(page.get_by_role("heading", name=name)).to_be_visible()
            expect(page.get_by_text(number).first).to_be_visible()
            expect(page.get_by_test_id("account-balance")).to_have_text(money(balance))
            page.get_by_role("tab", name="Payments").click()
            expect(page.get_by_role("table", name="Payments")).to_contain_text("-$12.34")
            page.screenshot(path=str(_results(tmp_path) / "account-360.png"), full_page=True)
        finally:
            browser.close()
    print(f"browser steps took {time.monotonic() - started:.1f} s")


def _results(tmp_path: Path) -> Path:
    """Screenshots of each flow's last step, kept with the run's logs."""
    folder = Path(os.environ.get("TAPLINE_DATA_DIR", tmp_path)) / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
