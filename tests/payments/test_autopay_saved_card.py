"""Autopay by a saved card from the portal: the customer picks one of their saved cards, the
processor's token never leaves the server, and a method that is not theirs or not a card is
refused with nothing kept."""

from __future__ import annotations

from tests.payments.autopay_helpers import events
from tests.payments.helpers import make_account, table_count
from tests.payments.portal_helpers import P, customer, sandbox, save_method

__all__ = ["sandbox"]


async def test_a_customer_puts_autopay_on_a_saved_card_without_seeing_its_token(
        client, feed, bound, auth, sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    visa = await save_method(client, me, a.id)
    r = await client.post(f"{P}/{a.id}/autopay", json={"method": "card", "method_id": visa["id"]},
                          headers=me)
    assert r.status_code == 201, r.text
    assert (r.json()["method"], r.json()["display"]) == ("card", "visa •••• 4242")
    assert r.json()["live_from"] is not None and "pm_card_visa" not in r.text
    [enrolled] = await events(bound, "payments.AutopayEnrolled")
    assert "pm_card_visa" not in str(enrolled)


async def test_another_accounts_saved_card_answers_404_and_nothing_is_enrolled(
        client, feed, bound, auth, sandbox):
    mine, theirs = await make_account(feed), await make_account(feed)
    their_card = await save_method(client, customer(auth, theirs.id, sub="cust-2"), theirs.id)
    r = await client.post(f"{P}/{mine.id}/autopay",
                          json={"method": "card", "method_id": their_card["id"]},
                          headers=customer(auth, mine.id))
    assert r.status_code == 404
    assert await table_count(bound, "autopay_enrolments") == 0


async def test_a_saved_bank_account_is_not_a_card_and_a_card_is_given_one_way_only(
        client, feed, bound, auth, sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    bank = await save_method(client, me, a.id, "pm_usBankAccount", "m-2")
    r = await client.post(f"{P}/{a.id}/autopay", json={"method": "card", "method_id": bank["id"]},
                          headers=me)
    assert r.status_code == 422 and r.json()["code"] == "unknown-payment-method"
    visa = await save_method(client, me, a.id, key="m-3")
    both = await client.post(f"{P}/{a.id}/autopay", json={
        "method": "card", "method_id": visa["id"], "card_token": "pm_card_visa"}, headers=me)
    assert both.status_code == 422
    as_bank = await client.post(f"{P}/{a.id}/autopay", json={
        "method": "bank", "method_id": visa["id"], "routing_number": "121042882",
        "account_number": "000123456789"}, headers=me)
    assert as_bank.status_code == 422
    assert await table_count(bound, "autopay_enrolments") == 0
