"""Accounts carries out collections' field orders: one order per reference however often the
request is delivered, a disconnect nobody completes in accounts but collections, kinds
collections may not ask for refused."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from tests.collections.field_helpers import served


async def deliver(bound, service_apps, type_, payload, key):
    await bound["accounts"].execute(text(
        "INSERT INTO inbox (event_id, source, type, version, key, key_seq, payload, "
        "occurred_at) VALUES (:e, 'collections', :t, 1, :k, "
        "(SELECT coalesce(max(key_seq), 0) + 1 FROM inbox WHERE source = 'collections' "
        "AND key = :k), CAST(:p AS jsonb), :o)"),
        {"e": uuid.uuid4(), "t": type_, "k": key, "p": json.dumps(payload),
         "o": datetime.now(UTC)})
    return await service_apps["accounts"].state.inbox.drain()


async def test_a_request_delivered_twice_makes_one_order_and_a_cancel_cancels_it(
        client, auth, pump, feed, bound, service_apps):
    s = await served(client, auth, pump, feed)
    ref = f"collections:{uuid.uuid4()}"
    req = {"kind": "disconnect_nonpayment", "account_id": s.account_id,
           "premise_id": s.premise_id, "scheduled_date": "2026-03-17",
           "reason": "Disconnection for non-payment", "reference": ref}
    key = f"account:{s.account_id}"
    await deliver(bound, service_apps, "collections.ServiceOrderRequested", req, key)
    await deliver(bound, service_apps, "collections.ServiceOrderRequested", req, key)
    r = await client.get("/api/accounts/orders", params={"account_id": s.account_id},
                         headers=auth("csr1"))
    mine = [o for o in r.json() if o["reference"] == ref]
    assert len(mine) == 1 and mine[0]["scheduled_date"] == "2026-03-17"
    # a supervisor cannot complete it in accounts either
    r = await client.post(f"/api/accounts/orders/{mine[0]['id']}/complete", json={},
                          headers=auth("supervisor"))
    assert r.status_code == 409 and r.json()["rule"] == "sb998.guarded_disconnect"
    await deliver(bound, service_apps, "collections.ServiceOrderCancelled",
                  {"reference": ref, "account_id": s.account_id, "reason": "cured"}, key)
    r = await client.get(f"/api/accounts/orders/{mine[0]['id']}", headers=auth("csr1"))
    assert r.json()["status"] == "cancelled"


@pytest.mark.parametrize("kind", ["turn_off", "meter_exchange"])
async def test_collections_may_not_ask_for_other_kinds(client, auth, pump, feed, bound,
                                                       service_apps, kind):
    s = await served(client, auth, pump, feed)
    ref = f"collections:{uuid.uuid4()}"
    await deliver(bound, service_apps, "collections.ServiceOrderRequested", {
        "kind": kind, "account_id": s.account_id, "premise_id": s.premise_id,
        "scheduled_date": "2026-03-17", "reference": ref}, f"account:{s.account_id}")
    r = await client.get("/api/accounts/orders", params={"account_id": s.account_id},
                         headers=auth("csr1"))
    assert [o for o in r.json() if o["reference"] == ref] == []
