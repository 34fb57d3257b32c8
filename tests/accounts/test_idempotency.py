"""A retried move-in with the same Idempotency-Key does the work once."""

from __future__ import annotations

from sqlalchemy import text

from tests.accounts.factories import customer_body, metered_premise


async def test_retried_move_in_with_the_same_key_starts_service_once(client, auth, bound):
    premise, _ = await metered_premise(client, auth)
    body = {"start_date": "2026-02-01", "premise_id": premise["id"],
            "customer": customer_body()}
    h = {**auth("csr1"), "Idempotency-Key": "move-in-7f3a"}
    first = await client.post("/api/accounts/agreements/start", json=body, headers=h)
    again = await client.post("/api/accounts/agreements/start", json=body, headers=h)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json()["account"]["id"] == first.json()["account"]["id"]
    n = (await bound["accounts"].execute(text(
        "SELECT count(*) FROM service_agreements WHERE premise_id = :p"),
        {"p": premise["id"]})).scalar_one()
    assert n == 2
