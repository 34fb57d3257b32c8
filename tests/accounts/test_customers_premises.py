"""Customers, accounts (check digit), premises and the parcel report."""

from __future__ import annotations

from sqlalchemy import text

from services.accounts.customers.domain import account_number
from tests.accounts.factories import (
    create_premise,
    customer_body,
    events,
    metered_premise,
    start_service,
)


async def test_lookup_with_a_wrong_check_digit_is_refused_naming_number(client, auth):
    premise, _ = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"])
    number = started["account"]["number"]
    ok = await client.get(f"/api/accounts/accounts/by-number/{number}", headers=auth("csr1"))
    assert ok.status_code == 200 and ok.json()["id"] == started["account"]["id"]
    bad = number[:-1] + str((int(number[-1]) + 1) % 10)
    r = await client.get(f"/api/accounts/accounts/by-number/{bad}", headers=auth("csr1"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "number"


async def test_unknown_but_valid_number_is_not_found(client, auth):
    r = await client.get(f"/api/accounts/accounts/by-number/{account_number(99999998)}",
                         headers=auth("csr1"))
    assert r.status_code == 404


async def test_only_the_last_four_of_an_id_are_stored(client, auth, bound):
    r = await client.post("/api/accounts/customers", headers=auth("csr1"),
                          json=customer_body(id_kind="drivers_license", id_number="D1234-5678"))
    assert r.status_code == 201, r.text
    assert r.json()["id_last4"] == "5678"
    row = (await bound["accounts"].execute(text(
        "SELECT c::text AS doc FROM customers c WHERE id = :id"), {"id": r.json()["id"]})).one()
    assert "D1234" not in row.doc
    audit = (await bound["accounts"].execute(text(
        "SELECT after::text FROM audit_log WHERE entity_id = :id"), {"id": r.json()["id"]})).one()
    assert "D1234" not in audit[0]
    check = await client.post(f"/api/accounts/customers/{r.json()['id']}/identity-check",
                              headers=auth("csr1"), json={"id_number_last4": "5678"})
    assert check.json() == {"matches": True}


async def test_customer_change_is_announced_with_its_accounts(client, auth, bound):
    premise, _ = await metered_premise(client, auth)
    started = await start_service(client, auth("csr1"), premise["id"])
    r = await client.patch(f"/api/accounts/customers/{started['customer']['id']}",
                           headers=auth("csr1"), json={"paperless": True, "language": "es"})
    assert r.status_code == 200 and r.json()["paperless"] is True
    changed = await events(bound, "accounts.CustomerChanged")
    assert changed[-1]["customer"]["language"] == "es"
    assert "id_last4" not in changed[-1]["customer"]
    accounts = await events(bound, "accounts.AccountChanged")
    assert accounts[-1]["account"]["paperless"] is True


async def test_customer_sees_only_their_own_account(client, auth):
    p1, _ = await metered_premise(client, auth)
    p2, _ = await metered_premise(client, auth)
    mine = (await start_service(client, auth("csr1"), p1["id"]))["account"]["id"]
    other = (await start_service(client, auth("csr1"), p2["id"]))["account"]["id"]
    h = auth("customer", sub="portal-user", accounts=(mine,))
    assert (await client.get(f"/api/accounts/accounts/{mine}", headers=h)).status_code == 200
    # another's account answers as an unknown one would (404), so ids cannot be probed
    assert (await client.get(f"/api/accounts/accounts/{other}", headers=h)).status_code == 404
    listed = await client.get("/api/accounts/accounts/mine", headers=h)
    assert [a["id"] for a in listed.json()] == [mine]
    assert (await client.get("/api/accounts/search", params={"q": "maria"},
                             headers=h)).status_code == 403


async def test_bad_apn_is_refused_naming_apn(client, auth):
    r = await client.post("/api/accounts/premises", headers=auth("csr1"), json={
        "address": {"line1": "1 Elm", "city": "Fresno", "state": "CA", "postal_code": "93701"},
        "apn": "12-34", "cycle": "C1", "route": "R01"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "apn"


async def test_single_family_premise_with_units_is_refused_naming_dwelling_units(client, auth):
    r = await client.post("/api/accounts/premises", headers=auth("csr1"), json={
        "address": {"line1": "1 Elm", "city": "Fresno", "state": "CA", "postal_code": "93701"},
        "apn": "123-456-78", "kind": "single_family", "dwelling_units": 3, "cycle": "C1",
        "route": "R01"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "dwelling_units"


async def test_parcel_report_counts_meter_connections_per_apn(client, auth, bound):
    apn = "777-123-45"
    a, _ = await metered_premise(client, auth, apn=apn, kind="multi_family", dwelling_units=2)
    b, _ = await metered_premise(client, auth, apn=apn, kind="irrigation")
    await create_premise(client, auth("csr1"), apn=apn)
    r = await client.get(f"/api/accounts/premises/parcels/{apn}", headers=auth("csr1"))
    assert r.status_code == 200
    assert r.json()["premises"] == 3 and r.json()["meter_connections"] == 2
    changed = await events(bound, "accounts.PremiseChanged")
    assert {e["premise"]["apn"] for e in changed} >= {apn}
