"""Text-to-pay end to end through the gateway: a phone enrolled and confirmed, balance messages
texted once per bill and day, PAY charging the quoted amount once through the processor (and
posting when its webhook arrives), STOP/HELP/unknown texts, and forged texts refused unwritten.
The SMS provider and the processor are the sandboxes; PostgreSQL is real."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from kernel.clock import utc_now, utility_today
from kernel.sms.sandbox import SandboxSms
from kernel.webhooks import WebhookSecret
from services.payments.processors.sandbox import SandboxProcessor
from tests.payments.helpers import issue_bill, make_account
from tests.payments.helpers import outbox as events
from tests.payments.texttopay_helpers import (
    ENROL,
    INBOUND,
    STATUS,
    code_of,
    count,
    enrol,
    inbound_url,
    last_text,
    new_phone,
    post,
    run_balance,
    set_balance,
    text_in,
)

TODAY = utility_today()


@pytest.fixture
def sms(service_apps: dict[str, Any]) -> Iterator[SandboxSms]:
    """A sandbox SMS provider whose outbox this test reads, as the payments app's."""
    state = service_apps["payments"].state
    configured, state.sms = state.sms, SandboxSms()
    yield state.sms
    state.sms = configured


@pytest.fixture
def processor(service_apps: dict[str, Any]) -> Iterator[SandboxProcessor]:
    state = service_apps["payments"].state
    configured, state.processor = state.processor, SandboxProcessor([WebhookSecret.generate()])
    yield state.processor
    state.processor = configured


@pytest.fixture
def staff(auth):
    return auth("csr2", "chris")


@pytest.fixture
def tech(auth):
    return auth("billing_tech", "bea")


async def test_an_enrolment_waits_for_the_code_texted_to_the_phone(client, feed, sms, processor,
                                                                    staff, tech, bound):
    e = await enrol(client, feed, sms, staff, confirm=False)
    assert e.enrolment["status"] == "pending"
    assert "visa ••4242" in last_text(sms, e.phone)
    await issue_bill(feed, e.acct, "40.00", "40.00", due="2026-12-20")
    assert (await run_balance(client, tech, TODAY.isoformat()))["sent"] == 0  # not confirmed
    code = code_of(sms, e.phone)
    wrong = "000000" if code != "000000" else "111111"
    r = await client.post(f"{ENROL}/{e.enrolment['id']}/confirm", json={"code": wrong},
                          headers=staff)
    assert (r.status_code, r.json()["code"]) == (422, "texttopay-code")
    assert await count(bound, "SELECT code_attempts FROM texttopay_enrolments") == 1
    assert await events(bound, "payments.TextToPayEnrolled") == []
    r = await client.post(f"{ENROL}/{e.enrolment['id']}/confirm", json={"code": code},
                          headers=staff)
    assert (r.status_code, r.json()["status"], r.json()["confirmed_by"]) == (200, "active",
                                                                            "code")
    (ev,) = await events(bound, "payments.TextToPayEnrolled")
    assert (ev["account_id"], ev["phone"], ev["method_display"], ev["confirmed_by"]) == (
        e.acct.id, e.phone, "visa •••• 4242", "code")
    assert (await run_balance(client, tech, TODAY.isoformat()))["sent"] == 1


async def test_replying_yes_confirms_the_registered_phone(client, feed, sms, processor, staff,
                                                          bound):
    e = await enrol(client, feed, sms, staff, confirm=False)
    await text_in(client, sms, e.phone, "PAY")
    assert "not confirmed yet" in last_text(sms, e.phone)
    await text_in(client, sms, e.phone, "Yes")
    assert "text-to-pay is on" in last_text(sms, e.phone)
    r = await client.get(f"{ENROL}/{e.enrolment['id']}", headers=staff)
    assert (r.json()["status"], r.json()["confirmed_by"]) == ("active", "reply")
    (ev,) = await events(bound, "payments.TextToPayEnrolled")
    assert ev["confirmed_by"] == "reply"


