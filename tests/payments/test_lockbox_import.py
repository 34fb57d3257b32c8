"""The lockbox import: the bank's file posts each matched check once, billing's ledger receives
it, a re-sent file changes nothing, unmatched checks wait in suspense for staff."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kernel.checkdigit import printed
from services.payments.lockbox.domain import Layout
from services.payments.lockbox.sample import SampleBatch, SampleCheck, SampleFile
from tests.payments.helpers import Acct, make_account, posted_events, table_count

URL = "/api/payments/lockbox"
WRITTEN = ("payments", "lockbox_imports", "lockbox_suspense", "outbox")


def a_file(*checks: tuple[str, str], file_id: str = "LBX-A") -> SampleFile:
    return SampleFile(file_id=file_id, batches=(SampleBatch(1, SampleFile().created, tuple(
        SampleCheck(account=acct, amount=Decimal(amount), check_number=str(100 + i),
                    routing="055551436", remitter_account=f"12345678{i:02d}")
        for i, (acct, amount) in enumerate(checks))),))


async def upload(client: Any, who: dict[str, str], body: bytes) -> Any:
    return await client.post(f"{URL}/imports", headers=who,
                             files={"file": ("lockbox.txt", body, "text/plain")})


async def counts(bound: dict[str, Any]) -> list[int]:
    return [await table_count(bound, t) for t in WRITTEN]


async def ledger_payments(client: Any, who: dict[str, str], a: Acct) -> list[str]:
    led = (await client.get(f"/api/billing/ledger/accounts/{a.id}", headers=who)).json()
    return sorted(e["amount"] for e in led["entries"] if e["kind"] == "payment")


async def test_a_file_posts_each_matched_check_once_and_billing_credits_them(
        client, feed, cashier, pump, bound):
    a, b = await make_account(feed), await make_account(feed)
    body = a_file((printed(a.number), "120.50"), (printed(b.number), "30.00"),
                  (a.number, "9.99")).render()
    r = await upload(client, cashier, body)
    assert r.status_code == 201, r.text
    imp = r.json()
    assert (imp["line_count"], imp["posted_count"], imp["posted_total"],
            imp["suspense_count"], imp["duplicate"]) == (3, 3, "160.49", 0, False)
    events = await posted_events(bound)
    assert sorted((k, p["payment"]["amount"]) for k, p in events) == sorted([
        (f"account:{a.id}", "120.50"), (f"account:{b.id}", "30.00"),
        (f"account:{a.id}", "9.99")])
    assert {p["payment"]["channel"] for _, p in events} == {"lockbox"}
    await pump("payments", "billing")
    await pump("payments", "billing")
    assert await ledger_payments(client, cashier, a) == ["-120.50", "-9.99"]
    assert await ledger_payments(client, cashier, b) == ["-30.00"]
    got = await client.get(f"{URL}/imports/{imp['id']}", headers=cashier)
    assert got.status_code == 200 and got.json()["posted_total"] == "160.49"


async def test_the_same_file_twice_or_as_csv_changes_nothing_and_answers_the_first_import(
        client, feed, cashier, cashier2, bound):
    a = await make_account(feed)
    f = a_file((printed(a.number), "40.00"), ("", "5.00"))
    first = await upload(client, cashier, f.render())
    assert first.status_code == 201, first.text
    before = await counts(bound)
    again = await upload(client, cashier2, f.render(crlf=True))
    as_csv = await upload(client, cashier, f.render(Layout.CSV))
    for r in (again, as_csv):
        assert r.status_code == 201, r.text
        assert r.json()["id"] == first.json()["id"] and r.json()["duplicate"] is True
    assert await counts(bound) == before == [1, 1, 1, 1]


async def test_a_file_id_reused_for_other_checks_is_refused_with_nothing_written(
        client, feed, cashier, bound):
    a = await make_account(feed)
    assert (await upload(client, cashier, a_file((a.number, "10.00")).render())
            ).status_code == 201
    before = await counts(bound)
    r = await upload(client, cashier, a_file((a.number, "11.00")).render())
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    assert await counts(bound) == before


async def test_an_unmatched_check_waits_in_suspense_and_resolving_it_posts_once(
        client, feed, cashier, sup, pump, bound):
    a = await make_account(feed)
    misread = a.number[:-1] + str((int(a.number[-1]) + 1) % 10)
    r = await upload(client, cashier, a_file((a.number, "25.00"), (misread, "61.17")).render())
    assert r.status_code == 201, r.text
    assert (r.json()["posted_count"], r.json()["suspense_count"],
            r.json()["suspense_total"]) == (1, 1, "61.17")
    queue = (await client.get(f"{URL}/suspense?status=open", headers=cashier)).json()
    assert [(x["reason"], x["amount"], x["account_as_read"], x["last4"]) for x in queue] == [
        ("bad-check-digit", "61.17", misread, "7801")]
    assert "1234567801" not in str(queue)
    line = queue[0]["id"]
    resolve = {"account_number": printed(a.number), "note": "stub misread: name matches"}
    done = await client.post(f"{URL}/suspense/{line}/resolve", json=resolve, headers=sup)
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["resolved_by"]) == ("resolved", "sam")
    twice = await client.post(f"{URL}/suspense/{line}/resolve", json=resolve, headers=sup)
    assert twice.status_code == 409
    assert await table_count(bound, "payments") == 2
    await pump("payments", "billing")
    assert await ledger_payments(client, cashier, a) == ["-25.00", "-61.17"]
    assert (await client.get(f"{URL}/suspense?status=open", headers=cashier)).json() == []


async def test_a_returned_suspense_check_posts_nothing_and_keeps_its_reason(
        client, feed, cashier, bound):
    r = await upload(client, cashier, a_file(("", "18.00")).render())
    line = (await client.get(f"{URL}/suspense", headers=cashier)).json()[0]
    assert line["reason"] == "no-account"
    no_reason = await client.post(f"{URL}/suspense/{line['id']}/return", json={"reason": ""},
                                  headers=cashier)
    assert no_reason.status_code == 422
    ret = await client.post(f"{URL}/suspense/{line['id']}/return",
                            json={"reason": "no stub, no name: back to sender"}, headers=cashier)
    assert ret.status_code == 200, ret.text
    assert (ret.json()["status"], ret.json()["note"]) == (
        "returned", "no stub, no name: back to sender")
    assert r.json()["posted_count"] == 0 and await table_count(bound, "payments") == 0


async def test_a_bad_file_is_a_problem_naming_the_line_and_nothing_is_written(
        client, feed, cashier, bound):
    a = await make_account(feed)
    lines = a_file((a.number, "10.00"), (a.number, "20.00")).render().decode().splitlines()
    lines[-1] = lines[-1][:12] + "0" * 13 + "1"  # the file trailer's total is off by a cent
    r = await upload(client, cashier, ("\n".join(lines) + "\n").encode())
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "lockbox-totals-mismatch"
    assert r.json()["errors"][0]["field"] == f"line {len(lines)}"
    garbage = await upload(client, cashier, b"hello\n")
    assert garbage.status_code == 422 and garbage.json()["code"] == "lockbox-malformed"
    assert await counts(bound) == [0, 0, 0, 0]


async def test_only_payment_staff_import_and_work_suspense(client, feed, auth, bound):
    a = await make_account(feed)
    body = a_file((a.number, "10.00")).render()
    for role in ("field_tech",):
        r = await upload(client, auth(role, "x"), body)
        assert r.status_code == 403, role
        assert (await client.get(f"{URL}/suspense", headers=auth(role, "x"))).status_code == 403
    assert (await client.post(f"{URL}/imports", files={"file": ("f", body)})).status_code == 401
    assert await counts(bound) == [0, 0, 0, 0]
    for role in ("billing_tech", "csr2", "supervisor"):
        r = await upload(client, auth(role, role), body)
        assert r.status_code == 201, (role, r.text)


async def test_a_check_for_a_closed_or_unknown_account_waits_and_only_an_open_one_takes_it(
        client, feed, cashier, bound):
    closed, open_ = await make_account(feed, status="closed"), await make_account(feed)
    r = await upload(client, cashier, a_file((closed.number, "12.00")).render())
    assert (r.json()["posted_count"], r.json()["suspense_count"]) == (0, 1)
    line = (await client.get(f"{URL}/suspense", headers=cashier)).json()[0]
    assert line["reason"] == "account-not-open"
    refused = await client.post(f"{URL}/suspense/{line['id']}/resolve", headers=cashier,
                                json={"account_number": closed.number})
    assert refused.status_code == 409
    assert await table_count(bound, "payments") == 0
    ok = await client.post(f"{URL}/suspense/{line['id']}/resolve", headers=cashier,
                           json={"account_number": open_.number, "note": "moved house"})
    assert ok.status_code == 200, ok.text
    assert await table_count(bound, "payments", f"account_id = '{open_.id}'") == 1
