"""The staff app in Debian's headless Chromium, driven by Playwright, against the live system.

Playwright's own browser download is not reachable from our machines, so it drives the system
`chromium` (`make test` installs it with apt). Without a browser or a built app the test is
skipped on a developer's machine and fails in CI, where `make test` provides both.
"""

from __future__ import annotations

import os
import shutil
import time
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from kernel.settings import REPO_ROOT
from tapline.demo import DEMO_PASSWORD

pytestmark = pytest.mark.slow

#: Seconds for the demo district's events (some 15,000) to reach the other services' copies.
COPY_WAIT = 180

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


def _token(base: str, username: str) -> dict[str, str]:
    r = httpx.post(f"{base}/api/auth/token",
                   data={"username": username, "password": DEMO_PASSWORD})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _pay_at_counter(base: str, auth: dict[str, str], number: str, amount: str) -> None:
    drawer = httpx.post(f"{base}/api/payments/drawers", json={"float_amount": "50.00"},
                        headers=auth)
    drawer.raise_for_status()
    paid = httpx.post(
        f"{base}/api/payments/drawers/{drawer.json()['id']}/payments",
        headers={**auth, "Idempotency-Key": f"browser-test-{number}"},
        json={"account_number": number, "amount": amount, "tender": "cash"})
    paid.raise_for_status()


def _ledger_balance(base: str, auth: dict[str, str], account_id: str,
                    until: Decimal | None = None) -> Decimal:
    deadline = time.monotonic() + COPY_WAIT
    while True:
        r = httpx.get(f"{base}/api/billing/ledger/accounts/{account_id}", headers=auth)
        balance = Decimal(r.json()["balance"]) if r.status_code == 200 else None
        if balance is not None and (until is None or balance == until):
            return balance
        if time.monotonic() > deadline:
            raise AssertionError(f"ledger balance {balance}, waited for {until}")
        time.sleep(0.3)


def _counter_account(base: str, auth: dict[str, str], number: str) -> None:
    """Payments learns of accounts through events; wait until its copy has this one."""
    deadline = time.monotonic() + COPY_WAIT
    while httpx.get(f"{base}/api/payments/accounts/{number}", headers=auth).status_code != 200:
        if time.monotonic() > deadline:
            raise AssertionError(f"payments never heard of account {number}")
        time.sleep(0.3)


def test_csr_finds_an_account_with_slash_search_and_sees_its_balance(demo_stack, tmp_path):
    chromium = shutil.which("chromium")
    _require(chromium is not None, "Debian's chromium is not installed (make test installs it)")
    _require(DIST.exists(), "frontend/dist is not built (make frontend)")
    from playwright.sync_api import expect, sync_playwright

    base = demo_stack
    auth = _token(base, "csr1")
    hit = next(h for h in httpx.get(f"{base}/api/accounts/search", headers=auth,
                                    params={"q": "Magnolia", "entity": "account"}).json()
               if h["account_number"])
    number = hit["account_number"]
    account_id = httpx.get(f"{base}/api/accounts/accounts/by-number/{number}",
                           headers=auth).json()["id"]
    started = time.monotonic()
    before = _ledger_balance(base, auth, account_id)
    print(f"billing's copy had the account after {time.monotonic() - started:.1f} s")
    _counter_account(base, auth, number)
    _pay_at_counter(base, auth, number, "12.34")
    after = _ledger_balance(base, auth, account_id, until=before - Decimal("12.34"))
    print(f"payment in billing's ledger after {time.monotonic() - started:.1f} s")
    started = time.monotonic()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{base}/")
            page.get_by_label("Username").fill("csr1")
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name="Welcome, csr1")).to_be_visible()
            # Navigation by role: a CSR I has the counter, no approvals.
            expect(page.get_by_role("link", name="Counter")).to_be_visible()

            page.keyboard.press("/")
            search = page.get_by_role("textbox", name="Search accounts")
            expect(search).to_be_focused()
            search.press_sequentially(hit["title"][:12], delay=30)
            page.get_by_role("option").filter(has_text=number).first.click()

            expect(page).to_have_url(f"{base}/accounts/{number}")
            expect(page.get_by_text(number).first).to_be_visible()
            expect(page.get_by_test_id("account-balance")).to_have_text(money(after))
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