async def test_enrolment_refuses_a_bad_phone_an_unknown_method_and_a_phone_paying_elsewhere(
        client, feed, sms, processor, staff, bound):
    a = await make_account(feed)
    for body, code in (({"phone": "555-0123", "payment_method": "pm_card_visa"}, 422),
                       ({"phone": "+15415550999", "payment_method": "pm_nothing"}, 422)):
        r = await client.post(ENROL, json={"account_id": a.id, **body}, headers=staff)
        assert r.status_code == code, r.text
        assert r.headers["content-type"] == "application/problem+json"
    assert await count(bound, "SELECT count(*) FROM texttopay_enrolments") == 0
    assert sms.outbox == []
    first = await enrol(client, feed, sms, staff)
    r = await client.post(ENROL, json={"account_id": a.id, "phone": first.phone,
                                       "payment_method": "pm_card_visa"}, headers=staff)
    assert r.status_code == 409, r.text


async def test_a_balance_message_quotes_amount_due_date_and_method_once_per_bill_and_day(
        client, feed, sms, processor, staff, tech, bound):
    e = await enrol(client, feed, sms, staff)
    paid_up = await enrol(client, feed, sms, staff)
    await issue_bill(feed, e.acct, "123.45", "123.45", due="2026-12-20")
    await issue_bill(feed, paid_up.acct, "50.00", "0.00", due="2026-12-20")
    before = len(sms.outbox)
    run = await run_balance(client, tech, TODAY.isoformat())
    assert (run["sent"], run["already_sent"]) == (1, 0)
    body = last_text(sms, e.phone)
    assert "$123.45, due Dec 20" in body
    assert "Reply PAY to pay $123.45 with visa ••4242" in body
    assert e.acct.number[-4:] in body and e.acct.number not in body
    again = await run_balance(client, tech, TODAY.isoformat())
    assert (again["sent"], again["already_sent"]) == (0, 1)
    assert len(sms.outbox) == before + 1
    tomorrow = await run_balance(client, tech, (TODAY + timedelta(days=1)).isoformat())
    assert tomorrow["sent"] == 1
    r = await client.post("/api/payments/texttopay/balance-messages",
                          json={"today": TODAY.isoformat()}, headers=staff)
    assert r.status_code == 403  # a CSR does not run jobs


async def _quoted(client, feed, sandbox_sms, staff, tech, amount="123.45", *, day=TODAY,
                  method="pm_card_visa"):
    e = await enrol(client, feed, sandbox_sms, staff, method=method)
    await issue_bill(feed, e.acct, amount, amount, due="2026-12-20")
    assert (await run_balance(client, tech, day.isoformat()))["sent"] == 1
    return e


def _charges(p: SandboxProcessor) -> list[Any]:
    return [m for m in p.messages if m.event_type == "payment.succeeded"]


async def test_pay_charges_the_quoted_amount_once_when_the_same_text_arrives_twice(
        client, feed, sms, processor, staff, tech, bound, pump, auth):
    e = await _quoted(client, feed, sms, staff, tech)
    await text_in(client, sms, e.phone, "pay", message_id="SM" + "1" * 32)
    replies = len(sms.to(e.phone))
    await text_in(client, sms, e.phone, "pay", message_id="SM" + "1" * 32)  # webhook retried
    assert len(sms.to(e.phone)) == replies  # the retry is not answered again
    (charge,) = _charges(processor)
    assert b'"amount":"123.45"' in charge.body and e.acct.number.encode() in charge.body
    assert "thank you, $123.45" in last_text(sms, e.phone)
    assert await count(bound, "SELECT count(*) FROM texttopay_inbound") == 1
    # the payment posts when the processor's webhook arrives, once
    r = await client.post("/api/payments/webhooks/sandbox", content=charge.body,
                          headers={**processor.signed(charge, utc_now()),
                                   "content-type": "application/json"})
    assert r.json()["outcome"] == "posted"
    (posted,) = await events(bound, "payments.PaymentPosted")
    assert (posted["payment"]["account_id"], posted["payment"]["amount"],
            posted["payment"]["channel"]) == (e.acct.id, "123.45", "processor")


