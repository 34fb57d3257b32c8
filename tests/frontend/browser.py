"""What every browser test needs: Debian's chromium through Playwright, and small waits and
checks over the live stack's API (one copy, for the staff app's and the portal's tests)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from tests.conftest import mint_token


def require(ok: bool, why: str) -> None:
    """A missing browser or build skips on a developer's machine and fails in CI."""
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)


def ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, (r.request.url, r.status_code, r.text)
    return r.json()


def eventually(what: str, fn: Callable[[], Any], seconds: float = 60.0,
               every: float = 0.2) -> Any:
    """`fn()` until it answers something other than None (events take a moment to arrive)."""
    deadline = time.monotonic() + seconds
    while (result := fn()) is None:
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(every)
    return result


def money(amount: Decimal) -> str:
    """As the staff app shows it: -$1,234.50."""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def chromium(build: Path) -> Iterator[Browser]:
    """Headless Debian chromium for a module's tests (a fixture yields from this)."""
    executable = shutil.which("chromium")
    require(executable is not None, "Debian's chromium is not installed (make test installs it)")
    require(build.exists(), f"frontend/dist/{build.name} is not built (make frontend)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True,
                              args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            yield b
        finally:
            b.close()


def log_in(browser: Browser, base: str, username: str, password: str,
           viewport: ViewportSize | None = None) -> Page:
    """A new tab logged in to the staff app (tokens live in a tab's memory: each flow logs in)."""
    page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900})
    page.goto(f"{base}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {username}")).to_be_visible()
    return page


def start_household(api: httpx.Client, name: str, line1: str, apn: str, phone: str,
                    email: str, **customer: Any) -> dict[str, Any]:
    """A single-family premise in Riverbend (cycle C1) and a customer's water service started
    there on 2026-03-01 by a CSR, through the API; `customer` overrides the customer's
    language, paperless and text-message choices. Returns the new account."""
    csr = {"Authorization": f"Bearer {mint_token('csr1')}"}
    home = {"line1": line1, "city": "Riverbend", "state": "CA", "postal_code": "93650"}
    premise = ok(api.post("/api/accounts/premises", headers=csr, json={
        "address": home, "apn": apn, "kind": "single_family", "dwelling_units": 1,
        "cycle": "C1", "route": "C1-R05"}), 201)
    person = {"kind": "person", "name": name, "mailing_address": home, "phones": [phone],
              "emails": [email], "language": "en", "paperless": False,
              "text_messages": False, **customer}
    return dict(ok(api.post("/api/accounts/agreements/start", headers=csr, json={
        "start_date": "2026-03-01", "premise_id": premise["id"], "customer": person}),
        201)["account"])
