"""A day on the demo district, end to end on a live stack (issue 9, "Done when").

Every Tapline process runs as `make run` starts it (tests/faults/stack.py: the four services,
the relay and the gateway as uvicorn processes) on a database of the test's own loaded with the
demo district. Staff log in with the demo logins and work only through the gateway:

    open a drawer -> take cash and a check -> post a mail batch -> import a lockbox file whose
    one unmatched check is resolved to its account -> close the drawer and sign it off ->
    prepare the deposit and sign it off (the bank's reference recorded) -> the bank returns
    one mailed check (NSF) -> bill one account, enrol it in autopay with a bank account, cut
    the prenote file -> (three weeks on) run autopay and cut the file that debits it

then, once the relay has delivered, the end-of-day report, the deposit and billing's ledger
(read through billing's API) agree to the cent, for the day and for the debit's effective date.

The demo district is loaded as `make run` loads it, with fewer accounts (`DAY_TEST_ACCOUNTS`,
default 150; the demo's own `count`): its 3,000 accounts are 18,000 events that billing applies
before the day's first payment reaches it, minutes on a shared two-core machine, and nothing
of the day depends on the count. `DAY_TEST_ACCOUNTS=3000` runs it at full size.

Each step is a function of the `Day`; what a step takes it records in `day.taken`, what it
returns in `day.returned`, and the final checks add those up. `one_return` returns the first
mailed check (NSF) after the deposit, as the bank would. `autopay_run_and_nacha_file` bills
one more demo account through billing's API (a meter read, a one-account run prepared by the
billing technician, approved and finalised by the supervisor), enrols it with a bank account
and cuts the day's NACHA file, which carries its prenote. The demo district has no bills of its
own, and a bank debit can only go once the prenote has aged (three banking days after it
settles) and the bill falls due three weeks on, so the later days are reached by moving
`today`, as autopay's endpoints take it: the run on the banking day before the debit settles,
and that day's file, whose debit posts as a payment received on the file's effective date
(channel `autopay`, settled by the `bank`). Both files read back in an independent NACHA
library (achkit). What that debit takes is recorded in a second `Day`, `day.bank_day`, on the
effective date, whose end-of-day report ties to billing's ledger for that date to the cent.
"""

from __future__ import annotations

import asyncio
import functools
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import achkit
import asyncpg
import httpx

from kernel.checkdigit import printed
from kernel.clock import utility_today
from kernel.settings import Settings, get_settings
from services.accounts import demo as accounts_demo
from services.payments.autopay.domain import BankingCalendar
from services.payments.lockbox.sample import SampleBatch, SampleCheck, SampleFile
from tapline.demo import DEMO_PASSWORD, load_demo
from tests.faults.stack import running_stack
from tests.payments.helpers import pdf_text

API = "/api/payments"
CAL = BankingCalendar()
#: A routing number with a valid ABA check digit (Wells Fargo, California) and an account.
ROUTING, BANK_ACCOUNT = "121042882", "000123456789"


@dataclass
class Taken:
    channel: str
    tender: str
    account_id: str
    amount: Decimal
    payment_id: str = ""


@dataclass
class Day:
    http: httpx.AsyncClient
    on: date
    accounts: list[tuple[str, str]]  # (id, number) of demo accounts payments knows
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)
    taken: list[Taken] = field(default_factory=list)
    returned: list[Taken] = field(default_factory=list)
    drawer_id: str = ""
    batch_id: str = ""
    deposit: dict[str, Any] = field(default_factory=dict)
    #: (id, number, meter id, install read) of the demo account billed and debited by autopay
    autopay_account: tuple[str, str, str, Decimal] | None = None
    bill_total: Decimal = Decimal("0.00")
    nacha: list[dict[str, Any]] = field(default_factory=list)  # the files, parsed by achkit
    bank_day: Day | None = None  # the autopay debit's effective date, and what it took

    def who(self, role: str, key: bool = False) -> dict[str, str]:
        return {**self.tokens[role], **({"Idempotency-Key": uuid.uuid4().hex} if key else {})}

    async def call(self, method: str, url: str, role: str, want: int = 200,
                   key: bool = False, **kw: Any) -> Any:
        r = await self.http.request(method, url, headers=self.who(role, key), **kw)
        assert r.status_code == want, f"{method} {url}: {r.status_code} {r.text}"
        return r.json() if r.headers.get("content-type", "").endswith("json") else r