async def test_pay_sent_twice_charges_once_and_says_so(client, feed, sms, processor, staff,
                                                       tech, bound):
    e = await _quoted(client, feed, sms, staff, tech, "61.20")
    await text_in(client, sms, e.phone, "PAY")
    await text_in(client, sms, e.phone, "PAY")
    assert len(_charges(processor)) == 1
    assert "already on its way" in last_text(sms, e.phone)
    outcomes = [r[0] for r in (await bound["payments"].execute(__import__("sqlalchemy").text(
        "SELECT outcome FROM texttopay_inbound ORDER BY received_at")))]
    assert outcomes == ["charged", "already-charged"]
    r = await client.get(f"{ENROL}/{e.enrolment['id']}", headers=staff)
    (m,) = r.json()["messages"]
    assert (m["amount"], m["charge_status"]) == ("61.20", "succeeded")


async def test_pay_after_the_window_charges_nothing_and_says_why(client, feed, sms, processor,
                                                                 staff, tech):
    e = await _quoted(client, feed, sms, staff, tech, day=TODAY - timedelta(days=10))
    await text_in(client, sms, e.phone, "pay")
    assert _charges(processor) == [] and processor.messages == []
    assert "expired; nothing was charged" in last_text(sms, e.phone)


async def test_pay_after_the_balance_was_paid_charges_nothing_and_says_why(
        client, feed, sms, processor, staff, tech):
    e = await _quoted(client, feed, sms, staff, tech, "80.00")
    await set_balance(feed, e.acct, "0.00")
    await text_in(client, sms, e.phone, "pay")
    assert processor.messages == []
    assert "already paid; nothing was charged" in last_text(sms, e.phone)


async def test_pay_when_the_balance_fell_below_the_quote_charges_nothing(
        client, feed, sms, processor, staff, tech):
    e = await _quoted(client, feed, sms, staff, tech, "80.00")
    await set_balance(feed, e.acct, "30.00")
    await text_in(client, sms, e.phone, "pay")
    assert processor.messages == []
    assert "now $30.00, less than the $80.00" in last_text(sms, e.phone)


async def test_a_declined_card_charges_nothing_and_a_second_pay_does_not_retry_it(
        client, feed, sms, processor, staff, tech):
    e = await _quoted(client, feed, sms, staff, tech, method="pm_card_chargeDeclined")
    await text_in(client, sms, e.phone, "pay")
    assert "declined" in last_text(sms, e.phone)
    await text_in(client, sms, e.phone, "pay")
    assert [m.event_type for m in processor.messages] == ["payment.failed"]


@pytest.mark.parametrize("word", ["STOP", "unsubscribe", "Cancel"])
async def test_stop_unenrols_and_no_balance_message_follows(client, feed, sms, processor,
                                                            staff, tech, bound, word):
    e = await enrol(client, feed, sms, staff)
    await issue_bill(feed, e.acct, "20.00", "20.00", due="2026-12-20")
    await text_in(client, sms, e.phone, word)
    assert "unsubscribed" in last_text(sms, e.phone)
    r = await client.get(f"{ENROL}/{e.enrolment['id']}", headers=staff)
    assert (r.json()["status"], r.json()["cancel_reason"]) == ("cancelled", "stop")
    (ev,) = await events(bound, "payments.TextToPayCancelled")
    assert (ev["account_id"], ev["reason"], ev["phone"]) == (e.acct.id, "stop", e.phone)
    assert (await run_balance(client, tech, TODAY.isoformat()))["sent"] == 0
    await text_in(client, sms, e.phone, "PAY")
    assert processor.messages == []
    assert "not registered" in last_text(sms, e.phone)


async def test_help_answers_with_the_districts_phone(client, feed, sms, processor, staff):
    e = await enrol(client, feed, sms, staff)
    await text_in(client, sms, e.phone, "help")
    assert "(555) 010-0100" in last_text(sms, e.phone)


async def test_an_unknown_number_or_word_gets_a_polite_answer_and_changes_nothing(
        client, feed, sms, processor, staff, tech, bound):
    e = await _quoted(client, feed, sms, staff, tech)
    stranger = new_phone()
    await text_in(client, sms, stranger, "PAY")
    assert "not registered for text-to-pay" in last_text(sms, stranger)
    await text_in(client, sms, e.phone, "how much do I owe?")
    assert "didn't understand" in last_text(sms, e.phone)
    assert processor.messages == []
    assert await count(bound, "SELECT count(*) FROM texttopay_enrolments "
                              "WHERE status = 'active'") == 1
    assert await count(bound, "SELECT count(*) FROM texttopay_messages "
                              "WHERE charge_ref IS NOT NULL") == 0


