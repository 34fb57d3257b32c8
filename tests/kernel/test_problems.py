"""Bad input is a 4xx problem+json naming the field, never a 500."""

from __future__ import annotations


async def test_invalid_field_is_422_naming_the_field(client, auth):
    r = await client.post("/api/auth/users", headers=auth("admin"),
                          json={"username": "x!", "display_name": "X", "role": "csr1",
                                "password": "long-enough-pw"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == 422 and body["type"].endswith("/validation")
    assert [e["field"] for e in body["errors"]] == ["username"]


async def test_malformed_json_is_422_not_500(client, auth):
    r = await client.post("/api/auth/users", headers={**auth("admin"),
                          "content-type": "application/json"}, content=b"{not json")
    assert r.status_code == 422


async def test_unknown_service_is_404_problem(client):
    r = await client.get("/api/nowhere/thing")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_every_response_carries_a_request_id_and_honours_the_callers(client):
    r = await client.get("/api/billing/health", headers={"X-Request-ID": "trace-12345678"})
    assert r.headers["x-request-id"] == "trace-12345678"
    assert len((await client.get("/api/billing/health")).headers["x-request-id"]) >= 8


async def test_wrong_role_is_403_problem(client, auth):
    r = await client.get("/api/auth/users", headers=auth("csr1"))
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden"


async def test_a_single_value_query_parameter_given_twice_is_refused(client, auth):
    r = await client.get("/api/billing/admin/events/parked?limit=5&limit=7", headers=auth("admin"))
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "limit", "message": "given more than once"}]
