"""Every path answers a method it does not have with 405 and an `Allow` listing what it has.

Checked through the gateway for every path of the merged OpenAPI document: the gateway's own
(login, health) and each service's, where overlapping templates (`/accounts/mine` beside
`/accounts/{account_id}`) used to hand the request to the wrong route.
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI

from kernel.app import install_routing_rules
from kernel.routing import shadowed_routes

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "QUERY")
_SAMPLE = "00000000-0000-4000-8000-000000000001"


async def test_every_path_refuses_each_undeclared_method_with_its_own_allow(client):
    doc = (await client.get("/api/openapi.json")).json()
    assert len(doc["paths"]) > 100
    wrong = []
    for template, item in doc["paths"].items():
        declared = {m.upper() for m in item if m.upper() in METHODS}
        path = re.sub(r"{[^}]+}", _SAMPLE, template)
        for method in sorted(set(METHODS) - declared):
            r = await client.request(method, path)
            allow = {m.strip() for m in r.headers.get("allow", "").split(",") if m.strip()}
            if r.status_code != 405 or allow != declared:
                wrong.append(f"{method} {path}: {r.status_code} Allow={sorted(allow)} "
                             f"declared={sorted(declared)}")
            elif method != "HEAD":
                assert r.headers["content-type"].startswith("application/problem+json")
    assert not wrong, "\n".join(wrong)


async def test_a_concrete_path_is_not_taken_by_its_templated_neighbour(client, auth):
    r = await client.patch("/api/accounts/accounts/mine", headers=auth("csr1"), json={})
    assert r.status_code == 405 and r.headers["allow"] == "GET"
    assert r.json()["code"] == "method-not-allowed"


async def test_the_gateways_own_paths_answer_405_not_no_such_service(client):
    r = await client.put("/api/auth/me")
    assert r.status_code == 405 and r.headers["allow"] == "GET"
    assert "x-request-id" in r.headers
    r = await client.delete("/api/health")
    assert r.status_code == 405 and r.headers["allow"] == "GET"
    r = await client.get("/api/auth/nothing-here")
    assert r.status_code == 404


def test_a_concrete_path_registered_after_its_templated_neighbour_is_not_built():
    app = FastAPI()

    @app.get("/items/{item_id}")
    async def item(item_id: str) -> None: ...

    @app.get("/items/mine")
    async def mine() -> None: ...

    assert shadowed_routes(app.routes) == ["GET /items/mine is taken by /items/{item_id}"]
    with pytest.raises(TypeError, match="concrete path"):
        install_routing_rules(app)