async def test_forged_tampered_and_unsigned_texts_are_refused_before_anything_is_written(
        client, feed, sms, processor, staff, tech, bound):
    e = await _quoted(client, feed, sms, staff, tech)
    texts_before = len(sms.outbox)
    good = sms.inbound(inbound_url(), e.phone, "PAY")
    forged = sms.inbound(inbound_url(), e.phone, "PAY", token="a-guessed-token")
    tampered_stop = good.body.replace(b"Body=PAY", b"Body=STOP")
    for body, headers, status in (
            (forged.body, forged.headers, 401),
            (tampered_stop, good.headers, 401),
            (good.body, {"Content-Type": "application/x-www-form-urlencoded"}, 400)):
        r = await client.post(INBOUND, content=body, headers=headers)
        assert r.status_code == status, r.text
        assert r.headers["content-type"] == "application/problem+json"
    r = await client.post("/api/payments/sms/inbound/twilio", content=good.body,
                          headers=good.headers)
    assert r.status_code == 404  # not the configured provider
    assert await count(bound, "SELECT count(*) FROM texttopay_inbound") == 0
    assert await count(bound, "SELECT count(*) FROM texttopay_enrolments "
                              "WHERE status = 'active'") == 1
    assert processor.messages == [] and len(sms.outbox) == texts_before
    await post(client, INBOUND, good)  # the genuine one still works
    assert len(_charges(processor)) == 1


async def test_a_status_callback_moves_a_balance_message_forward_only(client, feed, sms,
                                                                      processor, staff, tech):
    e = await _quoted(client, feed, sms, staff, tech)
    sent = sms.to(e.phone)[-1]
    assert sent.status_callback == "http://127.0.0.1:8000/api/payments/sms/status/sandbox"
    url = sent.status_callback
    for state in ("delivered", "sent"):  # out of order
        r = await post(client, STATUS, sms.status_callback(url, sent.message_id, state))
        assert r.status_code == 204, r.text
    r = await client.get(f"{ENROL}/{e.enrolment['id']}", headers=staff)
    assert r.json()["messages"][0]["status"] == "delivered"
    bad = sms.status_callback(url, sent.message_id, "failed")
    r = await client.post(STATUS, content=bad.body.replace(b"failed", b"queued"),
                          headers=bad.headers)
    assert r.status_code == 401


async def test_a_customer_manages_their_own_phone_and_never_anothers(client, feed, sms,
                                                                     processor, auth, staff):
    mine, theirs = await make_account(feed), await make_account(feed)
    other = await enrol(client, feed, sms, staff, acct=theirs)
    me = auth("customer", "cust-1", (mine.id,))
    base = f"/api/payments/portal/accounts/{mine.id}/text-to-pay"
    assert (await client.get(base, headers=me)).status_code == 404  # none yet
    phone = new_phone()
    r = await client.post(base, json={"phone": phone, "payment_method": "pm_card_mastercard"},
                          headers=me)
    assert (r.status_code, r.json()["status"]) == (201, "pending"), r.text
    r = await client.post(f"{base}/confirm", json={"code": code_of(sms, phone)}, headers=me)
    assert (r.status_code, r.json()["status"]) == (200, "active")
    foreign = f"/api/payments/portal/accounts/{theirs.id}/text-to-pay"
    for method, path, body in (("GET", foreign, None), ("DELETE", foreign, None),
                               ("POST", foreign, {"phone": new_phone(),
                                                  "payment_method": "pm_card_visa"}),
                               ("POST", f"{foreign}/confirm", {"code": "123456"})):
        r = await client.request(method, path, json=body, headers=me)
        assert r.status_code == 404, (method, path, r.text)
    r = await client.get(f"{ENROL}/{other.enrolment['id']}", headers=me)
    assert r.status_code == 403  # staff routes are for staff
    r = await client.delete(base, headers=me)
    assert (r.status_code, r.json()["status"], r.json()["cancel_reason"]) == (
        200, "cancelled", "customer")
    r = await client.get(foreign, headers=staff)
    assert r.json()["status"] == "active"  # the other account's phone is untouched


