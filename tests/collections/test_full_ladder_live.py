"""The whole delinquency ladder on a live stack, over moved days (issue 10, "Done when").

Every Tapline process runs as `make run` starts it (tests/faults/stack.py) on a database of the
test's own with a small demo district. Staff log in with the demo logins and work only through
the gateway; events travel through the relay:

    a bill (billing's own run) -> collections hears it -> the daily job, day after day:
    reminder, first notice, second notice with its late charge, shut-off notice, each letter
    in a print batch a supervisor approves and that is then released -> a door tag approved by
    the supervisor, carried out in accounts and left by the technician -> on the date the
    notice names, the disconnect order (in accounts too), which the technician cannot complete
    in accounts and completes through collections -> a cash payment at the counter -> the daily
    job finds the account cured -> a reconnect order, completed in accounts -> the reconnection
    fee

and billing's ledger (billing's own API) holds the late charge and the reconnection fee exactly
once, even after the day's job and the relay ran again.
"""

from __future__ import annotations

import asyncio
import functools
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx
import pytest

from kernel.clock import utility_today
from kernel.settings import Settings, get_settings
from services.accounts import demo as accounts_demo
from tapline.demo import load_demo
from tests.faults.stack import running_stack
from tests.payments.test_day_on_demo_district import login, metered_account

pytestmark = pytest.mark.slow
T = TypeVar("T")
C = "/api/collections"


class Staff:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.tokens: dict[str, dict[str, str]] = {}

    async def call(self, method: str, url: str, role: str, want: int = 200,
                   key: bool = False, **kw: Any) -> Any:
        headers = {**self.tokens[role], **({"Idempotency-Key": uuid.uuid4().hex} if key else {})}
        r = await self.http.request(method, url, headers=headers, **kw)
        assert r.status_code == want, f"{method} {url}: {r.status_code} {r.text}"
        return r.json() if r.headers.get("content-type", "").endswith("json") else r


async def until(what: str, probe: Callable[[], Awaitable[T | None]],
                seconds: float = 60.0) -> T:
    """Poll until `probe` answers something (the relay delivers in its own time)."""
    deadline = time.monotonic() + seconds
    while True:
        got = await probe()
        if got:
            return got
        assert time.monotonic() < deadline, f"never: {what}"
        await asyncio.sleep(0.3)


async def bill(s: Staff, account_id: str, meter_id: str, install_read: Decimal,
               on: date) -> tuple[Decimal, date]:
    read = await s.call("POST", "/api/billing/reads", "billing_tech", 201, json={
        "meter_id": meter_id, "read_on": on.isoformat(),
        "value": str(install_read + Decimal("14"))})
    for x in read.get("exceptions", []):
        await s.call("POST", f"/api/billing/reads/exceptions/{x['id']}/accept", "billing_tech",
                     json={"reason": "read confirmed on site"})
    run = await s.call("POST", f"/api/billing/runs/accounts/{account_id}", "billing_tech", 201,
                       json={"period_start": (on - timedelta(days=29)).isoformat(),
                             "period_end": on.isoformat(), "bill_date": on.isoformat()})
    url = f"/api/billing/runs/{run['id']}"
    await s.call("POST", f"{url}/prepare", "billing_tech")
    await s.call("POST", f"{url}/approve", "supervisor")
    fin = await s.call("POST", f"{url}/finalise", "supervisor")
    assert fin["status"] == "finalised", fin
    return Decimal(run["total"]), date.fromisoformat(str(fin["due_date"]))


async def release_letters(s: Staff, day: date) -> int:
    """The day's queued letters: a print batch (CSR II), approved (supervisor), released."""
    waiting = await s.call("GET", f"{C}/notices/awaiting-approval", "supervisor")
    if not waiting.get("unbatched"):
        return 0
    batch = await s.call("POST", f"{C}/notices/batches", "csr2", 201,
                         json={"today": day.isoformat()})
    await s.call("POST", f"{C}/notices/batches/{batch['id']}/approve", "supervisor")
    done = await s.call("POST", f"{C}/notices/batches/{batch['id']}/release", "billing_tech",
                        json={"today": day.isoformat()})
    assert done["status"] == "released", done
    return int(done["notices"])


