"""Portal identity's defences: the second factor, rate limits on login, registration and reset,
no personal data in URLs or logs, and a CSR's help (resend a confirmation, unlock a login)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pyotp
from sqlalchemy import text

from kernel.clock import utc_now
from kernel.settings import get_settings
from tests.kernel.smtp import smtp_fixture  # noqa: F401  (the fixture `smtp`)
from tests.portal.identity_helpers import (
    PASSWORD,
    bearer,
    confirmed,
    email,
    held_account,
    register,
    sign_in,
    token_of,
)


def code_at(secret: str, seconds_from_now: int = 0) -> str:
    return pyotp.TOTP(secret).at(utc_now() + timedelta(seconds=seconds_from_now))


async def test_a_second_factor_is_asked_for_checked_and_each_code_works_once(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    address = await confirmed(client, smtp, held)
    h = bearer((await sign_in(client, address)).json()["access_token"])
    setup = (await client.post("/api/portal/totp/setup", headers=h)).json()
    assert setup["otpauth_uri"].startswith("otpauth://totp/")
    assert "secret=" + setup["secret"] in setup["otpauth_uri"]
    r = await client.post("/api/portal/totp/enable", headers=h, json={"code": "000000"
                          if code_at(setup["secret"]) != "000000" else "111111"})
    assert r.status_code == 422
    # codes by the step they belong to, so a step ending mid-test changes nothing
    totp, enabled_at = pyotp.TOTP(setup["secret"]), utc_now()
    first, ahead = totp.at(enabled_at), totp.at(enabled_at + timedelta(seconds=30))
    r = await client.post("/api/portal/totp/enable", headers=h, json={"code": first})
    assert r.status_code == 200 and r.json()["totp_enabled"] is True
    # the password alone no longer signs in, here or through staff's login
    r = await sign_in(client, address)
    assert r.status_code == 401 and r.json()["code"] == "totp-required"
    r = await client.post("/api/auth/token", data={"username": address, "password": PASSWORD})
    assert r.status_code == 403
    r = await sign_in(client, address, totp_code="123456"
                      if "123456" not in (first, ahead) else "654321")
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    # the code enabling it is spent; the next step's (a phone's clock a little ahead) is
    # taken, then not again
    r = await sign_in(client, address, totp_code=first)
    assert r.status_code == 401, "the code that turned it on is spent"
    assert (await sign_in(client, address, totp_code=ahead)).status_code == 200
    r = await sign_in(client, address, totp_code=ahead)
    assert r.status_code == 401, "a code is good once"
    # turning it off takes the password and a current code
    r = await client.post("/api/portal/totp/disable", headers=h,
                          json={"password": "wrong-password-here", "code": ahead})
    assert r.status_code == 422
    r = await client.post("/api/portal/totp/disable", headers=h,
                          json={"password": PASSWORD, "code": ahead})
    assert r.status_code == 200 and r.json()["totp_enabled"] is False
    assert (await sign_in(client, address)).status_code == 200


async def _stored_seed(bound, address: str) -> str:
    return (await bound["gateway"].execute(text(
        "SELECT totp_secret FROM portal_logins WHERE email = :e"), {"e": address})).scalar_one()


async def test_the_authenticator_seed_is_kept_sealed_and_its_set_up_shows_a_qr_code(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    address = await confirmed(client, smtp, held)
    h = auth("customer", sub=address, accounts=(held.account_id,))
    setup = (await client.post("/api/portal/totp/setup", headers=h)).json()
    assert setup["qr_code"].startswith("data:image/svg+xml")
    await client.post("/api/portal/totp/enable", headers=h, json={"code": code_at(setup["secret"])})
    stored = await _stored_seed(bound, address)
    assert stored.startswith("t1.") and setup["secret"] not in stored
    assert (await sign_in(client, address, totp_code=code_at(setup["secret"], 30))).status_code \
        == 200


async def test_a_seed_stored_before_sealing_still_signs_in_and_is_sealed_by_that_login(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    address = await confirmed(client, smtp, held)
    h = auth("customer", sub=address, accounts=(held.account_id,))
    secret = (await client.post("/api/portal/totp/setup", headers=h)).json()["secret"]
    await client.post("/api/portal/totp/enable", headers=h, json={"code": code_at(secret)})
    await bound["gateway"].execute(text(
        "UPDATE portal_logins SET totp_secret = :s WHERE email = :e"), {"s": secret, "e": address})
    assert (await sign_in(client, address, totp_code=code_at(secret, 30))).status_code == 200
    assert (await _stored_seed(bound, address)).startswith("t1.")


async def test_a_sealed_seed_copied_to_another_login_does_not_open(
        client, auth, bound, service_apps, smtp):
    logins = []
    for _ in range(2):
        held = await held_account(client, auth, bound, service_apps)
        address = await confirmed(client, smtp, held)
        h = auth("customer", sub=address, accounts=(held.account_id,))
        secret = (await client.post("/api/portal/totp/setup", headers=h)).json()["secret"]
        await client.post("/api/portal/totp/enable", headers=h, json={"code": code_at(secret)})
        logins.append((address, secret))
    (mine, my_secret), (theirs, _) = logins
    await bound["gateway"].execute(text(
        "UPDATE portal_logins SET totp_secret = :s WHERE email = :e"),
        {"s": await _stored_seed(bound, mine), "e": theirs})
    r = await sign_in(client, theirs, totp_code=code_at(my_secret, 30))
    assert r.status_code == 401 and r.json()["detail"] == "Incorrect code"


async def test_wrong_second_factor_codes_count_toward_the_login_limit(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    address = await confirmed(client, smtp, held)
    # (a token of the login without signing in: the test's one transaction gives every row
    # the same now(), so a success recorded here would look as late as the failures below)
    h = auth("customer", sub=address, accounts=(held.account_id,))
    secret = (await client.post("/api/portal/totp/setup", headers=h)).json()["secret"]
    await client.post("/api/portal/totp/enable", headers=h, json={"code": code_at(secret)})
    good = code_at(secret, 30)
    bad = "000000" if good != "000000" else "999999"
    limit = get_settings().login_max_failures
    for _ in range(limit):
        assert (await sign_in(client, address, totp_code=bad)).status_code == 401
    r = await sign_in(client, address, totp_code=good)
    assert r.status_code == 429, "the right password does not reset the count of bad codes"


async def test_failed_registrations_are_limited_per_account_number(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    limit = get_settings().portal_attempts_max
    for i in range(limit):
        r = await register(client, held, email(), amount=f"{i}.01")
        assert r.status_code == 422
    r = await register(client, held, email())  # now even the right fact waits
    assert r.status_code == 429 and "retry_after" in r.json()
    other = await held_account(client, auth, bound, service_apps)
    assert (await register(client, other, email())).status_code == 202


async def test_resets_and_resends_are_limited_per_address_and_login_per_username(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    address = await confirmed(client, smtp, held)
    limit = get_settings().portal_attempts_max
    for _ in range(limit):
        r = await client.post("/api/portal/password/forgot", json={"email": address})
        assert r.status_code == 202
    r = await client.post("/api/portal/password/forgot", json={"email": address})
    assert r.status_code == 429
    assert len(smtp.to(address)) == 1 + limit, "one mail per accepted request, none after"
    for _ in range(limit):
        r = await client.post("/api/portal/verify/resend", json={"email": address})
        assert r.status_code == 202
    assert (await client.post("/api/portal/verify/resend",
                              json={"email": address})).status_code == 429
    for _ in range(get_settings().login_max_failures):
        assert (await sign_in(client, address, "not-the-password")).status_code == 401
    assert (await sign_in(client, address)).status_code == 429


async def test_a_csr_unlocks_a_login_and_resends_a_confirmation(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    locked = await confirmed(client, smtp, held)
    waiting = email()
    assert (await register(client, held, waiting)).status_code == 202
    first_link = (await smtp.wait_for(waiting)).links()[0]
    for _ in range(get_settings().login_max_failures):
        await sign_in(client, locked, "not-the-password")
    assert (await sign_in(client, locked)).status_code == 429

    csr = auth("csr1")
    r = await client.get("/api/portal/logins", params={"account_id": held.account_id},
                         headers=csr)
    logins = {x["email"]: x for x in r.json()}
    assert logins[locked]["locked"] is True and logins[locked]["email_verified"] is True
    assert logins[waiting]["locked"] is False and logins[waiting]["email_verified"] is False
    # a customer cannot use the staff routes, even for their own login
    own = bearer((await sign_in(client, address := await confirmed(
        client, smtp, held))).json()["access_token"])
    r = await client.post(f"/api/portal/logins/{logins[locked]['id']}/unlock", headers=own)
    assert r.status_code == 403
    assert address

    r = await client.post(f"/api/portal/logins/{logins[locked]['id']}/unlock", headers=csr)
    assert r.status_code == 200 and r.json()["locked"] is False
    assert (await sign_in(client, locked)).status_code == 200

    r = await client.post(f"/api/portal/logins/{logins[waiting]['id']}/resend-verification",
                          headers=csr)
    assert r.status_code == 200
    second_link = (await smtp.wait_for(waiting, count=2)).links()[0]
    r = await client.post("/api/portal/verify", json={"token": token_of(first_link)})
    assert r.status_code == 422, "the new link replaces the old one"
    r = await client.post("/api/portal/verify", json={"token": token_of(second_link)})
    assert r.status_code == 200
    r = await client.post(f"/api/portal/logins/{logins[waiting]['id']}/resend-verification",
                          headers=csr)
    assert r.status_code == 409
    audited = (await bound["gateway"].execute(text(
        "SELECT action FROM audit_log WHERE entity = 'portal_login' ORDER BY id"))).scalars()
    assert list(audited) == ["unlock", "resend_verification"]


async def test_no_personal_data_reaches_a_url_or_a_log(client, auth, bound, service_apps, smtp,
                                                       caplog):
    held = await held_account(client, auth, bound, service_apps, total="71.09")
    address = email()
    caplog.set_level(logging.DEBUG)
    r = await register(client, held, address, zip_code=held.zip)
    assert r.status_code == 202
    link = (await smtp.wait_for(address)).links()[0]
    await client.post("/api/portal/verify", json={"token": token_of(link)})
    await sign_in(client, address, "not-the-password")
    await sign_in(client, address)
    await client.post("/api/portal/password/forgot", json={"email": address})
    await register(client, held, email(), amount="1.00")
    # every record but the test SMTP server's own (`mail.log`: the mailbox side, not Tapline)
    ours = [rec for rec in caplog.records if rec.name != "mail.log"]
    assert ours
    logged = "\n".join(f"{rec.getMessage()} {rec.__dict__}" for rec in ours)
    for secret in (address, address.split("@")[0], held.number, held.zip, PASSWORD,
                   token_of(link)):
        assert secret not in logged, [r.__dict__ for r in ours
                                       if secret in f"{r.getMessage()} {r.__dict__}"][:2]
    # the portal's own routes take no customer fact in a path or a query
    from gateway.portal.router import router

    for route in router.routes:
        path = getattr(route, "path", "")
        assert "{" not in path or path.startswith("/api/portal/logins/{login_id}"), path


async def test_a_csr_turns_off_a_lost_second_factor_with_a_reason_kept_in_the_audit_trail(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    address = await confirmed(client, smtp, held)
    h = auth("customer", sub=address, accounts=(held.account_id,))
    secret = (await client.post("/api/portal/totp/setup", headers=h)).json()["secret"]
    await client.post("/api/portal/totp/enable", headers=h, json={"code": code_at(secret)})
    assert (await sign_in(client, address)).json()["code"] == "totp-required"

    csr = auth("csr1")
    login = (await client.get("/api/portal/logins", params={"account_id": held.account_id},
                              headers=csr)).json()[0]
    path = f"/api/portal/logins/{login['id']}/second-factor/off"
    assert (await client.post(path, json={"reason": "lost phone"}, headers=h)).status_code == 403
    assert (await client.post(path, json={"reason": ""}, headers=csr)).status_code == 422
    r = await client.post(path, json={"reason": "lost phone; identity checked"}, headers=csr)
    assert r.status_code == 200 and r.json()["totp_enabled"] is False
    assert await _stored_seed(bound, address) is None
    assert (await sign_in(client, address)).status_code == 200
    assert (await client.post(path, json={"reason": "again"}, headers=csr)).status_code == 409
    reason = (await bound["gateway"].execute(text(
        "SELECT reason FROM audit_log WHERE action = 'second_factor_off' AND entity_id = :u"),
        {"u": login["id"]})).scalar_one()
    assert reason == "lost phone; identity checked"
