"""Each kind of message from its fact, once: receipts, autopay pre-notices days ahead, returned
payments, past-due reminders alongside the written notices, leak alerts by the channels the
customer chose, due-date reminders dropped when the bill is paid; texts wait out quiet hours,
and STOP ends them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kernel.settings import get_settings
from kernel.sms.sandbox import SandboxSms
from services.accounts.notifications import service
from services.accounts.notifications.domain import QuietHours
from services.accounts.notifications.service import quiet_hours, zone
from tests.accounts.notify_helpers import customer_account, deliver, messages, send
from tests.kernel.smtp import smtp_fixture  # noqa: F401  (the fixture `smtp`)

#: Noon in the utility's zone: no quiet hours.
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=zone()).astimezone(UTC)


@pytest.fixture
def sms() -> SandboxSms:
    return SandboxSms()


async def test_a_payment_receipt_is_sent_once_and_a_customer_may_turn_receipts_off(
        client, auth, bound, service_apps, smtp):
    a = await customer_account(client, auth)
    payment = {"payment": {"id": str(uuid.uuid4()), "account_id": a["id"], "amount": "42.10",
                           "received_on": "2026-12-02", "receipt_number": "R-000777"}}
    eid = await deliver(bound, service_apps, "payments", "payments.PaymentPosted", payment,
                        f"account:{a['id']}")
    await deliver(bound, service_apps, "payments", "payments.PaymentPosted", payment,
                  f"account:{a['id']}", event_id=eid)
    await send(service_apps, now=NOON)
    [mail] = [m for m in smtp.to(a["email"]) if "Payment received" in m.subject]
    assert "$42.10" in mail.subject and "R-000777" in mail.text
    b = await customer_account(client, auth)
    r = await client.put(
        f"/api/accounts/notifications/accounts/{b['id']}/preferences/payment_receipt",
        json={"channels": "none"}, headers=auth("csr1"))
    assert r.status_code == 200
    await deliver(bound, service_apps, "payments", "payments.PaymentPosted", {"payment": {
        **payment["payment"], "id": str(uuid.uuid4()), "account_id": b["id"]}},
        f"account:{b['id']}")
    assert await messages(bound, b["id"], "payment_receipt") == []


async def test_the_autopay_pre_notice_goes_out_the_configured_days_before_the_debit(
        client, auth, bound, service_apps, smtp):
    a = await customer_account(client, auth)
    await deliver(bound, service_apps, "payments", "payments.AutopayDebitScheduled", {
        "debit_id": str(uuid.uuid4()), "account_id": a["id"], "bill_id": str(uuid.uuid4()),
        "amount": "97.35", "debit_on": "2026-12-21", "method": "bank"}, f"account:{a['id']}")
    [row] = await messages(bound, a["id"], "autopay_prenotice")
    days = get_settings().notify_autopay_prenotice_days
    assert row.not_before.astimezone(zone()).date() == datetime(2026, 12, 21).date() - timedelta(
        days=days)
    await send(service_apps, now=row.not_before - timedelta(hours=1))
    assert not [m for m in smtp.to(a["email"]) if "Autopay" in m.subject]
    await send(service_apps, now=row.not_before)
    [mail] = [m for m in smtp.to(a["email"]) if "Autopay" in m.subject]
    assert "$97.35" in mail.subject and "your bank account" in mail.text


async def test_a_past_due_step_is_told_by_the_customers_channel_beside_the_written_notice(
        client, auth, bound, service_apps, smtp, sms):
    a = await customer_account(client, auth, language="es")
    r = await client.put(f"/api/accounts/notifications/accounts/{a['id']}/preferences/past_due",
                         json={"channels": "both"}, headers=auth("customer", "c", (a["id"],)))
    assert r.status_code == 200, r.text
    bill = str(uuid.uuid4())
    for step, disconnect in (("first_notice", None), ("shutoff_notice", "2027-01-22")):
        await deliver(bound, service_apps, "collections", "collections.LadderStepTaken", {
            "account_id": a["id"], "bill_id": bill, "step": step, "taken_on": "2026-12-02",
            "amount_past_due": "126.40", "disconnect_on": disconnect}, f"account:{a['id']}")
    await send(service_apps, sms, now=NOON)
    mails = [m for m in smtp.to(a["email"]) if "vencida" in m.subject]
    assert len(mails) == 2
    assert sum("22 de enero de 2027" in m.text for m in mails) == 1  # the shut-off step's
    texts = sms.to(a["phone"])
    assert len(texts) == 2 and "$126.40" in texts[0].body


async def test_a_leak_alert_goes_by_the_channels_the_alert_preference_names(
        client, auth, bound, service_apps, smtp, sms):
    a = await customer_account(client, auth)
    alert = {"id": str(uuid.uuid4()), "account_id": a["id"], "meter_id": str(uuid.uuid4()),
             "kind": "continuous", "first_hour": "2026-12-01T08:00:00+00:00",
             "last_hour": "2026-12-02T07:00:00+00:00", "detected_on": "2026-12-02",
             "threshold_gph": "1", "min_hours": 24, "peak_gph": "3.1",
             "hours": [{"at": "2026-12-01T08:00:00+00:00", "gallons": "2.9"}]}
    eid = await deliver(bound, service_apps, "billing", "billing.LeakSuspected", {
        "alert": alert, "notify": {"email": False, "text": True}}, f"account:{a['id']}")
    await deliver(bound, service_apps, "billing", "billing.LeakSuspected", {
        "alert": alert, "notify": {"email": False, "text": True}}, f"account:{a['id']}",
        event_id=eid)
    await send(service_apps, sms, now=NOON)
    assert not [m for m in smtp.to(a["email"]) if "leak" in m.subject.lower()]
    [t] = sms.to(a["phone"])
    assert "possible leak" in t.body
    [row] = await messages(bound, a["id"], "leak_alert")
    assert (row.channel, row.status) == ("text", "sent")


async def test_a_text_due_in_quiet_hours_waits_for_the_morning(
        client, auth, bound, service_apps, sms):
    a = await customer_account(client, auth)
    late = datetime(2026, 12, 2, 22, 30, tzinfo=zone()).astimezone(UTC)
    await client.put(f"/api/accounts/notifications/accounts/{a['id']}/preferences/payment_receipt",
                     json={"channels": "text"}, headers=auth("csr1"))
    async with service_apps["accounts"].state.db.session() as s:
        await service.notify(s, [service.Notice(
            uuid.UUID(a["id"]), "payment_receipt", "payment:late", facts={
                "amount": "5.00", "received_on": "2026-12-02", "receipt": "R-1"})], now=late)
        await s.commit()
    [row] = await messages(bound, a["id"], "payment_receipt")
    morning = datetime(2026, 12, 3, 8, 0, tzinfo=zone())
    assert row.not_before == morning
    await send(service_apps, sms, now=late)
    assert sms.to(a["phone"]) == []
    await send(service_apps, sms, now=morning.astimezone(UTC))
    assert len(sms.to(a["phone"])) == 1


def test_quiet_hours_span_midnight_and_let_daytime_texts_go_at_once():
    q = QuietHours(datetime.strptime("21:00", "%H:%M").time(),
                   datetime.strptime("08:00", "%H:%M").time(), zone())
    day = datetime(2026, 12, 2, 15, 0, tzinfo=zone())
    assert q.next_allowed(day) == day
    early = datetime(2026, 12, 3, 6, 0, tzinfo=zone())
    assert q.next_allowed(early) == datetime(2026, 12, 3, 8, 0, tzinfo=zone())
    assert quiet_hours().start.hour == 21


async def test_stop_from_the_customers_phone_ends_texts_and_start_resumes_them(
        client, auth, bound, service_apps, sms):
    a = await customer_account(client, auth)
    await client.put(f"/api/accounts/notifications/accounts/{a['id']}/preferences/past_due",
                     json={"channels": "text"}, headers=auth("csr1"))
    step = {"account_id": a["id"], "bill_id": str(uuid.uuid4()), "step": "reminder",
            "taken_on": "2026-12-02", "amount_past_due": "20.00", "disconnect_on": None}
    await deliver(bound, service_apps, "collections", "collections.LadderStepTaken", step,
                  f"account:{a['id']}")
    await deliver(bound, service_apps, "payments", "payments.TextKeywordReceived", {
        "phone": a["phone"], "keyword": "stop", "received_at": "2026-12-02T18:00:00+00:00"},
        f"phone:{a['phone']}")
    await send(service_apps, sms, now=NOON)
    assert sms.to(a["phone"]) == []  # the queued text was cancelled
    await deliver(bound, service_apps, "collections", "collections.LadderStepTaken", {
        **step, "step": "first_notice"}, f"account:{a['id']}")
    # texts stopped: the notice goes by e-mail instead (the first text was cancelled)
    assert sorted((r.channel, r.status) for r in await messages(bound, a["id"], "past_due")) == [
        ("email", "queued"), ("text", "cancelled")]
    await deliver(bound, service_apps, "payments", "payments.TextKeywordReceived", {
        "phone": a["phone"], "keyword": "start", "received_at": "2026-12-02T19:00:00+00:00"},
        f"phone:{a['phone']}")
    await deliver(bound, service_apps, "collections", "collections.LadderStepTaken", {
        **step, "step": "second_notice"}, f"account:{a['id']}")
    await send(service_apps, sms, now=NOON)
    assert len(sms.to(a["phone"])) == 1


async def test_a_due_date_reminder_is_dropped_when_the_account_pays_first(
        client, auth, bound, service_apps, smtp):
    a = await customer_account(client, auth)
    bill = {"bill": {"id": str(uuid.uuid4()), "account_id": a["id"], "bill_date": "2026-12-01",
                     "due_date": "2026-12-21", "period_start": "2026-11-01",
                     "period_end": "2026-11-30", "total": "64.00", "replaces": None,
                     "segments": []}, "balance": "64.00"}
    await deliver(bound, service_apps, "billing", "billing.BillIssued", bill, f"account:{a['id']}")
    [row] = await messages(bound, a["id"], "due_reminder")
    assert row.status == "queued"
    await deliver(bound, service_apps, "billing", "billing.LedgerEntryPosted", {
        "entry": {"id": str(uuid.uuid4()), "account_id": a["id"], "kind": "payment",
                  "amount": "-64.00", "posted_on": "2026-12-05", "reference": "p",
                  "corrects": None}, "balance": "0.00"}, f"account:{a['id']}")
    await send(service_apps, now=row.not_before + timedelta(hours=1))
    [row] = await messages(bound, a["id"], "due_reminder")
    assert row.status == "cancelled"
    assert not [m for m in smtp.to(a["email"]) if "Reminder" in m.subject]


async def test_starting_service_is_confirmed_to_the_customer(client, auth, bound, service_apps,
                                                             smtp):
    a = await customer_account(client, auth)
    await send(service_apps, now=NOON)
    [mail] = [m for m in smtp.to(a["email"]) if "service started" in m.subject]
    assert a["number"] in mail.text
