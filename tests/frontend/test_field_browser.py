"""The field technician's phone and the CSR II's call list, in Debian's headless Chromium against
the live system (see test_staff_app_browser.py for why the system browser).

A customer is billed for February through the real services (rates, a meter, a read, an
account run dated 1 March, approved and finalised), so collections' copy has them past due
today; a re-read order at their premise is dispatched to the technician. Then:

- the technician, on a 390×844 phone viewport, opens the worklist, finds the route with the
  stop, and completes it with a read (Enter submits), which accounts records;
- the CSR II opens the call list, finds the account, and logs a promise to pay, which holds
  the ladder until its date.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from kernel.clock import utility_today
from tests.billing.helpers import RATES
from tests.conftest import mint_token
from tests.frontend.axe import assert_accessible
from tests.frontend.browser import eventually as _eventually
from tests.frontend.browser import log_in
from tests.frontend.browser import ok as _ok
from tests.frontend.conftest import PASSWORD
from tests.frontend.test_staff_app_browser import browser  # noqa: F401

pytestmark = pytest.mark.slow

NAME = "Teodora Villanueva"
ROUTE = "FLD-R07"


def _h(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(role)}"}


@pytest.fixture(scope="module")
def past_due(staff_stack: str, staff_login: Callable[[str], str]) -> Iterator[dict[str, Any]]:
    """A customer billed on 1 March and past due since, and a re-read order at their premise
    dispatched to the browser's field technician."""
    tech_login = staff_login("field_tech")
    csr, tech, sup = _h("csr1"), _h("billing_tech"), _h("supervisor")
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        r = api.post("/api/billing/rates/versions", json=RATES, headers=tech)
        assert r.status_code in (201, 409), r.text
        address = {"line1": "88 Sycamore Bend", "city": "Riverbend", "state": "CA",
                   "postal_code": "93650"}
        premise = _ok(api.post("/api/accounts/premises", headers=csr, json={
            "address": address, "apn": "410-088-07", "kind": "single_family",
            "dwelling_units": 1, "cycle": "FLD", "route": ROUTE}), 201)
        meter = _ok(api.post("/api/accounts/meters", headers=tech, json={
            "serial": "FLD0000088", "size": "5/8", "dials": 6, "unit": "HCF"}), 201)
        _ok(api.post(f"/api/accounts/meters/{meter['id']}/install", headers=tech, json={
            "premise_id": premise["id"], "on_date": "2026-01-02", "read": "100"}))
        account = _ok(api.post("/api/accounts/agreements/start", headers=csr, json={
            "start_date": "2026-02-01", "premise_id": premise["id"],
            "customer": {"kind": "person", "name": NAME, "mailing_address": address,
                         "phones": ["(559) 555-0188"], "emails": [], "language": "en",
                         "paperless": False, "text_messages": False}}), 201)["account"]

        def read_taken() -> Any:
            r = api.post("/api/billing/reads", headers=tech, json={
                "meter_id": meter["id"], "read_on": "2026-02-28", "value": "112"})
            return r.json() if r.status_code == 201 else None

        assert _eventually("billing to know the meter", read_taken) is not None

        def account_run() -> Any:
            r = api.post(f"/api/billing/runs/accounts/{account['id']}", headers=tech, json={
                "period_start": "2026-02-01", "period_end": "2026-02-28",
                "bill_date": "2026-03-01"})
            return r.json() if r.status_code == 201 and r.json()["bills"] == 1 else None

        run = _eventually("billing to know the agreement", account_run)
        _ok(api.post(f"/api/billing/runs/{run['id']}/prepare", headers=tech))
        _ok(api.post(f"/api/billing/runs/{run['id']}/approve", headers=sup))
        _ok(api.post(f"/api/billing/runs/{run['id']}/finalise", headers=sup))
        total = Decimal(run["total"])

        def on_call_list() -> Any:
            r = api.get("/api/collections/worklists/calls", headers=_h("csr2"),
                        params={"limit": 500})
            rows = [x for x in r.json()["items"] if x["account_id"] == account["id"]] \
                if r.status_code == 200 else []
            return rows[0] if rows and Decimal(rows[0]["past_due"]) == total else None

        row = _eventually("collections to hear of the bill", on_call_list)
        order = _ok(api.post("/api/accounts/orders", headers=csr, json={
            "kind": "re_read", "premise_id": premise["id"], "account_id": account["id"],
            "scheduled_date": utility_today().isoformat(),
            "reason": "Customer says the read looks high"}), 201)
        _ok(api.post(f"/api/accounts/orders/{order['id']}/dispatch", headers=csr,
                     json={"technician": tech_login}))
        yield {"account": account, "order": order, "total": total, "row": row,
               "tech": tech_login}


def _log_in(chromium: Browser, base: str, username: str, viewport: ViewportSize) -> Page:
    return log_in(chromium, base, username, PASSWORD, viewport)


