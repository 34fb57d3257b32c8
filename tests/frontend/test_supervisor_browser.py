"""The supervisor's day in the staff app, in Debian's headless Chromium against the live system:
a CSR I asks for a credit above their dollar authority (it waits), the supervisor approves it
from the one approvals inbox and it reaches the account's ledger; the supervisor signs off a
cashier's closed drawer there too. Nobody sees their own request as approvable.
"""

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
from tests.conftest import mint_token
from tests.frontend.axe import assert_accessible
from tests.frontend.browser import chromium, log_in
from tests.frontend.browser import eventually as _eventually
from tests.frontend.browser import ok as _ok
from tests.frontend.conftest import CSR, PASSWORD

pytestmark = pytest.mark.slow

DIST = REPO_ROOT / "frontend" / "dist" / "index.html"
SUPERVISOR = "sup_browser"
SUP_PASSWORD = "supervisor-browser-password"
ADMIN = "admin_browser"
ADMIN_PASSWORD = "administrator-browser-password"
NAME = "Imelda Castellanos"
CREDIT = Decimal("-60.00")  # above a CSR I's $25.00, within a supervisor's $1,000.00








def _login(api: httpx.Client, username: str, password: str) -> dict[str, str]:
    """A real login through the gateway: the request is recorded under the person's name."""
    tokens = _ok(api.post("/api/auth/token", data={"grant_type": "password",
                                                   "username": username,
                                                   "password": password}))
    return {"Authorization": f"Bearer {tokens['access_token']}"}


@pytest.fixture(scope="module")
def day(staff_stack: str) -> dict[str, Any]:
    """A supervisor login (made by an administrator), a customer, the CSR I's pending credit,
    and the CSR I's closed drawer, all through the API."""
    admin = {"Authorization": f"Bearer {mint_token('admin')}"}
    address = {"line1": "40 Sycamore Lane", "city": "Riverbend", "state": "CA",
               "postal_code": "93650"}
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        _ok(api.post("/api/auth/users", headers=admin, json={
            "username": SUPERVISOR, "display_name": "Sam Supervisor", "role": "supervisor",
            "password": SUP_PASSWORD}), 201)
        _ok(api.post("/api/auth/users", headers=admin, json={
            "username": ADMIN, "display_name": "Ada Admin", "role": "admin",
            "password": ADMIN_PASSWORD}), 201)
        csr = _login(api, CSR, PASSWORD)
        premise = _ok(api.post("/api/accounts/premises", headers=csr, json={
            "address": address, "apn": "410-040-01", "kind": "single_family",
            "dwelling_units": 1, "cycle": "C1", "route": "C1-R01"}), 201)
        account = _ok(api.post("/api/accounts/agreements/start", headers=csr, json={
            "start_date": "2026-02-01", "premise_id": premise["id"],
            "customer": {"kind": "person", "name": NAME, "mailing_address": address,
                         "phones": ["(559) 555-0177"], "emails": [], "language": "en",
                         "paperless": False, "text_messages": False}}), 201)["account"]

        def ask() -> dict[str, Any] | None:
            r = api.post("/api/billing/adjustments", headers=csr, json={
                "account_id": account["id"], "amount": str(CREDIT), "reason_code": "leak",
                "reason": "Leak under the slab, repaired"})
            if r.status_code == 404:  # billing has not heard of the account yet
                return None
            return _ok(r, 201)  # type: ignore[no-any-return]

        adjustment = _eventually("billing's copy of the account", ask)
        number = account["number"]
        _eventually("payments' copy of the account", lambda: api.get(
            f"/api/payments/accounts/{number}", headers=csr).status_code == 200 or None)
        drawer = _ok(api.post("/api/payments/drawers", headers=csr,
                              json={"float_amount": "50.00"}), 201)
        _ok(api.post(f"/api/payments/drawers/{drawer['id']}/payments",
                     headers={**csr, "Idempotency-Key": f"sup-browser-{number}"},
                     json={"account_number": number, "amount": "10.00", "tender": "cash"}), 201)
        closed = _ok(api.post(f"/api/payments/drawers/{drawer['id']}/close", headers=csr,
                              json={"counts": {"20": 3}}))
    # A CSR I could not make this credit: it waits for an approver.
    assert (adjustment["status"], adjustment["requested_by"]) == ("pending", CSR)
    assert (closed["status"], closed["over_short"]) == ("closed", "0.00")
    return {"account": account, "adjustment": adjustment, "drawer": closed}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium(DIST)


def _log_in(browser: Browser, base: str, username: str, password: str) -> Page:
    return log_in(browser, base, username, password, {"width": 1280, "height": 800})


def _nav(page: Page, label: str) -> Any:
    """A screen's link in the main navigation (the home page may link to it as well)."""
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=label,
                                                                   exact=True)


def _credits(api: httpx.Client, account_id: str) -> list[dict[str, Any]] | None:
    """The account's leak credits in billing's ledger (a leak adjustment posts as one)."""
    led = api.get(f"/api/billing/ledger/accounts/{account_id}",
                  headers={"Authorization": f"Bearer {mint_token('csr1')}"})
    if led.status_code != 200:
        return None
    found = [e for e in led.json()["entries"] if e["kind"] == "leak_credit"]
    return found or None


