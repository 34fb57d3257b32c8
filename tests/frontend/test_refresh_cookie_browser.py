"""In a real browser, the staff app's refresh token is an HttpOnly, SameSite=Strict cookie on
/api/auth that the page's scripts cannot read; the app refreshes with it, and logout clears it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from kernel.settings import REPO_ROOT
from tests.frontend.axe import assert_accessible
from tests.frontend.browser import chromium
from tests.frontend.conftest import CSR, PASSWORD

pytestmark = pytest.mark.slow

DIST = REPO_ROOT / "frontend" / "dist" / "index.html"
COOKIE = "tapline_refresh_staff"

# The page's own script asking for a refresh, with or without the app's header.
REFRESH = """async (withHeader) => {
  const r = await fetch('/api/auth/refresh', {method: 'POST',
    headers: withHeader ? {'X-Tapline-Session': 'staff'} : {}});
  return {status: r.status, body: await r.text()};
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium(DIST)


def _cookie(page: Page) -> dict[str, Any] | None:
    found = [c for c in page.context.cookies() if c["name"] == COOKIE]
    return dict(found[0]) if found else None


def test_the_refresh_token_is_a_cookie_no_script_can_read_and_logout_clears_it(staff_stack,
                                                                                browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{staff_stack}/")
    page.get_by_label("Username").fill(CSR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {CSR}")).to_be_visible()

    cookie = _cookie(page)
    assert cookie is not None
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/api/auth"
    assert page.evaluate("document.cookie") == ""  # invisible to every script on the page
    assert page.evaluate("JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage})"
                         ).count("refresh") == 0

    # the browser sends the cookie to the refresh route, and only with the app's header counts
    refused = page.evaluate(REFRESH, False)
    assert refused["status"] == 422
    answered = page.evaluate(REFRESH, True)
    assert answered["status"] == 200, answered["body"]
    assert '"refresh_token":null' in answered["body"].replace(" ", "")
    rotated = _cookie(page)
    assert rotated is not None and rotated["value"] != cookie["value"]

    # logging out in the app ends the session on the server and clears the cookie
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    assert _cookie(page) is None  # cleared by the gateway's answer to logout
    assert page.evaluate(REFRESH, True)["status"] == 401
    assert_accessible(page, "logged-out")
    context.close()