def test_a_field_technician_completes_an_order_with_a_read_on_a_phone(
        staff_stack, past_due, browser):  # noqa: F811
    started = time.monotonic()
    page = _log_in(browser, staff_stack, past_due["tech"], {"width": 390, "height": 844})
    page.get_by_role("link", name="Open my worklist").click()
    expect(page.get_by_role("heading", name="Worklist")).to_be_visible()
    expect(page.get_by_role("textbox", name="Route")).to_have_value(
        re.compile(rf"^{ROUTE} \(cycle FLD\): 1 stop"))
    number = past_due["order"]["number"]
    stop = page.get_by_role("article", name=f"Order {number}")
    expect(stop).to_contain_text("88 Sycamore Bend")
    expect(stop).to_contain_text("Meter FLD0000088")
    stop.get_by_role("button", name=f"Complete #{number}").click()
    read = stop.get_by_role("textbox", name=re.compile(r"^Read of FLD0000088"))
    read.fill("118")
    read.press("Enter")  # every form submits with Enter
    done = page.get_by_role("alert", name="Completed")
    expect(done).to_contain_text(f"#{number} Re-read, 88 Sycamore Bend")
    expect(done).to_contain_text("read 118")
    expect(stop).to_have_count(0)  # off the list once done
    # The page fits the phone: nothing wider than the viewport to scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        order = _ok(api.get(f"/api/accounts/orders/{past_due['order']['id']}",
                            headers=_h("supervisor")))
    assert order["status"] == "completed" and order["completed_at"] is not None
    assert Decimal(order["read"]["value"]) == Decimal("118")
    print(f"field technician login to completed order: {time.monotonic() - started:.1f} s")
    assert_accessible(page, "field-worklist")
    page.close()


def test_a_csr2_logs_a_promise_to_pay_from_the_call_list(
        staff_stack, staff_login, past_due, browser):  # noqa: F811
    page = _log_in(browser, staff_stack, staff_login("csr2"), {"width": 1280, "height": 800})
    page.get_by_role("link", name="Collections").click()
    table = page.get_by_role("table", name="Call list")
    number = past_due["account"]["number"]
    row = table.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text(NAME)
    expect(row).to_contain_text(f"${past_due['total']:,.2f}")
    row.get_by_role("button", name=f"Log call for {number}").click()

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("textbox", name="Outcome")).to_have_value("Promise to pay")
    promised_on = utility_today() + timedelta(days=7)
    dialog.get_by_label("Promised on").fill(promised_on.isoformat())
    amount = dialog.get_by_role("textbox", name=re.compile(r"^Amount"))
    amount.fill("40.00")
    amount.press("Enter")
    expect(page.get_by_role("alert", name="Call saved")).to_contain_text(
        f"$40.00 promised by {promised_on.isoformat()}")
    expect(dialog).to_have_count(0)  # closed once saved
    expect(row).to_contain_text(f"$40.00 by {promised_on.isoformat()}")
    expect(row).to_contain_text("Promise to pay")

    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        promises = _ok(api.get(
            f"/api/collections/accounts/{past_due['account']['id']}/promises",
            headers=_h("csr2")))
    assert [(p["status"], p["promised_on"], Decimal(p["amount"])) for p in promises] == [
        ("open", promised_on.isoformat(), Decimal("40.00"))]
    assert promises[0]["created_by"] == staff_login("csr2")
    assert_accessible(page, "collections-call-list")
    page.close()




def test_every_collections_and_field_screen_opens_for_the_supervisor_without_violations(
        staff_stack, staff_login, past_due, browser):  # noqa: F811
    """axe over each screen (issue 11: every screen in the end-to-end run)."""
    page = _log_in(browser, staff_stack, staff_login("supervisor"), {"width": 1280, "height": 800})
    tabs = {"Call list": "Call list", "Aging": "Aging by bucket",
            "Notices and door tags": None, "Tomorrow's disconnects": "Disconnects for tomorrow",
            "Arrangements": "Arrangements", "Closed accounts": "Closed accounts",
            "Liens": "Liens"}
    page.get_by_role("link", name="Collections").click()
    for tab, table in tabs.items():
        page.get_by_role("tab", name=tab).click()
        if table:
            expect(page.get_by_role("table", name=table)).to_be_visible()
        else:
            expect(page.get_by_role("heading", name="Door tags")).to_be_visible()
        assert_accessible(page, f"collections-{tab.lower().replace(' ', '-')}")

    # A reload would end the session (tokens live in the tab's memory): follow the app's links.
    page.get_by_role("tab", name="Call list").click()
    page.get_by_role("table", name="Call list").get_by_role(
        "link", name=past_due["account"]["number"]).click()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    for tab in ("Calls and promises", "Arrangements", "Protections",
                "Disconnection guardrails"):
        page.get_by_role("tab", name=tab).click()
        assert_accessible(page, f"collections-account-{tab.split()[0].lower()}")
    page.get_by_role("tab", name="Arrangements").click()
    expect(page.get_by_role("table", name="Schedule preview")).to_contain_text("$")

    page.get_by_role("link", name="Service orders").click()
    expect(page.get_by_role("table", name="Service orders")).to_be_visible()
    assert_accessible(page, "service-orders")
    page.close()