Step = Callable[[Day], Awaitable[None]]


async def open_drawer(day: Day) -> None:
    d = await day.call("POST", f"{API}/drawers", "csr1", 201, json={"float_amount": "150.00"})
    day.drawer_id = d["id"]


async def take_cash_and_check(day: Day) -> None:
    (a, na), (b, nb) = day.accounts[0], day.accounts[1]
    url = f"{API}/drawers/{day.drawer_id}/payments"
    await day.call("POST", url, "csr1", 201, key=True, json={
        "account_number": na, "amount": "64.37", "tender": "cash"})
    await day.call("POST", url, "csr1", 201, key=True, json={
        "account_number": nb, "amount": "112.50", "tender": "check", "check_number": "2041",
        "bank": "Valley Federal Credit Union"})
    day.taken += [Taken("counter", "cash", a, Decimal("64.37")),
                  Taken("counter", "check", b, Decimal("112.50"))]


async def post_mail_batch(day: Day) -> None:
    checks = [(day.accounts[2], "48.19", "881"), (day.accounts[3], "203.00", "12007")]
    b = await day.call("POST", f"{API}/batches", "billing_tech", 201, json={
        "received_on": day.on.isoformat(), "control_total": "251.19", "control_count": 2})
    for (acct, number), amount, check in checks:
        p = await day.call("POST", f"{API}/batches/{b['id']}/payments", "billing_tech", 201,
                           key=True, json={"account_number": number, "amount": amount,
                                           "check_number": check, "bank": "Sierra Bank"})
        day.taken.append(Taken("mail", "check", acct, Decimal(amount), p["id"]))
    await day.call("POST", f"{API}/batches/{b['id']}/post", "billing_tech")
    day.batch_id = b["id"]


async def import_lockbox_and_resolve_the_unmatched_line(day: Day) -> None:
    (a, na), (b, nb) = day.accounts[4], day.accounts[5]
    misread = na[:-1] + str((int(na[-1]) + 1) % 10)  # the stub's check digit misread
    file = SampleFile(file_id=f"LBX{uuid.uuid4().hex[:8].upper()}", created=day.on,
                      batches=(SampleBatch(1, day.on, (
                          SampleCheck(printed(nb), Decimal("77.77"), "5001", "055551436",
                                      "1234567801"),
                          SampleCheck(misread, Decimal("19.05"), "5002", "055551436",
                                      "1234567802"))),))
    imp = await day.call("POST", f"{API}/lockbox/imports", "billing_tech", 201,
                         files={"file": ("lockbox.txt", file.render(), "text/plain")})
    assert (imp["posted_count"], imp["suspense_count"]) == (1, 1), imp
    day.taken.append(Taken("lockbox", "check", b, Decimal("77.77")))
    waiting = await day.call("GET", f"{API}/lockbox/suspense", "billing_tech",
                             params={"status": "open"})
    [line] = [x for x in waiting if x["check_number"] == "5002"]
    await day.call("POST", f"{API}/lockbox/suspense/{line['id']}/resolve", "billing_tech",
                   json={"account_number": na, "note": "stub misread; name on the check"})
    day.taken.append(Taken("lockbox", "check", a, Decimal("19.05")))


