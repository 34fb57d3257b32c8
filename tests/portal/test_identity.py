"""Portal identity: a customer registers with a fact from their bill, confirms the e-mail from a
real mail (received by an in-process SMTP server), signs in, resets a password, links another
account; and the proofs accounts checks them against."""

from __future__ import annotations

from typing import Any

import jwt
from sqlalchemy import text

from tests.kernel.smtp import smtp_fixture  # noqa: F401  (the fixture `smtp`)
from tests.portal.identity_helpers import (
    PASSWORD,
    bearer,
    bill,
    confirmed,
    deliver,
    email,
    held_account,
    register,
    sign_in,
    token_of,
)


def claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


async def count_users(bound) -> int:
    return (await bound["gateway"].execute(text("SELECT count(*) FROM users"))).scalar_one()


async def test_a_customer_registers_with_the_last_bill_amount_and_signs_in_once_confirmed(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps, total="84.17")
    address = email()
    r = await register(client, held, address, amount="84.17")
    assert r.status_code == 202, r.text
    # not yet confirmed: the password alone is not enough
    r = await sign_in(client, address)
    assert r.status_code == 403 and r.json()["code"] == "email-unverified"
    r = await client.post("/api/auth/token", data={"username": address, "password": PASSWORD})
    assert r.status_code == 403  # nor through staff's login
    mail = await smtp.wait_for(address)
    assert "Confirm" in mail.subject and mail.html
    (link,) = mail.links()
    assert "/portal/verify#token=" in link
    r = await client.post("/api/portal/verify", json={"token": token_of(link)})
    assert r.json() == {"verified": True}
    r = await sign_in(client, address.upper())  # e-mail compared without case
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    assert claims(token)["role"] == "customer"
    assert claims(token)["accounts"] == [held.account_id]
    r = await client.get("/api/portal/profile", headers=bearer(token))
    assert r.json() == {"email": address, "email_verified": True, "totp_enabled": False,
                        "accounts": [held.account_id]}
    # the customer reaches their account, and the link opened again changes nothing
    r = await client.get(f"/api/accounts/accounts/{held.account_id}", headers=bearer(token))
    assert r.status_code == 200 and r.json()["number"] == held.number
    r = await client.post("/api/portal/verify", json={"token": token_of(link)})
    assert r.json() == {"verified": True}


