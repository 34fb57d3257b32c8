"""Saved payment methods: tokens only, masked, one default; setup on the sandbox's page;
removal stops schedules; a saved method charged now posts once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from kernel.clock import utility_today
from services.payments.processors.sandbox import SandboxProcessor
from tests.payments.helpers import make_account, outbox, table_count
from tests.payments.portal_helpers import P, charges, customer, sandbox, save_method

__all__ = ["sandbox"]
CARD = "4242424242424242"


async def test_the_first_saved_method_is_the_default_and_a_new_default_replaces_it(
        client, feed, auth, sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    visa = await save_method(client, me, a.id)
    assert (visa["kind"], visa["display"], visa["is_default"]) == ("card", "visa •••• 4242",
                                                                   True)
    assert "token" not in visa
    bank = await save_method(client, me, a.id, "pm_usBankAccount", "m-2", default=True)
    assert (bank["kind"], bank["display"]) == ("us_bank_account", "SANDBOX BANK •••• 6789")
    listed = (await client.get(f"{P}/{a.id}/methods", headers=me)).json()
    assert [(m["display"], m["is_default"]) for m in listed] == [
        ("SANDBOX BANK •••• 6789", True), ("visa •••• 4242", False)]
    back = await client.post(f"{P}/{a.id}/methods/{visa['id']}/default", headers=me)
    assert back.json()["is_default"] is True
    await client.delete(f"{P}/{a.id}/methods/{visa['id']}", headers=me)
    listed = (await client.get(f"{P}/{a.id}/methods", headers=me)).json()
    assert [(m["display"], m["is_default"]) for m in listed] == [
        ("SANDBOX BANK •••• 6789", True)]  # the one left becomes the default


async def test_a_retried_save_and_the_same_token_again_keep_one_method(client, feed, auth,
                                                                       bound, sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    first = await save_method(client, me, a.id, key="m-1")
    again = await client.post(f"{P}/{a.id}/methods",
                              json={"token": "pm_card_visa", "default": False},
                              headers={**me, "Idempotency-Key": "m-1"})
    same_token = await save_method(client, me, a.id, key="m-2")
    assert again.json()["id"] == first["id"] == same_token["id"]
    assert await table_count(bound, "saved_methods") == 1


async def test_a_card_number_is_refused_unechoed_and_kept_nowhere(client, feed, auth, bound,
                                                                  sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    for value in (CARD, f"pm_{CARD}", "4242 4242 4242 4242"):
        r = await client.post(f"{P}/{a.id}/methods", json={"token": value},
                              headers={**me, "Idempotency-Key": value[:10]})
        assert r.status_code == 422, r.text
        assert CARD not in r.text and "4242 4242" not in r.text
    assert await table_count(bound, "saved_methods") == 0
    dump = (await bound["payments"].execute(text(
        "SELECT coalesce(string_agg(after::text, ''), '') FROM audit_log"))).scalar_one()
    assert CARD not in dump


async def test_a_token_the_processor_does_not_know_is_refused(client, feed, auth, bound,
                                                              sandbox):
    a = await make_account(feed)
    r = await client.post(f"{P}/{a.id}/methods", json={"token": "pm_made_up"},
                          headers={**customer(auth, a.id), "Idempotency-Key": "x"})
    assert (r.status_code, r.json()["code"]) == (422, "unknown-payment-method")
    assert await table_count(bound, "saved_methods") == 0


async def test_a_method_saved_on_the_sandbox_setup_page(client, feed, auth, sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    setup = await client.post(f"{P}/{a.id}/methods/setup",
                              json={"return_url": "/portal/methods"}, headers=me)
    assert setup.status_code == 201, setup.text
    page = await client.get(setup.json()["url"])
    assert page.status_code == 200 and "mastercard •••• 4444" in page.text
    done = await client.post(setup.json()["url"], data={"method": "pm_card_mastercard"})
    setup_id = setup.json()["setup_id"]
    assert done.headers["location"] == f"/portal/methods?setup_id={setup_id}"
    saved = await client.post(f"{P}/{a.id}/methods", json={"setup_id": setup_id},
                              headers={**me, "Idempotency-Key": "s"})
    assert saved.json()["display"] == "mastercard •••• 4444"
    # a setup completed for one account does not save on another
    b = await make_account(feed)
    r = await client.post(f"{P}/{b.id}/methods", json={"setup_id": setup_id},
                          headers={**customer(auth, b.id, sub="cust-b"), "Idempotency-Key": "s"})
    assert r.status_code == 404


async def test_staff_see_a_customers_methods_masked_by_account_number(client, feed, auth,
                                                                      sandbox):
    a = await make_account(feed)
    await save_method(client, customer(auth, a.id), a.id)
    r = await client.get(f"/api/payments/accounts/{a.number}/methods",
                         headers=auth("csr1", "carla"))
    assert [(m["display"], m["kind"]) for m in r.json()] == [("visa •••• 4242", "card")]
    assert "pm_card_visa" not in r.text
    refused = await client.get(f"/api/payments/accounts/{a.number}/methods",
                               headers=customer(auth, a.id))
    assert refused.status_code == 403


async def test_removing_a_method_stops_its_schedule_with_the_reason(client, feed, auth, bound,
                                                                    sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    m = await save_method(client, me, a.id)
    start = (utility_today() + timedelta(days=1)).isoformat()
    s = (await client.post(f"{P}/{a.id}/schedules", json={
        "method_id": m["id"], "kind": "monthly", "day_of_month": 15, "start_on": start,
        "amount_rule": "fixed", "amount": "40.00"}, headers={**me, "Idempotency-Key": "s"})
         ).json()
    r = await client.delete(f"{P}/{a.id}/methods/{m['id']}", headers=me)
    assert (r.status_code, r.json()["status"]) == (200, "removed")
    (after,) = (await client.get(f"{P}/{a.id}/schedules", headers=me)).json()
    assert (after["id"], after["status"], after["stop_reason"]) == (s["id"], "stopped",
                                                                   "method_removed")
    cancelled = await outbox(bound, "payments.RecurringPaymentCancelled")
    assert [(c["schedule_id"], c["reason"]) for c in cancelled] == [(s["id"], "method_removed")]
    assert (await client.get(f"{P}/{a.id}/methods", headers=me)).json() == []
    again = await client.delete(f"{P}/{a.id}/methods/{m['id']}", headers=me)
    assert again.status_code == 200
    assert len(await outbox(bound, "payments.RecurringPaymentCancelled")) == 1


async def test_a_saved_method_charged_now_posts_once_though_the_request_is_retried(
        client, feed, auth, bound, sandbox: SandboxProcessor):
    a = await make_account(feed)
    me = customer(auth, a.id)
    m = await save_method(client, me, a.id)
    body = {"method_id": m["id"], "amount": "55.25"}
    first = await client.post(f"{P}/{a.id}/payments/saved", json=body,
                              headers={**me, "Idempotency-Key": "now-1"})
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "processing"  # posts when the processor's webhook comes
    later = await client.get(f"{P}/{a.id}/payments/{first.json()['id']}", headers=me)
    assert later.json()["status"] == "posted"  # the courier delivered it after the answer
    # a retry after the kernel forgot the first answer still finds the same charge
    await bound["payments"].execute(text("DELETE FROM idempotency_keys"))
    again = await client.post(f"{P}/{a.id}/payments/saved", json=body,
                              headers={**me, "Idempotency-Key": "now-1"})
    assert again.json()["id"] == first.json()["id"]
    assert len(charges(sandbox)) == 1
    posted = await outbox(bound, "payments.PaymentPosted")
    assert [(p["payment"]["amount"], p["payment"]["tender"]) for p in posted] == [
        ("55.25", "card")]


async def test_a_card_number_or_cvv_sent_alongside_is_refused_not_dropped(client, feed, auth,
                                                                          bound, sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    for path, body in [
        (f"{P}/{a.id}/methods", {"token": "pm_card_visa", "card_number": CARD, "cvc": "123"}),
        (f"{P}/{a.id}/payments/hosted", {"amount": "5.00", "number": CARD, "cvv": "123"}),
    ]:
        r = await client.post(path, json=body, headers={**me, "Idempotency-Key": path[-6:]})
        assert r.status_code == 422, r.text
        assert CARD not in r.text and "123" not in r.json()["detail"]
    assert await table_count(bound, "saved_methods") == 0
    assert await table_count(bound, "portal_payments") == 0