async def close_and_sign_off_drawer(day: Day) -> None:
    # float 150.00 + cash 64.37 = 214.37, counted exactly
    counts = {"50": 1, "20": 6, "10": 2, "5": 3, "1": 9, "0.25": 1, "0.10": 1, "0.01": 2}
    d = await day.call("POST", f"{API}/drawers/{day.drawer_id}/close", "csr1",
                       json={"counts": counts})
    assert (d["counted_cash"], d["over_short"]) == ("214.37", "0.00"), d
    await day.call("POST", f"{API}/drawers/{day.drawer_id}/sign-off", "supervisor", json={})


async def prepare_and_sign_off_deposit(day: Day) -> None:
    ready = await day.call("GET", f"{API}/bank-deposits/ready", "billing_tech")
    assert {day.drawer_id, day.batch_id} <= {x["id"] for x in ready}
    dep = await day.call("POST", f"{API}/bank-deposits", "billing_tech", 201, key=True,
                         json={"drawer_ids": [day.drawer_id], "batch_ids": [day.batch_id]})
    url = f"{API}/bank-deposits/{dep['id']}"
    await day.call("POST", f"{url}/sign-off", "billing_tech", 403, json={})
    await day.call("POST", f"{url}/sign-off", "supervisor", json={"note": "bag 1 sealed"})
    day.deposit = await day.call("POST", f"{url}/confirm", "billing_tech", json={
        "bank_reference": "DEP-20261127-01", "deposited_on": day.on.isoformat()})


async def one_return(day: Day) -> None:
    """The bank sends back the first mailed check (NSF): payments reverses it with the fee and
    billing posts the reversal (and the fee, which is not a payment: not in the tie-out)."""
    [check] = [t for t in day.taken if t.channel == "mail"][:1]
    r = await day.call("POST", f"{API}/returns", "billing_tech", 201, key=True, json={
        "payment_id": check.payment_id, "return_code": "NSF",
        "returned_on": day.on.isoformat(), "note": "returned by Sierra Bank"})
    assert Decimal(r["amount"]) == check.amount
    day.returned.append(Taken("mail", "check", check.account_id, check.amount,
                              check.payment_id))


async def bill_one_account(day: Day) -> str:
    """Billing's own way: a read, a one-account run prepared by the billing technician and
    approved and finalised by the supervisor; payments hears `billing.BillIssued`."""
    assert day.autopay_account is not None
    account_id, number, meter_id, install_read = day.autopay_account
    read = await day.call("POST", "/api/billing/reads", "billing_tech", 201, json={
        "meter_id": meter_id, "read_on": day.on.isoformat(),
        "value": str(install_read + Decimal("14"))})
    for x in read.get("exceptions", []):  # a first read after years may look unusual
        await day.call("POST", f"/api/billing/reads/exceptions/{x['id']}/accept",
                       "billing_tech", json={"reason": "read confirmed on site"})
    run = await day.call("POST", f"/api/billing/runs/accounts/{account_id}", "billing_tech", 201,
                         json={"period_start": (day.on - timedelta(days=29)).isoformat(),
                               "period_end": day.on.isoformat(),
                               "bill_date": day.on.isoformat()})
    assert run["bills"] == 1 and Decimal(run["total"]) > 0, run
    url = f"/api/billing/runs/{run['id']}"
    await day.call("POST", f"{url}/prepare", "billing_tech")
    await day.call("POST", f"{url}/approve", "supervisor")
    fin = await day.call("POST", f"{url}/finalise", "supervisor")
    assert fin["status"] == "finalised", fin
    day.bill_total = Decimal(run["total"])
    return str(fin["due_date"])


async def open_bill_heard(day: Day, number: str, seconds: float = 60.0) -> dict[str, Any]:
    """Payments has heard `billing.BillIssued`: the open bill and the balance with it. (The
    lookup reads the account and its bills in two statements, so one answer may show the bill
    before the balance that came in the same event.)"""
    deadline = time.monotonic() + seconds
    while True:
        acct = await day.call("GET", f"{API}/accounts/{number}", "csr1")
        if acct["open_bills"] and acct["balance"] is not None:
            return dict(acct)
        assert time.monotonic() < deadline, f"payments never heard the bill of {number}"
        await asyncio.sleep(0.5)


