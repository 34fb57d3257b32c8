"""Closed accounts still owing after the closing bill: a transfer to the customer's active
account is offered first; else collection letters 1 and 2 on the policy's days, then the
agency; the daily step twice on one day does nothing new."""

from __future__ import annotations

from tests.billing.helpers import RATES, billed_run, make_site, read
from tests.billing.helpers import Feeder as BillingFeeder
from tests.collections.closed_helpers import (
    account_changed,
    active_account_of,
    closed_account,
    events,
    notices_of,
    pay,
)
from tests.collections.helpers import Acct


async def run(client, h, day):
    r = await client.post("/api/collections/closed/run", json={"today": day}, headers=h)
    assert r.status_code == 200, r.text
    return r.json()


async def case(client, h, account_id, day):
    r = await client.get(f"/api/collections/closed/{account_id}", params={"today": day},
                         headers=h)
    assert r.status_code == 200, r.text
    return r.json()


def counts(r):
    return {k: r[k] for k in ("opened", "paid", "recalled", "letter_1", "letter_2")}


async def test_without_an_active_account_letters_1_and_2_go_out_on_the_policys_days(
        client, feed, bound, sup, csr):
    a = await closed_account(feed, owes="120.00", due="2026-03-26")
    # grace_days = 10 after the closing bill's due date
    assert counts(await run(client, sup, "2026-04-04"))["opened"] == 0
    assert counts(await run(client, sup, "2026-04-05")) == {
        "opened": 1, "paid": 0, "recalled": 0, "letter_1": 1, "letter_2": 0}
    assert counts(await run(client, sup, "2026-04-05")) == {  # twice a day: nothing new
        "opened": 0, "paid": 0, "recalled": 0, "letter_1": 0, "letter_2": 0}
    assert await notices_of(bound, a.id) == [("collection_letter_1", "120.00", "2026-04-20")]

    await pay(feed, a, "20.00", "2026-04-30", balance="100.00")
    assert counts(await run(client, sup, "2026-05-04"))["letter_2"] == 0  # 29 days after
    assert counts(await run(client, sup, "2026-05-05"))["letter_2"] == 1
    assert await notices_of(bound, a.id) == [("collection_letter_1", "120.00", "2026-04-20"),
                                             ("collection_letter_2", "100.00", "2026-05-20")]
    c = await case(client, csr, a.id, "2026-05-05")
    assert (c["status"], c["balance"], c["next_step"], c["next_on"]) == (
        "letters", "100.00", "referral", "2026-06-04")
    listed = await client.get("/api/collections/closed", params={"today": "2026-05-05"},
                              headers=csr)
    assert [x["account_number"] for x in listed.json()] == [a.number]


async def test_a_transfer_is_offered_first_and_the_letters_wait_for_staff(
        client, feed, bound, sup, csr):
    declined = await closed_account(feed, owes="75.00")
    await active_account_of(feed, declined)
    lapsed = await closed_account(feed, owes="33.10")
    other = await active_account_of(feed, lapsed)
    assert counts(await run(client, sup, "2026-04-05")) == {
        "opened": 2, "paid": 0, "recalled": 0, "letter_1": 0, "letter_2": 0}
    c = await case(client, csr, lapsed.id, "2026-04-05")
    assert (c["status"], c["transfer_to_account_number"], c["next_step"], c["next_on"]) == (
        "transfer_offered", other.number, "transfer_or_letter_1", "2026-04-19")

    r = await client.post(f"/api/collections/closed/{declined.id}/decline-transfer",
                          json={"reason": "The other account is a business the customer "
                                          "does not own"}, headers=csr)
    assert r.status_code == 200 and r.json()["offer_declined_by"] == "carmen", r.text
    assert counts(await run(client, sup, "2026-04-06"))["letter_1"] == 1  # the declined one
    assert await notices_of(bound, lapsed.id) == []
    assert counts(await run(client, sup, "2026-04-18"))["letter_1"] == 0
    assert counts(await run(client, sup, "2026-04-19"))["letter_1"] == 1  # 14 days lapsed
    assert [n[0] for n in await notices_of(bound, lapsed.id)] == ["collection_letter_1"]