async def test_a_new_confirmed_phone_replaces_the_accounts_earlier_one(client, feed, sms,
                                                                       processor, staff, bound):
    first = await enrol(client, feed, sms, staff)
    second = await enrol(client, feed, sms, staff, acct=first.acct)
    r = await client.get(ENROL, params={"account_id": first.acct.id}, headers=staff)
    assert [(x["phone"], x["status"]) for x in r.json()] == [
        (second.phone, "active"), (first.phone, "cancelled")]
    (ev,) = await events(bound, "payments.TextToPayCancelled")
    assert (ev["phone"], ev["reason"]) == (first.phone, "replaced")


async def test_no_phone_number_or_message_reaches_the_logs(client, feed, sms, processor, staff,
                                                           tech, caplog):
    caplog.set_level("DEBUG")
    e = await _quoted(client, feed, sms, staff, tech, "33.00")
    sms.opted_out.add(e.phone)  # the carrier refuses the reply: logged, by kind only
    await text_in(client, sms, e.phone, "PAY")
    await text_in(client, sms, e.phone, "what is my balance please")
    assert len(_charges(processor)) == 1
    assert "texttopay" in caplog.text  # it did log
    for secret in (e.phone, e.phone[2:], e.phone[-7:], "what is my balance"):
        assert secret not in caplog.text


async def test_an_account_closed_since_the_quote_ends_its_phone_and_pay_charges_nothing(
        client, feed, sms, processor, staff, tech, bound):
    e = await _quoted(client, feed, sms, staff, tech, "45.00")
    await feed.send("accounts.AccountChanged", f"account:{e.acct.id}", {"account": {
        "id": e.acct.id, "number": e.acct.number, "customer_id": e.acct.customer_id,
        "status": "closed"}})
    await feed.drain()
    await text_in(client, sms, e.phone, "PAY")
    assert processor.messages == []
    assert "not registered" in last_text(sms, e.phone)  # the closing ended the enrolment
    r = await client.get(f"{ENROL}/{e.enrolment['id']}", headers=staff)
    assert (r.json()["status"], r.json()["cancel_reason"]) == ("cancelled", "account-closed")
    (ev,) = await events(bound, "payments.TextToPayCancelled")
    assert (ev["reason"], ev["cancelled_by"]) == ("account-closed", "accounts")
    await feed.send("accounts.AccountChanged", f"account:{e.acct.id}", {"account": {
        "id": e.acct.id, "number": e.acct.number, "customer_id": e.acct.customer_id,
        "status": "closed"}})
    await feed.drain()  # a redelivery ends nothing more
    assert len(await events(bound, "payments.TextToPayCancelled")) == 1


async def test_the_demo_texts_pay_and_reads_the_sandbox_phone_over_http(
        client, feed, sms, processor, staff, tech, auth):
    e = await _quoted(client, feed, sms, staff, tech, "19.99")
    r = await client.post("/api/payments/sms/sandbox/inbound",
                          json={"from_phone": e.phone, "body": "PAY"}, headers=staff)
    assert (r.status_code, r.json()["outcome"]) == (200, "charged"), r.text
    assert len(_charges(processor)) == 1
    r = await client.get("/api/payments/sms/sandbox/outbox", params={"phone": e.phone},
                         headers=staff)
    newest = r.json()[0]
    assert newest["to"] == e.phone and "thank you, $19.99" in newest["body"]
    r = await client.get("/api/payments/sms/sandbox/outbox",
                         headers=auth("customer", "cust-9", (e.acct.id,)))
    assert r.status_code == 403  # staff only: the outbox holds every customer's texts


async def test_the_sandbox_phone_is_not_there_with_a_real_provider(client, service_apps, staff):
    from kernel.sms.twilio_gateway import TwilioSms

    state = service_apps["payments"].state
    configured, state.sms = state.sms, TwilioSms("AC" + "0" * 32, ["t"], from_number="+15005550006")
    try:
        r = await client.get("/api/payments/sms/sandbox/outbox", headers=staff)
        assert r.status_code == 404
        r = await client.post("/api/payments/sms/sandbox/inbound",
                              json={"from_phone": "+15415550100", "body": "PAY"}, headers=staff)
        assert r.status_code == 404
    finally:
        state.sms = configured


