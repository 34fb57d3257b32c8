"""What follows from a change happens once, in the change's transaction: search, letters, the
agreements' follow-ups and the outbox react to the facts the workflows record."""

from __future__ import annotations

from sqlalchemy import text

from tests.accounts.factories import (
    create_meter,
    create_premise,
    customer_body,
    events,
    metered_premise,
    start_service,
)


async def _search(client, auth, q):
    r = await client.get("/api/accounts/search", headers=auth("csr1"),
                         params={"q": q, "entity": "account"})
    assert r.status_code == 200, r.text
    return [h["id"] for h in r.json()]


async def _outbox(bound, key):
    rows = (await bound["accounts"].execute(text(
        "SELECT type, payload FROM outbox WHERE key = :k ORDER BY key_seq"), {"k": key})).all()
    return [(r.type, r.payload) for r in rows]


async def test_changing_a_customers_name_reindexes_every_account_of_that_customer(client, auth):
    first, _ = await metered_premise(client, auth)
    second, _ = await metered_premise(client, auth)
    one = await start_service(client, auth("csr1"), first["id"],
                              customer=customer_body(name="Philippa Wetherall"))
    customer_id = one["customer"]["id"]
    two = await start_service(client, auth("csr1"), second["id"], customer_id=customer_id)
    assert two["account"]["id"] != one["account"]["id"]

    r = await client.patch(f"/api/accounts/customers/{customer_id}", headers=auth("csr1"),
                           json={"name": "Philippa Okonkwo-Wetherall"})
    assert r.status_code == 200, r.text

    both = sorted([one["account"]["id"], two["account"]["id"]])
    assert sorted(await _search(client, auth, "philippa okonkwo")) == both


async def test_a_meter_exchange_announces_each_agreement_change_once_after_the_meters(
        client, auth, bound):
    premise, old = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"])
    account_id = started["account"]["id"]
    metered = sorted(sa["id"] for sa in started["service_agreements"] if sa["meter_id"])
    assert len(metered) == 2  # water and wastewater read the same meter
    new = await create_meter(client, auth("billing_tech"))

    r = await client.post(f"/api/accounts/meters/{old['id']}/exchange",
                          headers=auth("billing_tech"), json={
                              "on_date": "2026-05-01", "removal_read": "432",
                              "new_meter_id": new["id"], "install_read": "0"})
    assert r.status_code == 200, r.text

    changed = await events(bound, "accounts.ServiceAgreementChanged")
    assert sorted(e["service_agreement"]["id"] for e in changed) == metered
    assert {e["service_agreement"]["meter_id"] for e in changed} == {new["id"]}
    assert {e["reason"] for e in changed} == {"meter_exchange"}
    assert {e["key"] for e in changed} == {f"account:{account_id}"}
    outbox = (await bound["accounts"].execute(text(
        "SELECT type FROM outbox ORDER BY id"))).scalars().all()
    tail = outbox[-4:]
    assert tail == ["accounts.MeterChanged", "accounts.MeterChanged",
                    "accounts.ServiceAgreementChanged", "accounts.ServiceAgreementChanged"]


async def test_after_an_exchange_the_new_serial_finds_the_account_and_the_old_one_does_not(
        client, auth):
    premise, old = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"])
    account_id = started["account"]["id"]
    new = await create_meter(client, auth("billing_tech"))
    assert account_id in await _search(client, auth, old["serial"])

    r = await client.post(f"/api/accounts/meters/{old['id']}/exchange",
                          headers=auth("billing_tech"), json={
                              "on_date": "2026-05-01", "removal_read": "432",
                              "new_meter_id": new["id"], "install_read": "0"})
    assert r.status_code == 200, r.text

    assert account_id in await _search(client, auth, new["serial"])
    assert account_id not in await _search(client, auth, old["serial"])


async def test_the_last_final_read_closes_the_account_once_after_its_closing_bill_request(
        client, auth, bound):
    premise, _ = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"], "2026-02-01")
    account_id = started["account"]["id"]
    stop = await client.post("/api/accounts/agreements/stop", headers=auth("csr1"),
                             json={"account_id": account_id, "stop_date": "2026-06-30"})
    [order] = stop.json()["final_read_orders"]

    done = await client.post(f"/api/accounts/orders/{order['id']}/complete",
                             headers=auth("field_tech"), json={"read": "1234"})
    assert done.status_code == 200, done.text

    announced = await _outbox(bound, f"account:{account_id}")
    tail = [t for t, _ in announced[-3:]]
    assert tail == ["accounts.ServiceOrderCompleted", "accounts.ClosingBillRequested",
                    "accounts.AccountChanged"]
    assert announced[-1][1]["account"]["status"] == "closed"
    assert announced[-1][1]["account"]["closed_on"] == "2026-06-30"
    closed = [p for t, p in announced
              if t == "accounts.AccountChanged" and p["account"]["status"] == "closed"]
    assert len(closed) == 1


async def test_the_closing_letter_is_kept_under_the_id_the_move_out_answers_with(client, auth):
    premise, _ = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"], "2026-02-01")
    account_id = started["account"]["id"]
    stop = await client.post("/api/accounts/agreements/stop", headers=auth("csr1"),
                             json={"account_id": account_id, "stop_date": "2026-06-30"})
    assert stop.status_code == 200, stop.text

    docs = await client.get(f"/api/accounts/contacts/{account_id}/documents",
                            headers=auth("csr1"))
    closing = [d for d in docs.json() if d["template"] == "closing"]
    assert [d["id"] for d in closing] == [stop.json()["closing_letter_id"]]
    pdf = await client.get(f"/api/accounts/contacts/documents/{closing[0]['id']}",
                           headers=auth("csr1"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_a_refused_move_in_leaves_no_letter_no_search_row_and_no_event(
        client, auth, bound):
    premise = await create_premise(client, auth("csr1"))
    await start_service(client, auth("csr1"), premise["id"])
    before = (await bound["accounts"].execute(text(
        "SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM documents), "
        "(SELECT count(*) FROM search_index)"))).one()

    r = await client.post("/api/accounts/agreements/start", headers=auth("csr1"), json={
        "start_date": "2026-03-01", "premise_id": premise["id"],
        "customer": customer_body(name="Second Occupant")})
    assert r.status_code == 409  # the premise has active water service

    after = (await bound["accounts"].execute(text(
        "SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM documents), "
        "(SELECT count(*) FROM search_index)"))).one()
    assert tuple(after) == tuple(before)
    assert await _search(client, auth, "second occupant") == []
