"""The gateway routes to services, reports their health, and publishes one OpenAPI document."""

from __future__ import annotations

import httpx

from gateway.app import create_app
from kernel.settings import SERVICES


async def test_merged_openapi_lists_operations_of_all_four_services_and_login(client):
    doc = (await client.get("/api/openapi.json")).json()
    paths = doc["paths"]
    for service in SERVICES:
        assert f"/api/{service}/health" in paths
        assert f"/api/{service}/admin/events/parked" in paths
    assert "/api/auth/token" in paths
    ids = [op["operationId"] for item in paths.values() for op in item.values()
           if isinstance(op, dict) and "operationId" in op]
    assert len(ids) == len(set(ids))
    assert doc["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"][
        "tokenUrl"] == "/api/auth/token"


async def test_health_reports_each_service_and_the_database(client):
    r = await client.get("/api/health")
    body = r.json()
    names = {c["name"]: c["status"] for c in body["components"]}
    assert body["database"] == "ok"
    assert all(names[s] == "ok" for s in SERVICES)
    assert names["relay"] == "down"  # no relay process in this in-process test
    assert r.status_code == 503 and body["status"] == "down"


class _Refuse(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request):
        raise httpx.ConnectError("refused", request=request)


class _Slow(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request):
        raise httpx.ReadTimeout("slow", request=request)


async def test_a_service_that_is_down_is_a_502_problem_and_a_slow_one_504(bound):
    app = create_app(transports={"accounts": _Refuse(), "billing": _Slow()})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://t") as c:
        down = await c.get("/api/accounts/anything")
        slow = await c.get("/api/billing/anything")
    assert down.status_code == 502 and down.json()["code"] == "bad-gateway"
    assert slow.status_code == 504 and slow.json()["code"] == "gateway-timeout"
    assert down.headers["content-type"].startswith("application/problem+json")
