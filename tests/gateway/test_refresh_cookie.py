"""A browser app's refresh token lives in an HttpOnly cookie no script can read; refresh and
logout take it only with the app's custom header (CSRF), and tools keep the JSON body."""

from __future__ import annotations

import httpx
import jwt
import pytest

from tests.gateway.factories import PASSWORD, staff_user
from tests.kernel.smtp import smtp_fixture  # noqa: F401  (the fixture `smtp`)
from tests.portal.identity_helpers import confirmed, held_account

STAFF = {"X-Tapline-Session": "staff"}
PORTAL = {"X-Tapline-Session": "portal"}


@pytest.fixture
async def clerk(bound, gateway_app):
    return await staff_user(gateway_app, "cookieclerk", "csr1")


async def _login(client, headers=STAFF):
    return await client.post("/api/auth/token", headers=headers,
                             data={"username": "cookieclerk", "password": PASSWORD})


def _set_cookie(r: httpx.Response) -> str:
    (header,) = r.headers.get_list("set-cookie")
    return header


async def test_a_staff_login_puts_the_refresh_token_in_an_httponly_strict_cookie_only(
        client, clerk):
    r = await _login(client)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["refresh_token"] is None and body["access_token"]
    cookie = _set_cookie(r)
    assert cookie.startswith("tapline_refresh_staff=")
    attrs = {a.strip().lower() for a in cookie.split(";")[1:]}
    assert {"httponly", "path=/api/auth", "samesite=strict"} <= attrs
    assert "secure" not in attrs  # served over plain http here
    assert "max-age=604800" in attrs  # as long as the refresh token lives (7 days)
    assert r.headers["cache-control"] == "no-store"