def test_a_csr_i_has_no_approvals_inbox(staff_stack, day, browser):
    page = _log_in(browser, staff_stack, CSR, PASSWORD)
    expect(_nav(page, "Cashiering")).to_be_visible()
    expect(_nav(page, "Approvals")).to_have_count(0)
    # A deep link (tokens live in the tab, so in-app navigation) says the screen is not theirs.
    page.evaluate("() => { history.pushState({}, '', '/approvals');"
                  " dispatchEvent(new PopStateEvent('popstate')); }")
    expect(page.get_by_text("Your role cannot use this screen.")).to_be_visible()
    page.close()


def test_supervisor_approves_the_csr_i_credit_and_signs_off_the_drawer(staff_stack, day,
                                                                       browser):
    started = time.monotonic()
    page = _log_in(browser, staff_stack, SUPERVISOR, SUP_PASSWORD)
    _nav(page, "Approvals").click()
    inbox = page.get_by_role("table", name="Waiting for your approval")
    row = inbox.get_by_role("row").filter(has_text="Leak under the slab, repaired")
    expect(row).to_contain_text("-$60.00")
    expect(row).to_contain_text(CSR)
    expect(row.get_by_role("link", name=day["account"]["number"])).to_be_visible()
    print(f"login to a filled approvals inbox: {time.monotonic() - started:.1f} s")

    row.get_by_role("button", name=re.compile(r"^Approve Adjustment")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("alert", name="Done")).to_contain_text("Approve: adjustment")
    expect(row).to_have_count(0)
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        entries = _eventually("the approved credit in billing's ledger",
                              lambda: _credits(api, day["account"]["id"]))
        approved = _ok(api.get(f"/api/billing/adjustments/{day['adjustment']['id']}",
                               headers={"Authorization": f"Bearer {mint_token('csr1')}"}))
    assert [Decimal(e["amount"]) for e in entries] == [CREDIT]
    assert approved["entry_id"] == entries[0]["id"]
    assert (approved["status"], approved["approved_by"]) == ("posted", SUPERVISOR)

    drawer = inbox.get_by_role("row").filter(has_text=f"Drawer of {CSR}")
    drawer.get_by_role("button", name=re.compile(r"^Sign off Drawer")).click()
    note = page.get_by_role("dialog").get_by_role("textbox", name=re.compile(r"^Note"))
    note.fill("Counted with the cashier: even")
    note.press("Control+Enter")  # the note's form submits from the keyboard
    expect(page.get_by_role("alert", name="Done")).to_contain_text("Sign off: drawer")
    expect(drawer).to_have_count(0)
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        signed = _ok(api.get(f"/api/payments/drawers/{day['drawer']['id']}",
                             headers={"Authorization": f"Bearer {mint_token('supervisor')}"}))
    assert (signed["status"], signed["signed_off_by"]) == ("signed_off", SUPERVISOR)
    assert signed["sign_off_note"] == "Counted with the cashier: even"
    assert_accessible(page, "supervisor-approvals")

    _nav(page, "Cashiering").click()
    page.get_by_role("tab", name="End of day").click()
    expect(page.get_by_role("table", name="Drawers of the day")).to_contain_text(SUPERVISOR)
    assert_accessible(page, "cashiering-day-end")
    page.close()


def test_every_cashiering_tab_is_accessible_to_the_supervisor(staff_stack, day, browser):
    page = _log_in(browser, staff_stack, SUPERVISOR, SUP_PASSWORD)
    _nav(page, "Cashiering").click()
    for tab, shows in (("Mail batches", "Batches"), ("Lockbox", "Suspense queue"),
                       ("Returns", "Returned payments"), ("Refunds", "Check requests"),
                       ("Bank deposits", "Prepare a deposit"), ("End of day", "By tender")):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("heading", name=shows)).to_be_visible()
        assert_accessible(page, f"cashiering-{tab.lower().replace(' ', '-')}")
    # The CSR's closed drawer waits in the bank deposit's worklist.
    page.get_by_role("tab", name="Bank deposits").click()
    expect(page.get_by_role("table", name="Ready for a deposit")).to_contain_text(CSR)
    page.close()


def test_an_administrator_sees_users_authority_and_parked_events(staff_stack, day, browser):
    page = _log_in(browser, staff_stack, ADMIN, ADMIN_PASSWORD)
    _nav(page, "Admin").click()
    users = page.get_by_role("table", name="Users")
    expect(users).to_contain_text(SUPERVISOR)
    assert_accessible(page, "admin-users")
    page.get_by_role("tab", name="Dollar authority").click()
    row = page.get_by_role("table", name="Dollar authority").get_by_role("row").filter(
        has_text="Customer Service Representative I").first
    expect(row).to_contain_text("$25.00")
    assert_accessible(page, "admin-authority")
    page.get_by_role("tab", name="Parked events").click()
    for service in ("accounts", "billing", "payments", "collections"):
        expect(page.get_by_role("heading", name=service, exact=True)).to_be_visible()
    assert_accessible(page, "admin-parked-events")
    page.close()