async def test_the_sandbox_phone_cannot_pay_a_real_processor(client, feed, sms, service_apps,
                                                             staff, tech, bound):
    from services.payments.processors.stripe_processor import StripeProcessor

    e = await _quoted(client, feed, sms, staff, tech)
    state = service_apps["payments"].state
    configured, state.processor = state.processor, StripeProcessor("sk_test_x", ["whsec_x"])
    try:
        r = await client.post("/api/payments/sms/sandbox/inbound",
                              json={"from_phone": e.phone, "body": "PAY"}, headers=staff)
        assert r.status_code == 404
        assert await count(bound, "SELECT count(*) FROM texttopay_inbound") == 0
    finally:
        state.processor = configured


async def test_a_refused_number_is_recorded_and_an_unanswered_send_is_tried_again_that_day(
        client, feed, sms, processor, staff, tech, bound):
    from kernel.sms import SmsUnavailable

    ok = await enrol(client, feed, sms, staff)
    refused = await enrol(client, feed, sms, staff)
    flaky = await enrol(client, feed, sms, staff)
    for e in (ok, refused, flaky):
        await issue_bill(feed, e.acct, "10.00", "10.00", due="2026-12-20")
    sms.opted_out.add(refused.phone)
    real_send = sms.send

    async def send(to, body, *, status_callback=None):
        if to == flaky.phone:
            raise SmsUnavailable()
        return await real_send(to, body, status_callback=status_callback)

    sms.send = send  # type: ignore[method-assign]
    run = await run_balance(client, tech, TODAY.isoformat())
    assert (run["sent"], run["failed"], run["unavailable"]) == (1, 1, 1)
    r = await client.get(f"{ENROL}/{refused.enrolment['id']}", headers=staff)
    assert r.json()["messages"][0]["status"] == "failed"
    sms.send = real_send  # type: ignore[method-assign]
    again = await run_balance(client, tech, TODAY.isoformat())
    assert (again["sent"], again["already_sent"], again["failed"]) == (1, 2, 0)
    assert "Reply PAY to pay $10.00" in last_text(sms, flaky.phone)


async def test_a_webhook_configured_with_a_query_string_is_verified_over_it(
        client, feed, sms, processor, staff):
    e = await enrol(client, feed, sms, staff)
    signed = sms.inbound(inbound_url() + "?district=demo", e.phone, "HELP")
    r = await client.post(INBOUND + "?district=demo", content=signed.body,
                          headers=signed.headers)
    assert r.status_code == 200, r.text
    assert "(555) 010-0100" in last_text(sms, e.phone)
    r = await client.post(INBOUND, content=signed.body, headers=signed.headers)
    assert r.status_code == 401  # the query string is part of what was signed


async def test_a_customer_pays_by_text_with_a_saved_method_and_never_with_anothers(
        client, feed, sms, processor, auth):
    mine, theirs = await make_account(feed), await make_account(feed)
    me = auth("customer", "cust-s", (mine.id,))
    them = auth("customer", "cust-t", (theirs.id,))
    saved = {}
    for acct, who in ((mine, me), (theirs, them)):
        r = await client.post(f"/api/payments/portal/accounts/{acct.id}/methods",
                              json={"token": "pm_card_visa"},
                              headers={**who, "Idempotency-Key": f"m-{acct.id}"})
        assert r.status_code == 201, r.text
        saved[acct.id] = r.json()["id"]
    base = f"/api/payments/portal/accounts/{mine.id}/text-to-pay"
    phone = new_phone()
    both = await client.post(base, headers=me, json={
        "phone": phone, "method_id": saved[mine.id], "payment_method": "pm_card_visa"})
    assert both.status_code == 422
    foreign = await client.post(base, headers=me,
                                json={"phone": phone, "method_id": saved[theirs.id]})
    assert foreign.status_code == 404
    r = await client.post(base, headers=me, json={"phone": phone, "method_id": saved[mine.id]})
    assert (r.status_code, r.json()["status"], r.json()["method_display"]) == (
        201, "pending", "visa •••• 4242"), r.text
    r = await client.post(f"{base}/confirm", json={"code": code_of(sms, phone)}, headers=me)
    assert r.json()["status"] == "active"
