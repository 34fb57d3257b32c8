"""A retried write with the same Idempotency-Key gets the first answer; misuse is refused."""

from __future__ import annotations

import uuid

from starlette.requests import Request

from kernel import idempotency
from tests.conftest import mint_token
from tests.events.helpers import database


def _user(name: str) -> dict[str, str]:
    return {"username": name, "display_name": "Pat Clerk", "role": "csr1",
            "password": "a-long-enough-pass"}


async def test_same_key_and_body_returns_the_first_response_once(client, auth):
    headers = {**auth("admin"), "Idempotency-Key": "k-1"}
    first = await client.post("/api/auth/users", json=_user("pat"), headers=headers)
    again = await client.post("/api/auth/users", json=_user("pat"), headers=headers)
    assert first.status_code == 201, first.text
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers.get("idempotent-replayed") == "true"
    users = await client.get("/api/auth/users", headers=auth("admin"))
    assert [u["username"] for u in users.json()].count("pat") == 1


async def test_same_key_with_another_body_is_422(client, auth):
    headers = {**auth("admin"), "Idempotency-Key": "k-2"}
    assert (await client.post("/api/auth/users", json=_user("kim"),
                              headers=headers)).status_code == 201
    r = await client.post("/api/auth/users", json=_user("lee"), headers=headers)
    assert r.status_code == 422
    assert r.json()["code"] == "idempotency-key-reused"


async def test_keys_are_scoped_to_the_caller(client, auth):
    a = await client.post("/api/auth/users", json=_user("ann"),
                          headers={**auth("admin", sub="admin-a"), "Idempotency-Key": "same"})
    b = await client.post("/api/auth/users", json=_user("bob"),
                          headers={**auth("admin", sub="admin-b"), "Idempotency-Key": "same"})
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


async def test_a_failed_request_is_not_remembered(client, auth):
    headers = {**auth("admin"), "Idempotency-Key": "k-3"}
    bad = dict(_user("zed"), role="wizard")
    assert (await client.post("/api/auth/users", json=bad, headers=headers)).status_code == 422
    ok = await client.post("/api/auth/users", json=_user("zed"), headers=headers)
    assert ok.status_code == 201


def _request(token: str) -> Request:
    scope = {"type": "http", "method": "POST", "path": "/x", "headers":
             [(b"authorization", f"Bearer {token}".encode())], "query_string": b""}
    return Request(scope)


async def test_a_concurrent_duplicate_is_409_while_the_first_is_running(fresh_database):
    db = database(fresh_database, "gateway")
    token = mint_token("admin")
    key = uuid.uuid4().hex
    try:
        async with db.session() as first, db.session() as second:
            claim = await idempotency.claim(first, _request(token), key, "fp")
            assert isinstance(claim, idempotency.Claim)
            busy = await idempotency.claim(second, _request(token), key, "fp")
            assert getattr(busy, "status_code", None) == 409
    finally:
        await db.dispose()


async def test_an_expired_key_is_a_new_request_and_is_purged(client, auth, bound):
    from sqlalchemy import text

    from kernel.idempotency import purge_expired

    headers = {**auth("admin"), "Idempotency-Key": "k-old"}
    assert (await client.post("/api/auth/users", json=_user("old"),
                              headers=headers)).status_code == 201
    await bound["gateway"].execute(text(
        "UPDATE idempotency_keys SET created_at = now() - interval '25 hours'"))
    fresh = await client.post("/api/auth/users", json=_user("new"), headers=headers)
    assert fresh.status_code == 201 and fresh.json()["username"] == "new"
    await bound["gateway"].execute(text(
        "UPDATE idempotency_keys SET created_at = now() - interval '25 hours'"))
    from sqlmodel.ext.asyncio.session import AsyncSession

    async with AsyncSession(bind=bound["gateway"]) as s:
        assert await purge_expired(s, 24) == 1


def test_the_remembered_fingerprint_is_a_keyed_hash_so_a_body_cannot_be_guessed_from_it():
    """A body with a bank account number must not be recoverable by hashing candidates."""
    import hashlib

    body = b'{"routing_number": "122000247", "account_number": "000123456789"}'
    plain = hashlib.sha256(b"POST /api/payments/x\n\n" + body).hexdigest()
    keyed = idempotency.fingerprint("POST", "/api/payments/x", "", body)
    assert keyed != plain
    assert keyed == idempotency.fingerprint("POST", "/api/payments/x", "", body)
    assert keyed != idempotency.fingerprint("POST", "/api/payments/x", "", body + b" ")