async def nacha_file(day: Day, file: dict[str, Any]) -> dict[str, Any]:
    """The file as the bank gets it, read by an independent NACHA library."""
    r = await day.call("GET", f"{API}/autopay/files/{file['id']}", "supervisor")
    assert r.headers["repr-digest"] == f"sha-256=:{file['sha256']}:"
    assert achkit.validate(r.text) == {"ok": True, "errors": []}
    parsed: dict[str, Any] = achkit.parse(r.text)
    [batch] = parsed["batches"]
    assert batch["effective_date"] == date.fromisoformat(file["effective_on"]).strftime("%y%m%d")
    day.nacha.append(parsed)
    return parsed


async def autopay_run_and_nacha_file(day: Day) -> None:
    """Bill an account, enrol it with a bank account (prenoted in today's file), then, on the
    banking day before the bill's debit settles, run autopay and cut that day's file: the
    debit posts as a payment received on the file's effective date."""
    assert day.autopay_account is not None
    account_id, number, _, _ = day.autopay_account
    due = await bill_one_account(day)
    heard = await open_bill_heard(day, number)
    assert Decimal(heard["balance"]) == day.bill_total, heard
    enrolled = await day.call("POST", f"{API}/autopay/accounts/{account_id}", "csr1", 201,
                              json={"method": "bank", "routing_number": ROUTING,
                                    "account_number": BANK_ACCOUNT,
                                    "account_type": "checking"})
    assert (enrolled["prenote_required"], enrolled["display"]) == (True, "checking ****6789")
    # Today's file carries the prenote (a zero-dollar entry) and no money.
    first = await day.call("POST", f"{API}/autopay/files", "billing_tech",
                           json={"today": day.on.isoformat()})
    assert (first["file"]["prenote_count"], first["file"]["debit_count"]) == (1, 0), first
    [prenote] = (await nacha_file(day, first["file"]))["batches"][0]["entries"]
    assert (prenote["txn_code"], prenote["amount_cents"], prenote["routing"]) == (
        28, 0, ROUTING)
    live_from = date.fromisoformat((await day.call(
        "GET", f"{API}/autopay/accounts/{account_id}", "csr1"))["live_from"])
    # Three weeks on: the debit settles on the due date's banking day, the prenote long aged.
    settles = CAL.on_or_before(date.fromisoformat(due))
    assert live_from < settles
    run_on = CAL.previous_banking_day(settles)
    run = await day.call("POST", f"{API}/autopay/run", "billing_tech",
                         json={"today": run_on.isoformat()})
    [debit] = run["scheduled"]
    assert (debit["account_id"], Decimal(debit["amount"]), debit["debit_on"]) == (
        account_id, day.bill_total, settles.isoformat()), debit
    cut = await day.call("POST", f"{API}/autopay/files", "billing_tech", json={
        "today": run_on.isoformat(), "effective_on": settles.isoformat()})
    f = cut["file"]
    assert (f["prenote_count"], f["debit_count"], Decimal(f["total"])) == (
        0, 1, day.bill_total), cut
    [sent] = cut["debits"]
    assert sent["status"] == "sent" and sent["payment_id"], sent
    parsed = await nacha_file(day, f)
    [entry] = parsed["batches"][0]["entries"]
    cents = int(day.bill_total * 100)
    assert (entry["txn_code"], entry["amount_cents"], entry["routing"], entry["id_number"]) == (
        27, cents, ROUTING, number)
    assert (parsed["control"]["entry_addenda_count"], parsed["control"]["total_debit"]) == (
        1, cents)
    day.bank_day = Day(day.http, settles, [(account_id, number)], day.tokens, taken=[
        Taken("autopay", "bank", account_id, day.bill_total, str(sent["payment_id"]))])


STEPS: list[Step] = [
    open_drawer,
    take_cash_and_check,
    post_mail_batch,
    import_lockbox_and_resolve_the_unmatched_line,
    close_and_sign_off_drawer,
    prepare_and_sign_off_deposit,
    one_return,
    autopay_run_and_nacha_file,
]