async def test_a_closed_accounts_balance_moves_to_the_customers_active_account_once(
        client, bound, service_apps, feed, pump, auth, sup, csr):
    """Through billing for real: the closing bill comes from a bill run, the transfer is
    posted by billing's handler, and collections' copy learns it from billing's ledger."""
    tech, sup2 = auth("billing_tech", "tina"), auth("supervisor", "pat")
    assert (await client.post("/api/billing/rates/versions", json=RATES,
                              headers=tech)).status_code == 201
    bf = BillingFeeder(bound, service_apps)
    old = await make_site(bf, sewer=False)
    new = await make_site(bf, sewer=False, cycle="C9", customer_id=old.customer_id)
    await read(client, tech, old, "10")
    await billed_run(client, tech, sup, sup2)  # 20.00 + 10 HCF x 3.00, billed 2026-02-02
    a = Acct(old.account_id, "10000017", old.customer_id, old.premise_id)
    b = Acct(new.account_id, "10000025", new.customer_id, new.premise_id)
    await account_changed(feed, a, status="closed", closed_on="2026-01-31")
    await account_changed(feed, b, status="active")
    await feed.drain()
    await pump("billing", "collections")

    await run(client, sup, "2026-03-05")  # due 2026-02-23 + 10
    c = await case(client, csr, a.id, "2026-03-05")
    assert (c["status"], c["balance"], c["transfer_to_account_id"]) == (
        "transfer_offered", "50.00", b.id)
    h = {**csr, "Idempotency-Key": "move-1"}
    r = await client.post(f"/api/collections/closed/{a.id}/transfer",
                          json={"today": "2026-03-06"}, headers=h)
    assert r.status_code == 201, r.text
    assert (r.json()["amount"], r.json()["to_account_id"]) == ("50.00", b.id)
    again = await client.post(f"/api/collections/closed/{a.id}/transfer",
                              json={"today": "2026-03-06"}, headers=h)
    assert again.json() == r.json() and again.headers.get("idempotent-replayed") == "true"
    late = await client.post(f"/api/collections/closed/{a.id}/transfer",
                             json={"today": "2026-03-06"}, headers=csr)
    assert late.status_code == 409  # the case has ended: a second transfer is refused
    assert len(await events(bound, "collections.BalanceTransferred")) == 1

    await pump("collections", "billing")
    await pump("collections", "billing")  # delivered again: nothing more
    led_a = (await client.get(f"/api/billing/ledger/accounts/{a.id}", headers=tech)).json()
    led_b = (await client.get(f"/api/billing/ledger/accounts/{b.id}", headers=tech)).json()
    assert [(e["kind"], e["amount"]) for e in led_a["entries"]] == [
        ("bill", "50.00"), ("transfer_out", "-50.00")]
    assert [(e["kind"], e["amount"]) for e in led_b["entries"]] == [("transfer_in", "50.00")]
    assert (led_a["balance"], led_b["balance"]) == ("0.00", "50.00")

    await pump("billing", "collections")
    c = await case(client, csr, a.id, "2026-03-06")
    assert (c["status"], c["balance"], c["transfer"]["amount"]) == ("transferred", "0.00",
                                                                      "50.00")
    aging = await client.get(f"/api/collections/accounts/{b.id}/aging",
                             params={"today": "2026-03-06"}, headers=csr)
    assert aging.json()["balance"] == "50.00"


async def test_a_transfer_waits_while_collections_copy_is_behind_billing(
        client, feed, sup, csr):
    a = await closed_account(feed, owes="80.00")
    await active_account_of(feed, a)
    await run(client, sup, "2026-04-05")
    # billing announced a payment (balance 30.00) whose entry has not reached the copy yet
    await feed.send("billing.BillIssued", f"account:{a.id}", {
        "bill": {"id": "00000000-0000-0000-0000-00000000b111", "account_id": a.id,
                 "bill_date": "2026-03-05", "due_date": "2026-03-26", "total": "0.00",
                 "replaces": None, "segments": []}, "balance": "30.00",
        "budget_deferral": None})
    await feed.drain()
    r = await client.post(f"/api/collections/closed/{a.id}/transfer",
                          json={"today": "2026-04-06"}, headers=csr)
    assert r.status_code == 409 and r.json()["announced"] == "30.00", r.text


async def test_a_balance_moves_only_to_the_same_customers_active_account(
        client, feed, bound, auth, sup, csr):
    a = await closed_account(feed, owes="80.00")
    stranger = await closed_account(feed, owes="10.00")
    other = await active_account_of(feed, stranger)  # active, but another customer's
    await run(client, sup, "2026-04-05")
    assert (await case(client, csr, a.id, "2026-04-05"))["transfer_to_account_id"] is None
    r = await client.post(f"/api/collections/closed/{a.id}/transfer", headers=csr,
                          json={"today": "2026-04-06"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "to_account_id"
    r = await client.post(f"/api/collections/closed/{a.id}/transfer", headers=csr,
                          json={"today": "2026-04-06", "to_account_id": other.id})
    assert r.status_code == 422, r.text
    r = await client.post(f"/api/collections/closed/{a.id}/transfer", headers=csr,
                          json={"today": "2026-04-06", "to_account_id": stranger.id})
    assert r.status_code == 422, r.text
    by_csr1 = await client.post(f"/api/collections/closed/{a.id}/transfer",
                                headers=auth("csr1", "cleo"), json={})
    assert by_csr1.status_code == 403  # a CSR I views; CSR II and up move balances
    assert await events(bound, "collections.BalanceTransferred") == []
