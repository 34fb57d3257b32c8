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
from playwright.sync_api import Browser, sync_playwright


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