async def test_the_cookie_is_secure_when_the_app_is_served_over_https(bound, gateway_app,
                                                                      clerk):
    transport = httpx.ASGITransport(app=gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        r = await _login(c)
    assert "secure" in {a.strip().lower() for a in _set_cookie(r).split(";")}


async def test_refresh_with_the_cookie_rotates_it_and_a_replayed_cookie_ends_the_session(
        client, clerk):
    await _login(client)
    first = client.cookies["tapline_refresh_staff"]
    r = await client.post("/api/auth/refresh", headers=STAFF)
    assert r.status_code == 200, r.text
    assert r.json()["refresh_token"] is None
    assert jwt.decode(r.json()["access_token"], options={"verify_signature": False})["sub"] == \
        "cookieclerk"
    second = client.cookies["tapline_refresh_staff"]
    assert second != first
    # someone replays the first cookie's value: the whole family ends
    client.cookies.set("tapline_refresh_staff", first, path="/api/auth")
    assert (await client.post("/api/auth/refresh", headers=STAFF)).status_code == 401
    client.cookies.set("tapline_refresh_staff", second, path="/api/auth")
    assert (await client.post("/api/auth/refresh", headers=STAFF)).status_code == 401


async def test_a_request_with_the_cookie_but_without_the_header_is_refused_and_rotates_nothing(
        client, clerk):
    """What a form posted from another site looks like (were the cookie sent at all)."""
    await _login(client)
    before = client.cookies["tapline_refresh_staff"]
    forged = await client.post("/api/auth/refresh")
    assert forged.status_code == 422
    assert (await client.post("/api/auth/logout")).status_code == 422
    assert client.cookies["tapline_refresh_staff"] == before
    assert (await client.post("/api/auth/refresh", headers=STAFF)).status_code == 200


async def test_a_browser_refresh_ignores_a_token_in_the_body(client, clerk):
    """A script that stole a token cannot hand it in through the browser route."""
    tools = (await _login(client, headers={})).json()
    assert tools["refresh_token"]  # a non-browser client still gets it in the body
    client.cookies.clear()
    r = await client.post("/api/auth/refresh", headers=STAFF,
                          json={"refresh_token": tools["refresh_token"]})
    assert r.status_code == 401
    r = await client.post("/api/auth/refresh", json={"refresh_token": tools["refresh_token"]})
    assert r.status_code == 200 and r.json()["refresh_token"]


async def test_logout_ends_the_session_and_clears_the_cookie(client, clerk):
    await _login(client)
    value = client.cookies["tapline_refresh_staff"]
    r = await client.post("/api/auth/logout", headers=STAFF)
    assert r.status_code == 204
    cleared = _set_cookie(r).lower()
    assert cleared.startswith("tapline_refresh_staff=") and "max-age=0" in cleared
    assert "tapline_refresh_staff" not in client.cookies
    client.cookies.set("tapline_refresh_staff", value, path="/api/auth")
    assert (await client.post("/api/auth/refresh", headers=STAFF)).status_code == 401
    # a logout without a session is no error
    client.cookies.clear()
    assert (await client.post("/api/auth/logout", headers=STAFF)).status_code == 204


async def test_a_new_sign_in_in_the_same_app_ends_the_session_its_cookie_held(client, clerk):
    await _login(client)
    earlier = client.cookies["tapline_refresh_staff"]
    await _login(client)
    assert client.cookies["tapline_refresh_staff"] != earlier
    r = await client.post("/api/auth/refresh", json={"refresh_token": earlier})
    assert r.status_code == 401
    assert (await client.post("/api/auth/refresh", headers=STAFF)).status_code == 200


async def test_an_unknown_app_in_the_header_is_a_422(client, clerk):
    r = await _login(client, headers={"X-Tapline-Session": "kiosk"})
    assert r.status_code == 422
    assert r.headers.get("set-cookie") is None


async def test_the_portal_and_the_staff_app_keep_separate_cookies(
        client, clerk, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    address = await confirmed(client, smtp, held)
    await _login(client)
    r = await client.post("/api/portal/login", headers=PORTAL,
                          json={"email": address, "password": "river-otter-meadow-42"})
    assert r.status_code == 200, r.text
    assert r.json()["refresh_token"] is None
    assert _set_cookie(r).startswith("tapline_refresh_portal=")
    # signing in to the portal in another tab leaves the staff session a staff session
    staff = await client.post("/api/auth/refresh", headers=STAFF)
    assert jwt.decode(staff.json()["access_token"],
                      options={"verify_signature": False})["role"] == "csr1"
    portal = await client.post("/api/auth/refresh", headers=PORTAL)
    claims = jwt.decode(portal.json()["access_token"], options={"verify_signature": False})
    assert claims["role"] == "customer" and claims["accounts"] == [held.account_id]
    # the portal's logout ends the portal's session only
    assert (await client.post("/api/auth/logout", headers=PORTAL)).status_code == 204
    assert (await client.post("/api/auth/refresh", headers=PORTAL)).status_code == 401
    assert (await client.post("/api/auth/refresh", headers=STAFF)).status_code == 200


async def test_the_gateway_grants_no_cross_origin_request_a_preflight(client):
    """The custom header is a CSRF defence only while no other site may send it."""
    r = await client.options("/api/auth/refresh", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-tapline-session"})
    assert "access-control-allow-origin" not in r.headers
    assert "access-control-allow-headers" not in r.headers


async def test_linking_an_account_in_the_portal_puts_the_new_session_in_the_cookie(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    other = await held_account(client, auth, bound, service_apps, total="33.00")
    address = await confirmed(client, smtp, held)
    signed_in = await client.post("/api/portal/login", headers=PORTAL,
                                  json={"email": address, "password": "river-otter-meadow-42"})
    before = client.cookies["tapline_refresh_portal"]
    r = await client.post("/api/portal/accounts", json={
        "account_number": other.number, "service_zip": other.zip}, headers={
        **PORTAL, "Authorization": f"Bearer {signed_in.json()['access_token']}"})
    assert r.status_code == 200, r.text
    assert r.json()["refresh_token"] is None
    assert client.cookies["tapline_refresh_portal"] != before
    # the cookie's new session names both accounts (what the portal refreshes from now on)
    refreshed = await client.post("/api/auth/refresh", headers=PORTAL)
    claims = jwt.decode(refreshed.json()["access_token"], options={"verify_signature": False})
    assert claims["accounts"] == [held.account_id, other.account_id]
