"""High-usage courtesy calls in the staff app, in Debian's headless Chromium against the live
system (see test_staff_app_browser.py for why the system browser).

A home is read monthly through the real services: two ordinary months, then a month at four
times the use, which billing's read validation flags high. A CSR II opens the courtesy call
worklist, finds the account with its comparison, records an unanswered call (Enter submits),
then orders a leak check in one click: accounts places the service order and billing records
the call that placed it, which takes the account off the list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

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

NAME = "Leocadia Barrientos"
SERIAL = "CTY0000417"


def _h(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(role)}"}


@pytest.fixture(scope="module")
def high_read(staff_stack: str) -> Iterator[dict[str, Any]]:
    """A home whose last read is four times the month before, flagged high."""
    csr, tech = _h("csr1"), _h("billing_tech")
    today = utility_today()
    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        r = api.post("/api/billing/rates/versions", json=RATES, headers=tech)
        assert r.status_code in (201, 409), r.text
        address = {"line1": "417 Tamarack Ct", "city": "Riverbend", "state": "CA",
                   "postal_code": "93650"}
        premise = _ok(api.post("/api/accounts/premises", headers=csr, json={
            "address": address, "apn": "410-417-04", "kind": "single_family",
            "dwelling_units": 1, "cycle": "CTY", "route": "CTY-R01"}), 201)
        meter = _ok(api.post("/api/accounts/meters", headers=tech, json={
            "serial": SERIAL, "size": "5/8", "dials": 6, "unit": "HCF"}), 201)
        start = (today - timedelta(days=100)).isoformat()
        _ok(api.post(f"/api/accounts/meters/{meter['id']}/install", headers=tech, json={
            "premise_id": premise["id"], "on_date": start, "read": "100"}))
        account = _ok(api.post("/api/accounts/agreements/start", headers=csr, json={
            "start_date": start, "premise_id": premise["id"],
            "customer": {"kind": "person", "name": NAME, "mailing_address": address,
                         "phones": ["(559) 555-0117"], "emails": [], "language": "en",
                         "paperless": False, "text_messages": False}}), 201)["account"]
        reads = [(62, "120"), (32, "130"), (2, "170")]  # 20, then 10, then 40 HCF in 30 days

        def agreement_known() -> Any:
            # billing must know the service agreement as well as the meter, or the reads are
            # also flagged as use on an inactive meter (the events arrive in any order)
            r = api.get(f"/api/billing/usage/accounts/{account['id']}/meters", headers=tech)
            held = r.json() if r.status_code == 200 else []
            return held if any(m["meter_id"] == meter["id"] for m in held) else None

        _eventually("billing to know the service agreement", agreement_known)

        def first_read() -> Any:
            days, value = reads[0]
            r = api.post("/api/billing/reads", headers=tech, json={
                "meter_id": meter["id"], "read_on": (today - timedelta(days=days)).isoformat(),
                "value": value})
            return r.json() if r.status_code == 201 else None

        _eventually("billing to know the meter", first_read)
        last = None
        for days, value in reads[1:]:
            last = _ok(api.post("/api/billing/reads", headers=tech, json={
                "meter_id": meter["id"], "read_on": (today - timedelta(days=days)).isoformat(),
                "value": value}), 201)
        assert last is not None and [e["code"] for e in last["exceptions"]] == ["high"]

        def on_worklist() -> Any:
            r = api.get("/api/billing/courtesy/worklist", headers=csr)
            rows = [x for x in r.json() if x["read_id"] == last["id"]] \
                if r.status_code == 200 else []
            return rows[0] if rows else None

        # the agreement reaches billing's copy on its own key: wait for the account to show
        item = _eventually("the account on the courtesy worklist", on_worklist)
        yield {"account": account, "premise": premise, "meter": meter, "item": item}


def _log_in(chromium: Browser, base: str, username: str) -> Page:
    return log_in(chromium, base, username, PASSWORD, {"width": 1400, "height": 900})


def test_a_csr2_calls_about_a_high_read_and_orders_a_leak_check_in_one_click(
        staff_stack: str, staff_login: Callable[[str], str], high_read: dict[str, Any],
        browser: Browser) -> None:  # noqa: F811
    page = _log_in(browser, staff_stack, staff_login("csr2"))
    page.get_by_role("link", name="Courtesy calls").click()
    expect(page.get_by_role("heading", name="High-usage courtesy calls")).to_be_visible()
    number = high_read["account"]["number"]
    table = page.get_by_role("table", name="Courtesy call worklist")
    row = table.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text(NAME)
    expect(row).to_contain_text("417 Tamarack Ct")
    expect(row).to_contain_text(f"meter {SERIAL}")
    expect(row).to_contain_text("1.33 HCF/day")
    expect(row).to_contain_text("4.00× the prior period")
    expect(row).to_contain_text("0.33 HCF/day (4.00×)")
    expect(row).to_contain_text("Not called")
    assert_accessible(page, "courtesy-worklist")

    row.get_by_role("button", name=f"Record call to account {number}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("radio", name="No answer").check()
    note = dialog.get_by_role("textbox", name=re.compile(r"^Note"))
    note.fill("Rang at 10:05, no voicemail")
    note.press("Enter")  # Enter records the call
    expect(dialog).to_have_count(0)
    expect(row).to_contain_text("Tried")
    expect(row).to_contain_text("No answer")

    row.get_by_role("button", name=f"Order leak check for account {number}").click()
    placed = page.get_by_role("alert").filter(has_text="Leak check order")
    expect(placed).to_contain_text("417 Tamarack Ct")
    expect(row).to_have_count(0)  # off the list to call once a leak check is ordered
    assert_accessible(page, "courtesy-leak-check-ordered")

    with httpx.Client(base_url=staff_stack, timeout=30) as api:
        orders = _ok(api.get("/api/accounts/orders", headers=_h("csr2"),
                             params={"premise_id": high_read["premise"]["id"]}))
        calls = _ok(api.get(f"/api/billing/courtesy/{high_read['item']['read_id']}/calls",
                            headers=_h("csr2")))
    [order] = [o for o in orders if o["kind"] == "leak_check"]
    assert order["meter_id"] == high_read["meter"]["id"]
    assert order["account_id"] == high_read["account"]["id"]
    assert order["reason"].startswith(f"High usage courtesy call: meter {SERIAL}")
    assert [(c["outcome"], c["called_by"]) for c in calls] == [
        ("no_answer", staff_login("csr2")), ("leak_check_ordered", staff_login("csr2"))]
    assert calls[1]["service_order_id"] == order["id"]
    assert calls[1]["service_order_number"] == order["number"]
    assert calls[0]["note"] == "Rang at 10:05, no voicemail"
    page.close()
