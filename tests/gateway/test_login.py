"""Staff log in at the gateway and the services honour the token themselves."""

from __future__ import annotations

import pytest

from tests.gateway.factories import PASSWORD, staff_user


@pytest.fixture
async def supervisor(bound, gateway_app):
    return await staff_user(gateway_app, "sup", "supervisor")


async def test_supervisor_logs_in_and_gets_a_bearer_token(client, supervisor):
    r = await client.post("/api/auth/token", data={"username": "sup", "password": PASSWORD})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["role"] == "supervisor"
    me = await client.get("/api/auth/me",
                          headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["authority"] == "1000.00"


async def test_wrong_password_is_401_problem(client, supervisor):
    r = await client.post("/api/auth/token", data={"username": "sup", "password": "nope"})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "unauthorized"


async def test_proxy_reaches_service_health(client):
    r = await client.get("/api/billing/health")
    assert r.status_code == 200, r.text
    assert r.json()["service"] == "billing"
