"""Tokens: short-lived, verified by every service, refresh rotates once, brute force is slowed."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kernel.settings import get_settings
from tests.conftest import mint_token
from tests.gateway.factories import PASSWORD, staff_user


@pytest.fixture
async def clerk(bound, gateway_app):
    return await staff_user(gateway_app, "clerk", "csr1")


async def _login(client, password=PASSWORD):
    return await client.post("/api/auth/token", data={"username": "clerk", "password": password})


async def test_a_refresh_token_works_once_and_yields_new_tokens(client, clerk):
    first = (await _login(client)).json()
    r = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200
    assert r.json()["refresh_token"] != first["refresh_token"]


async def test_reusing_a_rotated_refresh_token_ends_the_whole_session(client, clerk):
    first = (await _login(client)).json()
    second = (await client.post("/api/auth/refresh",
                                json={"refresh_token": first["refresh_token"]})).json()
    reuse = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401
    stolen = await client.post("/api/auth/refresh",
                               json={"refresh_token": second["refresh_token"]})
    assert stolen.status_code == 401


async def test_logout_revokes_the_refresh_token(client, clerk):
    tokens = (await _login(client)).json()
    assert (await client.post("/api/auth/logout",
                              json={"refresh_token": tokens["refresh_token"]})).status_code == 204
    r = await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 401


async def test_repeated_failed_logins_are_refused_with_429_even_with_the_right_password(
    client, clerk
):
    for _ in range(get_settings().login_max_failures):
        assert (await _login(client, "wrong-password")).status_code == 401
    locked = await _login(client)
    assert locked.status_code == 429
    assert locked.json()["code"] == "too-many-requests"


async def test_a_deactivated_user_cannot_log_in(client, clerk, auth):
    r = await client.patch("/api/auth/users/clerk", json={"active": False}, headers=auth("admin"))
    assert r.status_code == 200
    assert (await _login(client)).status_code == 401


async def test_services_refuse_requests_without_a_token(client):
    r = await client.get("/api/billing/admin/events/parked")
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


def _forge(**override):
    s = get_settings()
    now = int(time.time())
    claims = {"sub": "x", "role": "admin", "typ": "access", "iss": s.jwt_issuer,
              "aud": s.jwt_audience, "iat": now, "exp": now + 60, **override}
    return claims


@pytest.mark.parametrize("case", ["expired", "audience", "issuer", "foreign_key", "hs256",
                                  "refresh_typ", "garbage"])
async def test_services_reject_tokens_that_are_not_ours(client, case):
    from kernel.keys import private_key

    key = private_key(get_settings())
    if case == "expired":
        token = jwt.encode(_forge(exp=int(time.time()) - 10), key, algorithm="ES256")
    elif case == "audience":
        token = jwt.encode(_forge(aud="other"), key, algorithm="ES256")
    elif case == "issuer":
        token = jwt.encode(_forge(iss="evil"), key, algorithm="ES256")
    elif case == "foreign_key":
        other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())
        token = jwt.encode(_forge(), other.decode(), algorithm="ES256")
    elif case == "hs256":
        import base64
        import hashlib
        import hmac
        import json

        from kernel.keys import public_key

        def b64(raw: bytes) -> str:
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = b64(json.dumps(_forge()).encode())
        sig = hmac.new(public_key(get_settings()).encode(), f"{head}.{body}".encode(),
                       hashlib.sha256).digest()
        token = f"{head}.{body}.{b64(sig)}"  # the classic algorithm-confusion forgery
    elif case == "refresh_typ":
        token = jwt.encode(_forge(typ="refresh"), key, algorithm="ES256")
    else:
        token = "not-a-jwt"
    r = await client.get("/api/billing/admin/events/parked",
                         headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401, case


async def test_a_valid_admin_token_is_accepted_by_a_service(client):
    r = await client.get("/api/payments/admin/events/parked",
                         headers={"Authorization": f"Bearer {mint_token('admin')}"})
    assert r.status_code == 200 and r.json() == []