async def delivered_report(day: Day, seconds: float = 60.0) -> dict[str, Any]:
    """The end-of-day report once billing's ledger has received every payment of the day and
    payments has heard it (the relay delivers both ways)."""
    deadline = time.monotonic() + seconds
    while True:
        r = await day.call("GET", f"{API}/dayend", "billing_tech",
                           params={"date": day.on.isoformat()})
        tie = r["tie_out"]
        if (tie["balanced"] and tie["payments"]["matched"]["count"] == len(day.taken)
                and tie["returns"]["matched"]["count"] == len(day.returned)):
            return dict(r)
        assert time.monotonic() < deadline, f"the day never tied out: {tie}"
        await asyncio.sleep(0.5)


async def billing_ledger(day: Day) -> Decimal:
    """Payments less reversals billing's ledger holds for the day (billing's own API)."""
    total = Decimal("0.00")
    for account_id in {t.account_id for t in [*day.taken, *day.returned]}:
        led = await day.call("GET", f"/api/billing/ledger/accounts/{account_id}", "supervisor")
        total -= sum((Decimal(e["amount"]) for e in led["entries"]
                      if e["kind"] in ("payment", "payment_reversal")
                      and e["posted_on"] == day.on.isoformat()), Decimal("0.00"))
    return total


async def metered_account(url: str, skip: list[tuple[str, str]],
                          ) -> tuple[str, str, str, Decimal]:
    """A demo account with one metered residential water agreement, not among `skip`: the
    one billed and debited by autopay."""
    conn = await asyncpg.connect(url)
    try:
        row = await conn.fetchrow(
            "SELECT a.id::text, a.number, m.id::text AS meter_id, m.install_read "
            "FROM accounts.accounts a JOIN accounts.service_agreements sa "
            "ON sa.account_id = a.id AND sa.service = 'water' AND sa.rate_class = 'RES-SF' "
            "JOIN accounts.meters m ON m.id = sa.meter_id WHERE a.status = 'active' "
            "AND NOT a.id::text = ANY($1::text[]) AND (SELECT count(*) FROM "
            "accounts.service_agreements o WHERE o.account_id = a.id "
            "AND o.service = 'water') = 1 ORDER BY a.number LIMIT 1", [a for a, _ in skip])
    finally:
        await conn.close()
    assert row is not None
    return row["id"], row["number"], row["meter_id"], Decimal(row["install_read"] or 0)


def by(rows: list[dict[str, Any]], key: str) -> dict[str, Decimal]:
    return {r[key]: Decimal(r["total"]) for r in rows}


async def demo_accounts(url: str, n: int) -> list[tuple[str, str]]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT id::text, number FROM accounts.accounts "
                                "WHERE status = 'active' ORDER BY number LIMIT $1", n)
    finally:
        await conn.close()
    return [(r["id"], r["number"]) for r in rows]


