"""Autopay enrolment: a bank account validated, encrypted, shown masked and never echoed; a card
only as the processor's token; one enrolment per account; the customer sees only their own."""

from __future__ import annotations

from sqlalchemy import text

from tests.payments.autopay_helpers import (
    BANK_NUMBER,
    enrol_bank,
    enrol_card,
    events,
    sandbox,  # noqa: F401 (fixture)
)
from tests.payments.helpers import make_account, table_count


async def test_a_routing_number_with_a_wrong_check_digit_is_refused_and_nothing_kept(
        client, feed, bound, auth):
    a = await make_account(feed)
    r = await enrol_bank(client, auth("csr1"), a.id, routing="121042883")
    assert r.status_code == 422
    assert r.json()["code"] == "routing-number-invalid"
    assert r.json()["errors"][0]["field"] == "routing_number"
    assert BANK_NUMBER not in r.text
    assert await table_count(bound, "autopay_enrolments") == 0
    assert await events(bound, "payments.AutopayEnrolled") == []


async def test_the_bank_account_is_shown_masked_and_no_full_number_is_in_any_table(
        client, feed, bound, auth):
    a = await make_account(feed)
    r = await enrol_bank(client, {**auth("csr1"), "Idempotency-Key": "enrol-1"}, a.id)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["display"] == "checking ****6789"
    assert (body["method"], body["status"], body["prenote_required"]) == ("bank", "active", True)
    assert BANK_NUMBER not in r.text and "123456789" not in r.text
    again = await client.get(f"/api/payments/autopay/accounts/{a.id}", headers=auth("csr2"))
    assert again.json()["display"] == "checking ****6789" and BANK_NUMBER not in again.text
    [enrolled] = await events(bound, "payments.AutopayEnrolled")
    assert enrolled == {"account_id": a.id, "enrolment_id": body["id"], "method": "bank",
                        "display": "checking ****6789", "status": "active", "reason": None,
                        "effective_on": body["enrolled_on"], "return_code": None}
    # Everything payments keeps, as a dump would show it: the number only as ciphertext.
    dump = (await bound["payments"].execute(text(
        "SELECT string_agg(t::text, E'\\n') FROM ("
        "SELECT row_to_json(e)::text AS t FROM autopay_enrolments e "
        "UNION ALL SELECT row_to_json(o)::text FROM outbox o "
        "UNION ALL SELECT row_to_json(l)::text FROM audit_log l "
        "UNION ALL SELECT row_to_json(k)::text FROM idempotency_keys k) x"))).scalar_one()
    assert "****6789" in dump
    assert BANK_NUMBER not in dump and "123456789" not in dump


async def test_the_same_bank_account_is_recognised_by_its_keyed_hash(client, feed, bound, auth):
    a, b = await make_account(feed), await make_account(feed)
    assert (await enrol_bank(client, auth("csr1"), a.id)).status_code == 201
    assert (await enrol_bank(client, auth("csr1"), b.id, number="0001-2345-6789")).status_code \
        == 201
    hashes = (await bound["payments"].execute(text(
        "SELECT account_hash, account_token FROM autopay_enrolments"))).all()
    assert hashes[0][0] == hashes[1][0]  # one bank account, written two ways
    assert hashes[0][1] != hashes[1][1]  # each sealed for its own row


async def test_an_account_has_one_active_enrolment_until_it_is_cancelled(
        client, feed, bound, auth, sandbox):  # noqa: F811
    a = await make_account(feed)
    assert (await enrol_bank(client, auth("csr1"), a.id)).status_code == 201
    second = await enrol_card(client, auth("csr1"), a.id)
    assert second.status_code == 409 and second.json()["reason"] == "already_enrolled"
    cancelled = await client.post(f"/api/payments/autopay/accounts/{a.id}/cancel",
                                  json={"reason": "customer asked by phone"},
                                  headers=auth("csr2"))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    [ended] = await events(bound, "payments.AutopayCancelled")
    assert (ended["status"], ended["reason"], ended["display"]) == (
        "cancelled", "customer asked by phone", "checking ****6789")
    card = await enrol_card(client, auth("csr1"), a.id)
    assert card.status_code == 201, card.text
    assert (card.json()["display"], card.json()["live_from"] is not None) == (
        "visa •••• 4242", True)


async def test_a_card_is_enrolled_only_as_a_token_the_processor_knows(
        client, feed, bound, auth, sandbox):  # noqa: F811
    a = await make_account(feed)
    unknown = await enrol_card(client, auth("csr1"), a.id, token="pm_no_such_card")
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown-payment-method"
    number = await enrol_card(client, auth("csr1"), a.id, token="4242424242424242")
    assert number.status_code == 422 and "4242424242424242" not in number.text
    bank_token = await enrol_card(client, auth("csr1"), a.id, token="pm_usBankAccount")
    assert bank_token.status_code == 422
    assert await table_count(bound, "autopay_enrolments") == 0


async def test_a_customer_sees_and_changes_only_their_own_enrolment(client, feed, auth):
    mine, theirs = await make_account(feed), await make_account(feed)
    me = auth("customer", "cust-1", accounts=(mine.id,))
    assert (await enrol_bank(client, me, mine.id, portal=True)).status_code == 201
    assert (await enrol_bank(client, auth("csr1"), theirs.id)).status_code == 201
    own = await client.get(f"/api/payments/portal/accounts/{mine.id}/autopay", headers=me)
    assert own.status_code == 200 and own.json()["display"] == "checking ****6789"
    url = f"/api/payments/portal/accounts/{theirs.id}/autopay"
    for r in (await client.get(url, headers=me), await client.delete(url, headers=me),
              await enrol_bank(client, me, theirs.id, portal=True)):
        assert r.status_code == 404, r.text
    gone = await client.delete(f"/api/payments/portal/accounts/{mine.id}/autopay", headers=me)
    assert gone.status_code == 200 and gone.json()["status"] == "cancelled"
    still = await client.get(url, headers=auth("csr1"))
    assert still.json()["status"] == "active"
