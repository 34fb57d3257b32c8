"""SB 998's tenants: a landlord's tenant becomes the customer of the premise without the
landlord's arrears; the landlord keeps the debt, and collections no longer tags or cuts off a
premise the landlord has no service at."""

from __future__ import annotations

from datetime import date

import pytest

from tests.accounts.factories import customer_body
from tests.collections.field_helpers import released_notice, served, shutoff_step

DAY = date(2026, 3, 17)  # a Tuesday, 75 days after the bill's due date


@pytest.fixture
def admin(auth):
    return auth("admin", "ada")


async def _takeover(client, auth, premise_id: str, **kw):
    return await client.post("/api/accounts/agreements/tenant-takeover", headers=auth("csr2"),
                             json={"start_date": "2026-03-05", "premise_id": premise_id,
                                   "customer": customer_body(name="Tenant of unit 4"),
                                   "terms_accepted": True, **kw})


async def test_a_tenant_takes_over_the_landlords_premise_and_the_arrears_stay_behind(
        client, auth, pump, feed, bound, admin):
    s = await served(client, auth, pump, feed, kind="multi_family", units=8, owner=True)
    await shutoff_step(bound, s.account_id, taken_on=date(2026, 3, 2), disconnect_on=DAY)
    await released_notice(bound, s.account_id, released_on=date(2026, 3, 2), action_on=DAY)
    refused = await _takeover(client, auth, s.premise_id, terms_accepted=False)
    assert refused.status_code == 422
    r = await _takeover(client, auth, s.premise_id)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["landlord_account_id"] == s.account_id
    assert {sa["status"] for sa in out["landlord_stopped"]} == {"stopped"}
    assert [sa["stop_date"] for sa in out["landlord_stopped"]][0] == "2026-03-05"
    assert sorted(sa["service"] for sa in out["service_agreements"]) == sorted(
        sa["service"] for sa in out["landlord_stopped"])
    assert [o["kind"] for o in out["re_read_orders"]] == ["re_read"]
    again = await _takeover(client, auth, s.premise_id)
    assert again.status_code == 409  # the tenant's service is nobody's to take over

    await pump("accounts", "collections")
    r = await client.post("/api/collections/field/daily", json={"today": "2026-03-12"},
                          headers=admin)
    assert r.json()["door_tags"] == 0
    r = await client.post("/api/collections/field/daily", json={"today": str(DAY)},
                          headers=admin)
    assert r.json()["disconnects"] == 0
    # the landlord's debt is still theirs: their account still owes it in collections
    aging = (await client.get(f"/api/collections/accounts/{s.account_id}/aging",
                              headers=auth("csr2"))).json()
    assert aging["past_due"] == "120.00"


async def test_only_a_landlords_service_is_taken_over(client, auth, pump, feed):
    s = await served(client, auth, pump, feed)  # the customer of record is not the owner
    r = await _takeover(client, auth, s.premise_id)
    assert r.status_code == 409 and "owner" in r.json()["detail"]
