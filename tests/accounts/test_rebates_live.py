"""On the live stack (every process as `make run` starts them, events through the relay): an
approved rebate paid as a bill credit is one `rebate_credit` on billing's ledger, and stays one
when billing replays every accounts event from the start (`POST /api/billing/copy/rebuild`, the
copy's own replay), so neither the relay's redelivery nor a rebuild credits twice."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import psycopg
import pytest

from tests.conftest import mint_token
from tests.faults.stack import running_stack

pytestmark = pytest.mark.slow


def ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, (r.request.url, r.status_code, r.text)
    return r.json()


def until(what: str, fn: Callable[[], Any], seconds: float = 60.0) -> Any:
    deadline = time.monotonic() + seconds
    while (got := fn()) is None:
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.2)
    return got


def test_an_approved_rebate_is_one_ledger_credit_even_after_billing_replays_accounts(
        fresh_database: str) -> None:
    h = {role: {"Authorization": f"Bearer {mint_token(role, sub=f'{role}-live')}"}
         for role in ("csr1", "supervisor", "admin")}
    home = {"line1": "9 Yarrow Ct", "city": "Riverbend", "state": "CA", "postal_code": "93650"}
    with running_stack(fresh_database) as stack, httpx.Client(base_url=stack.base,
                                                               timeout=30) as api:
        premise = ok(api.post("/api/accounts/premises", headers=h["csr1"], json={
            "address": home, "apn": "410-530-09", "kind": "single_family",
            "dwelling_units": 1, "cycle": "C1", "route": "C1-R02"}), 201)
        account = ok(api.post("/api/accounts/agreements/start", headers=h["csr1"], json={
            "start_date": "2026-03-01", "premise_id": premise["id"],
            "customer": {"kind": "person", "name": "Tomas Reyes", "mailing_address": home,
                         "phones": ["(559) 555-0190"], "emails": [], "language": "en",
                         "paperless": False, "text_messages": False}}), 201)["account"]
        app = ok(api.post("/api/accounts/rebates/applications", headers=h["csr1"], json={
            "account_id": account["id"], "programme": "turf", "units": "412.5",
            "received_on": "2026-03-10", "installed_on": "2026-03-01"}), 201)
        ok(api.post(f"/api/accounts/rebates/applications/{app['id']}/approve",
                    headers=h["supervisor"], json={"on_date": "2026-03-12"}))

        def credits() -> list[tuple[str, str]] | None:
            """The account's rebate credits; None while billing's copy lacks the account (its
            events on their way, or the copy being rebuilt)."""
            r = api.get(f"/api/billing/ledger/accounts/{account['id']}", headers=h["supervisor"])
            if r.status_code == 404:
                return None
            return [(e["amount"], e["posted_on"]) for e in ok(r)["entries"]
                    if e["kind"] == "rebate_credit"]

        assert until("the rebate credit", lambda: credits() or None) == [
            ("-825.00", "2026-03-12")]

        def applied_at() -> Any:
            with psycopg.connect(fresh_database) as conn:
                row = conn.execute(
                    "SELECT applied_at FROM billing.inbox WHERE source = 'accounts' "
                    "AND type = 'accounts.RebateApproved' AND status = 'applied'").fetchone()
            return None if row is None else row[0]

        first = until("the approval applied", applied_at)
        # billing replays every accounts event it holds, from the start
        replayed = ok(api.post("/api/billing/copy/rebuild", headers=h["admin"],
                               json={"mode": "local"}))
        assert replayed["events_requeued"] >= 4  # customer, account, premise, ..., approval

        def settled() -> bool | None:
            with psycopg.connect(fresh_database) as conn:
                row = conn.execute(
                    "SELECT count(*) FILTER (WHERE status = 'pending') FROM billing.inbox "
                    "WHERE source = 'accounts'").fetchone()
            again = applied_at()
            return True if row and row[0] == 0 and again and again > first else None

        until("billing to apply the replayed accounts events", settled)
        after = until("the account back in billing's copy", credits)
        assert after == [("-825.00", "2026-03-12")]
        assert sum(Decimal(a) for a, _ in after) == Decimal("-825.00")