async def login(http: httpx.AsyncClient, user: str) -> dict[str, str]:
    r = await http.post("/api/auth/token", data={"username": user, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def known_to_payments(day: Day, seconds: float = 90.0) -> None:
    """The relay has brought the demo accounts to payments' copy."""
    deadline = time.monotonic() + seconds
    for _, number in day.accounts:
        while (await day.http.get(f"{API}/accounts/{number}",
                                  headers=day.who("csr1"))).status_code != 200:
            assert time.monotonic() < deadline, f"payments never heard of {number}"
            await asyncio.sleep(0.5)


async def test_a_day_on_the_demo_district_ties_report_deposit_and_ledger_to_the_cent(
        fresh_database, monkeypatch):
    started = time.monotonic()
    settings = Settings(database_url=fresh_database, data_dir=get_settings().data_dir)
    count = int(os.environ.get("DAY_TEST_ACCOUNTS", "150"))
    monkeypatch.setattr(accounts_demo, "load_demo",
                        functools.partial(accounts_demo.load_demo, count=count))
    assert await load_demo(settings)
    accounts = await demo_accounts(fresh_database, 6)
    debited = await metered_account(fresh_database, accounts)
    with running_stack(fresh_database) as stack:
        async with httpx.AsyncClient(base_url=stack.base, timeout=30) as http:
            day = Day(http, utility_today(), accounts, autopay_account=debited)
            for user in ("csr1", "billing_tech", "supervisor"):
                day.tokens[user] = await login(http, user)
            await known_to_payments(day)
            for step in STEPS:
                await step(day)
            report = await delivered_report(day)
            ledger = await billing_ledger(day)
            assert day.bank_day is not None
            bank_report = await delivered_report(day.bank_day)
            bank_ledger = await billing_ledger(day.bank_day)
            slip = await day.call("GET", f"{API}/bank-deposits/{day.deposit['id']}/slip.pdf",
                                  "billing_tech")
    taken = sum((t.amount for t in day.taken), Decimal("0.00"))
    returned = sum((t.amount for t in day.returned), Decimal("0.00"))
    # the report: every payment of the day, by channel and tender
    assert Decimal(report["totals"]["total"]) == taken
    for key in ("channel", "tender"):
        want: dict[str, Decimal] = {}
        for t in day.taken:
            want[getattr(t, key)] = want.get(getattr(t, key), Decimal("0.00")) + t.amount
        assert by(report[f"by_{key}"], key) == want
    # billing's ledger (its API, after the relay delivered) received exactly that, less returns
    assert ledger == taken - returned
    tie = report["tie_out"]
    assert Decimal(tie["payments"]["ledger"]["total"]) == taken
    assert Decimal(tie["returns"]["ledger"]["total"]) == returned
    # the deposit: the counter's and the mail's money (cash over the float, checks)
    counter_and_mail = sum((t.amount for t in day.taken if t.channel in ("counter", "mail")),
                           Decimal("0.00"))
    assert Decimal(day.deposit["total"]) == counter_and_mail == Decimal("428.06")
    assert Decimal(day.deposit["cash_total"]) == Decimal("64.37")
    assert day.deposit["status"] == "deposited"
    bd = report["bank_deposit"]
    assert bd["balanced"] and Decimal(bd["deposited"]) == Decimal(day.deposit["total"])
    assert by(report["by_settlement"], "settled_by")["lockbox"] == Decimal("96.82")
    assert [(r["amount"], r["in_ledger"]) for r in report["returns"]] == [
        (str(t.amount), True) for t in day.returned]
    assert [d["number"] for d in report["deposits"]] == [day.deposit["number"]]
    assert "$428.06" in pdf_text(slip.content)
    # autopay: the debit's effective date, its report and billing's ledger for that date
    bank = day.bank_day
    [debit] = bank.taken
    assert debit.amount == day.bill_total > 0
    assert Decimal(bank_report["totals"]["total"]) == debit.amount == bank_ledger
    assert by(bank_report["by_channel"], "channel") == {"autopay": debit.amount}
    assert by(bank_report["by_tender"], "tender") == {"bank": debit.amount}
    assert by(bank_report["by_settlement"], "settled_by") == {"bank": debit.amount}
    bank_tie = bank_report["tie_out"]
    assert Decimal(bank_tie["payments"]["ledger"]["total"]) == debit.amount
    assert bank_report["returns"] == [] and bank_report["deposits"] == []
    assert [len(f["batches"][0]["entries"]) for f in day.nacha] == [1, 1]
    assert day.nacha[1]["control"]["total_debit"] == int(debit.amount * 100)
    print(f"\nday on the demo district: {len(day.taken)} payments, {taken} taken, "
          f"{returned} returned, deposit {day.deposit['total']}; autopay {debit.amount} "
          f"(bill of {day.bill_total}) settled by the bank on {bank.on}, ledger {bank_ledger}; "
          f"in {time.monotonic() - started:.1f} s")
