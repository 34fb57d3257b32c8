"""The gateway serves the built staff app: client-side routes fall back to index.html."""

from __future__ import annotations

from pathlib import Path

import httpx
from starlette.applications import Starlette

from gateway.app import SPAStaticFiles


def _client(tmp_path: Path) -> httpx.AsyncClient:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<div id=root></div>")
    (tmp_path / "assets" / "index-3f9a.js").write_text("console.log(1)")
    app = Starlette()
    app.mount("/", SPAStaticFiles(directory=tmp_path, html=True), name="frontend")
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")


async def test_a_deep_link_to_an_account_opens_the_app_and_is_always_revalidated(tmp_path):
    async with _client(tmp_path) as client:
        r = await client.get("/accounts/100027457")
    assert r.status_code == 200
    assert "id=root" in r.text
    assert r.headers["cache-control"] == "no-cache"


async def test_hashed_assets_are_cached_for_a_year(tmp_path):
    async with _client(tmp_path) as client:
        r = await client.get("/assets/index-3f9a.js")
    assert r.status_code == 200
    assert "immutable" in r.headers["cache-control"]


async def test_an_unknown_api_path_is_not_answered_with_the_app(tmp_path):
    async with _client(tmp_path) as client:
        r = await client.get("/api/nothing-here")
    assert r.status_code == 404


async def test_every_portal_address_opens_the_portal_page_and_staff_addresses_the_staff_app(
        tmp_path):
    (tmp_path / "portal.html").write_text("<div id=root data-portal></div>")
    async with _client(tmp_path) as client:
        portal = [await client.get(p) for p in ("/portal", "/portal/", "/portal/bills/x",
                                                "/portal/verify?token=abc.def")]
        staff = await client.get("/portalish")
        account = await client.get("/accounts/100027457")
    assert all(r.status_code == 200 and "data-portal" in r.text for r in portal)
    assert all(r.headers["cache-control"] == "no-cache" for r in portal)
    assert "data-portal" not in staff.text and "data-portal" not in account.text
