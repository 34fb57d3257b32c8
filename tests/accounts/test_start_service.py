"""Move-in: a CSR starts service at a premise for a date, in one transaction."""

from __future__ import annotations

from tests.accounts.factories import (
    audits,
    customer_body,
    events,
    metered_premise,
    start_service,
)


async def test_move_in_creates_customer_account_agreements_order_letter_and_events(
        client, auth, bound):
    premise, meter = await metered_premise(client, auth)
    out = await start_service(client, auth("csr1"), premise["id"], "2026-02-01")

    account = out["account"]
    assert account["status"] == "active" and len(account["number"]) == 9
    services = sorted(sa["service"] for sa in out["service_agreements"])
    assert services == ["wastewater", "water"]
    assert all(sa["meter_id"] == meter["id"] for sa in out["service_agreements"])
    assert out["service_order"]["kind"] == "turn_on"
    assert out["service_order"]["meter_id"] == meter["id"]
    assert out["deposit"] == {"required": True, "amount": "100.00",
                              "reason": "policy deposit for single_family service"}
    assert account["deposit_held"] == "100.00"

    started = await events(bound, "accounts.ServiceStarted")
    assert {e["service_agreement"]["service"] for e in started} == {"water", "wastewater"}
    assert started[0]["key"] == f"account:{account['id']}"
    assert started[0]["service_agreement"]["start_date"] == "2026-02-01"
    created = await events(bound, "accounts.ServiceOrderCreated")
    assert created[-1]["service_order"]["kind"] == "turn_on"
    changed = await events(bound, "accounts.AccountChanged")
    assert changed[-1]["account"]["deposit_held"] == "100.00"
    assert changed[-1]["deposit_decision"]["amount"] == "100.00"
    assert len(await audits(bound, "service_agreement.start")) == 2

    docs = await client.get(f"/api/accounts/contacts/{account['id']}/documents",
                            headers=auth("csr1"))
    assert [d["template"] for d in docs.json()] == ["welcome"]
    pdf = await client.get(f"/api/accounts/contacts/documents/{out['welcome_letter_id']}",
                           headers=auth("csr1"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_owner_moving_in_pays_no_deposit(client, auth):
    premise, _ = await metered_premise(client, auth)
    out = await start_service(client, auth("csr1"), premise["id"],
                              deposit={"is_owner": True})
    assert out["deposit"]["required"] is False
    assert out["deposit"]["reason"] == "owner of the premise"
    assert out["account"]["deposit_held"] == "0.00"


async def test_second_active_water_service_at_a_premise_is_refused_naming_services(
        client, auth):
    premise, _ = await metered_premise(client, auth)
    await start_service(client, auth("csr1"), premise["id"])
    r = await client.post("/api/accounts/agreements/start", headers=auth("csr1"), json={
        "start_date": "2026-03-01", "premise_id": premise["id"], "customer": customer_body()})
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["field"] == "services"


async def test_move_in_needs_a_customer(client, auth):
    premise, _ = await metered_premise(client, auth)
    r = await client.post("/api/accounts/agreements/start", headers=auth("csr1"),
                          json={"start_date": "2026-03-01", "premise_id": premise["id"]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "customer"


async def test_field_technician_may_not_start_service(client, auth):
    premise, _ = await metered_premise(client, auth)
    r = await client.post("/api/accounts/agreements/start", headers=auth("field_tech"), json={
        "start_date": "2026-03-01", "premise_id": premise["id"], "customer": customer_body()})
    assert r.status_code == 403