async def test_the_service_zip_is_proof_too_and_every_wrong_fact_is_refused_alike(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    before = await count_users(bound)
    wrong = [await register(client, held, email(), zip_code="00000"),
             await register(client, held, email(), amount="84.18"),
             await client.post("/api/portal/register", json={
                 "email": email(), "password": PASSWORD, "account_number": "99999999",
                 "last_bill_amount": held.amount})]
    assert [r.status_code for r in wrong] == [422, 422, 422]
    assert len({r.json()["detail"] for r in wrong}) == 1, "no hint which fact was wrong"
    assert all(r.json()["code"] == "proof-failed" for r in wrong)
    assert await count_users(bound) == before
    assert smtp.messages() == []
    address = email()
    r = await register(client, held, address, zip_code=held.zip + "-1234")
    assert r.status_code == 202, r.text
    assert (await smtp.wait_for(address)).links()
    # both facts, or neither, is a malformed request
    r = await client.post("/api/portal/register", json={
        "email": email(), "password": PASSWORD, "account_number": held.number})
    assert r.status_code == 422 and r.json()["code"] == "validation"


async def test_a_rebill_replaces_the_last_bill_amount_a_cancelled_bill_proves_nothing(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps, total="120.00")
    first = (await bound["accounts"].execute(text(
        "SELECT bill_id FROM bill_facts WHERE account_id = :a"),
        {"a": held.account_id})).scalar_one()
    await deliver(bound, service_apps, "billing.BillCancelled", {
        "bill_id": str(first), "account_id": held.account_id, "reason": "misread",
        "replaced_by": None, "cancelled_on": "2026-03-05"}, f"account:{held.account_id}")
    await bill(bound, service_apps, held.account_id, "95.50", "2026-03-01", replaces=str(first))
    assert (await register(client, held, email(), amount="120.00")).status_code == 422
    assert (await register(client, held, email(), amount="95.50")).status_code == 202
    # a newer bill is the last one; a redelivered older one does not take its place back
    await bill(bound, service_apps, held.account_id, "60.25", "2026-04-01")
    assert (await register(client, held, email(), amount="95.50")).status_code == 422
    assert (await register(client, held, email(), amount="60.25")).status_code == 202


async def test_registering_an_address_that_has_a_login_answers_alike_and_mails_its_owner(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    address = await confirmed(client, smtp, held)
    first = await register(client, held, address)
    again = await register(client, held, address.upper(), password="another-long-password")
    assert again.status_code == first.status_code == 202
    assert again.json() == first.json()
    mail = await smtp.wait_for(address, count=3)
    assert "already has a login" in mail.text
    assert "/portal/reset#token=" in mail.links()[0]
    r = await sign_in(client, address, "another-long-password")
    assert r.status_code == 401, "the second registration changed nothing"


async def test_a_password_is_reset_by_the_mailed_link_once_and_old_sessions_end(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    address = await confirmed(client, smtp, held)
    old = (await sign_in(client, address)).json()
    unknown = await client.post("/api/portal/password/forgot", json={"email": email()})
    r = await client.post("/api/portal/password/forgot",
                          json={"email": address, "language": "es"})
    assert r.status_code == unknown.status_code == 202 and r.json() == unknown.json()
    mail = await smtp.wait_for(address, count=2)
    assert "contraseña" in mail.subject
    token = token_of(mail.links()[0])
    r = await client.post("/api/portal/password/reset",
                          json={"token": token, "password": "short"})
    assert r.status_code == 422
    r = await client.post("/api/portal/password/reset",
                          json={"token": token, "password": "a-brand-new-passphrase"})
    assert r.status_code == 204, r.text
    r = await client.post("/api/portal/password/reset",
                          json={"token": token, "password": "yet-another-passphrase"})
    assert r.status_code == 422, "a link works once"
    r = await client.post("/api/auth/refresh", json={"refresh_token": old["refresh_token"]})
    assert r.status_code == 401, "the reset ended every session"
    assert (await sign_in(client, address)).status_code == 401
    assert (await sign_in(client, address, "a-brand-new-passphrase")).status_code == 200


async def test_another_account_is_linked_by_the_same_proof_and_the_next_token_names_both(
        client, auth, bound, service_apps, smtp):
    held = await held_account(client, auth, bound, service_apps)
    other = await held_account(client, auth, bound, service_apps, total="33.00")
    address = await confirmed(client, smtp, held)
    tokens = (await sign_in(client, address)).json()
    h = bearer(tokens["access_token"])
    r = await client.get(f"/api/accounts/accounts/{other.account_id}", headers=h)
    assert r.status_code == 404
    r = await client.post("/api/portal/accounts", headers=h, json={
        "account_number": other.number, "last_bill_amount": "33.01"})
    assert r.status_code == 422 and r.json()["code"] == "proof-failed"
    r = await client.post("/api/portal/accounts", headers=h, json={
        "account_number": other.number, "service_zip": other.zip})
    assert r.status_code == 200, r.text
    linked = r.json()
    assert claims(linked["access_token"])["accounts"] == [held.account_id, other.account_id]
    r = await client.get(f"/api/accounts/accounts/{other.account_id}",
                         headers=bearer(linked["access_token"]))
    assert r.status_code == 200
    # a refresh of the old session, and every later sign-in, names both as well
    r = await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert claims(r.json()["access_token"])["accounts"] == [held.account_id, other.account_id]
    r = await sign_in(client, address)
    assert claims(r.json()["access_token"])["accounts"] == [held.account_id, other.account_id]


async def test_accounts_answers_proofs_to_the_gateway_only(client, auth, bound, service_apps):
    held = await held_account(client, auth, bound, service_apps)
    body = {"account_number": held.number, "last_bill_amount": held.amount}
    for role in ("customer", "csr1", "admin"):
        r = await client.post("/api/accounts/portal/proofs", json=body,
                              headers=auth(role, accounts=(held.account_id,)))
        assert r.status_code == 403, role
    r = await client.post("/api/accounts/portal/proofs", json=body, headers=auth("system"))
    assert r.json() == {"account_id": held.account_id, "account_number": held.number}
    # a closed account proves nothing
    await bound["accounts"].execute(text(
        "UPDATE accounts SET status = 'closed' WHERE id = :a"), {"a": held.account_id})
    r = await client.post("/api/accounts/portal/proofs", json=body, headers=auth("system"))
    assert r.status_code == 404


async def test_a_bill_belongs_to_the_account_billing_issued_it_to(
        client, auth, bound, service_apps):
    import uuid

    from kernel.errors import NotFound
    from services.accounts.portal.service import ensure_bill_of_account

    held = await held_account(client, auth, bound, service_apps)
    other = await held_account(client, auth, bound, service_apps)
    bill_id = await bill(bound, service_apps, held.account_id, "10.00", "2026-05-01")
    async with service_apps["accounts"].state.db.session() as s:
        await ensure_bill_of_account(s, uuid.UUID(held.account_id), uuid.UUID(bill_id))
        for account, bill_ in ((other.account_id, bill_id), (held.account_id, str(uuid.uuid4()))):
            try:
                await ensure_bill_of_account(s, uuid.UUID(account), uuid.UUID(bill_))
            except NotFound:
                continue
            raise AssertionError("another account's (or an unknown) bill was accepted")