async def field_orders(s: Staff, account_id: str) -> list[dict[str, Any]]:
    return list(await s.call("GET", f"{C}/accounts/{account_id}/field-orders", "supervisor"))


async def accounts_order(s: Staff, account_id: str, kind: str,
                         status: str | None = None) -> dict[str, Any] | None:
    rows = await s.call("GET", "/api/accounts/orders", "supervisor",
                        params={"account_id": account_id})
    found = [o for o in rows if o["kind"] == kind and (status is None or o["status"] == status)]
    return found[0] if found else None


async def daily(s: Staff, day: date) -> dict[str, Any]:
    """The daily job: the ladder, arrangements, the field (and the field's cures)."""
    got = dict(await s.call("POST", f"{C}/daily", "admin", params={"today": day.isoformat()}))
    assert "field" in got, got
    return got


def local(day: date, hour: int) -> str:
    return datetime.combine(day, clock(hour), ZoneInfo(get_settings().timezone)).isoformat()


async def ledger(s: Staff, account_id: str) -> list[dict[str, Any]]:
    return list((await s.call("GET", f"/api/billing/ledger/accounts/{account_id}",
                              "supervisor"))["entries"])


async def test_a_full_ladder_on_a_live_stack_charges_the_late_charge_and_the_fee_once(
        fresh_database, monkeypatch):
    settings = Settings(database_url=fresh_database, data_dir=get_settings().data_dir)
    monkeypatch.setattr(accounts_demo, "load_demo",
                        functools.partial(accounts_demo.load_demo, count=20))
    assert await load_demo(settings)
    account_id, number, meter_id, install_read = await metered_account(fresh_database, [])
    with running_stack(fresh_database) as stack:
        async with httpx.AsyncClient(base_url=stack.base, timeout=60) as http:
            s = Staff(http)
            for user in ("csr1", "csr2", "billing_tech", "supervisor", "field_tech", "admin"):
                s.tokens[user] = await login(http, user)
            billed_on = utility_today()
            total, due = await bill(s, account_id, meter_id, install_read, billed_on)

            async def heard() -> dict[str, Any] | None:
                r = await http.get(f"{C}/accounts/{account_id}/aging",
                                   params={"today": due.isoformat()}, headers=s.tokens["csr2"])
                return r.json() if r.status_code == 200 and Decimal(
                    r.json()["balance"]) == total else None
            await until("collections hears the bill", heard)

            # ---- the ladder, day after day ------------------------------------------------
            day, disconnect_on, cut = due, None, None
            steps: list[str] = []
            while cut is None:
                day += timedelta(days=1)
                assert day < due + timedelta(days=150), "no disconnect order in 150 days"
                got = await daily(s, day)
                steps += [k for k, v in got["ladder"].items() if v and k in (
                    "reminder", "first_notice", "second_notice", "shutoff_notice")]
                await release_letters(s, day)
                orders = await field_orders(s, account_id)
                for tag in [o for o in orders if o["kind"] == "door_tag"]:
                    if tag["status"] == "awaiting_approval":
                        await s.call("POST", f"{C}/field/door-tags/approve", "supervisor",
                                     json={"order_ids": [tag["id"]], "today": day.isoformat()})
                    elif tag["status"] == "released" and tag["scheduled_on"] <= day.isoformat():
                        await until("accounts has the door tag order",
                                    lambda: accounts_order(s, account_id, "door_tag"))
                        await s.call("POST", f"{C}/field/orders/{tag['id']}/complete",
                                     "field_tech", json={"today": day.isoformat(),
                                                         "completed_at": local(day, 10)})
                        disconnect_on = date.fromisoformat(tag["disconnect_on"])
                cuts = [o for o in orders if o["kind"] == "disconnect"
                        and o["status"] == "released"]
                cut = cuts[0] if cuts else None
            assert steps[:4] == ["reminder", "first_notice", "second_notice", "shutoff_notice"]
            assert disconnect_on is not None and day == disconnect_on
            notices = await s.call("GET", f"{C}/accounts/{account_id}/notices", "supervisor")
            assert {n["kind"] for n in notices if n["status"] == "released"} >= {
                "reminder", "first_notice", "second_notice", "shutoff_notice"}
            tag_order = await until("accounts completes the door tag", lambda: accounts_order(
                s, account_id, "door_tag", "completed"))
            assert tag_order["reference"].startswith("collections:")

            # ---- the disconnect: never in accounts, through collections on an allowed day --
            order = await until("accounts has the disconnect order", lambda: accounts_order(
                s, account_id, "disconnect_nonpayment"))
            r = await http.post(f"/api/accounts/orders/{order['id']}/complete", json={},
                                headers=s.tokens["field_tech"])
            assert r.status_code == 409 and r.json()["rule"] == "sb998.guarded_disconnect"
            done = await s.call("POST", f"{C}/field/orders/{cut['id']}/complete", "field_tech",
                                json={"today": day.isoformat(), "notes": "meter locked"})
            assert done["status"] == "completed"
            await until("accounts completes the disconnect", lambda: accounts_order(
                s, account_id, "disconnect_nonpayment", "completed"))

            # ---- paid at the counter: cured, reconnected with the fee -----------------------
            owed = sum((Decimal(e["amount"]) for e in await ledger(s, account_id)),
                       Decimal("0.00"))
            drawer = await s.call("POST", "/api/payments/drawers", "csr1", 201,
                                  json={"float_amount": "100.00"})
            await s.call("POST", f"/api/payments/drawers/{drawer['id']}/payments", "csr1", 201,
                         key=True, json={"account_number": number, "amount": str(owed),
                                         "tender": "cash"})
            cured_on = day + timedelta(days=1)

            async def paid_up() -> bool:
                r = await s.call("GET", f"{C}/accounts/{account_id}/aging", "csr2",
                                 params={"today": cured_on.isoformat()})
                return Decimal(r["balance"]) == 0
            await until("collections hears the payment", paid_up)
            got = await daily(s, cured_on)
            assert got["cured_accounts"] == 1, got
            [reconnect] = [o for o in await field_orders(s, account_id)
                           if o["kind"] == "reconnect"]
            assert reconnect["reconnects"] == cut["id"]
            back = await until("accounts has the reconnect order", lambda: accounts_order(
                s, account_id, "reconnect"))
            await s.call("POST", f"/api/accounts/orders/{back['id']}/complete", "field_tech",
                         json={"notes": "service restored"})

            async def fee_posted() -> list[dict[str, Any]] | None:
                entries = await ledger(s, account_id)
                return entries if any(e["kind"] == "reconnection_fee" for e in entries) else None
            entries = await until("billing posts the reconnection fee", fee_posted)

            # ---- once, whatever runs again ---------------------------------------------------
            assert (await daily(s, cured_on))["ran"] is False
            await asyncio.sleep(3)  # the relay's next rounds
            entries = await ledger(s, account_id)
            late = [e for e in entries if e["kind"] == "late_charge"]
            fees = [e for e in entries if e["kind"] == "reconnection_fee"]
            assert len(late) == 1 and Decimal(late[0]["amount"]) > 0, late
            assert [Decimal(f["amount"]) for f in fees] == [Decimal("75.00")], fees
            restored = [o for o in await field_orders(s, account_id) if o["kind"] == "reconnect"]
            assert restored[0]["status"] == "completed" and restored[0]["fee"] == "75.00"
            report = await s.call("GET", f"{C}/reports/sb998-disconnections", "supervisor",
                                  params={"year": disconnect_on.year})
            assert report["months"][disconnect_on.month - 1]["disconnections"] == 1
