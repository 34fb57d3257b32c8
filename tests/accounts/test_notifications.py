"""Customer notifications: an e-bill is e-mailed once, in the customer's language, with the
bill's amount, through a real SMTP server; a replayed event sends nothing new; a hard bounce
stops mail to the address and tells staff; a failed hand-over is retried with backoff."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from kernel.clock import utc_now
from tests.accounts.notify_helpers import customer_account, deliver, e_bill, messages, send
from tests.kernel.smtp import smtp_fixture  # noqa: F401  (the fixture `smtp`)


def bills(smtp, address: str) -> list:
    """The e-bill notices (not the welcome) the server received for `address`."""
    return [m for m in smtp.to(address) if "factura" in m.subject or " bill" in m.subject]


async def test_a_paperless_customer_gets_one_e_bill_in_their_language_with_the_amount(
        client, auth, bound, service_apps, smtp):
    maria = await customer_account(client, auth, language="es", paperless=True)
    ann = await customer_account(client, auth, language="en", paperless=True)
    sent = {}
    for who, total in ((maria, "84.20"), (ann, "1234.50")):
        sent[who["id"]] = await deliver(bound, service_apps, "billing", "billing.EBillReady",
                                        e_bill(who, total), f"account:{who['id']}")
    await send(service_apps)
    [es] = bills(smtp, maria["email"])
    assert es.subject.startswith("Su factura de") and "$84.20" in es.subject
    assert "vence el 21 de diciembre de 2026" in es.text and "$84.20" in es.html
    assert es.message["Message-ID"].endswith("@notifications.tapline.invalid>")
    [en] = bills(smtp, ann["email"])
    assert "$1,234.50" in en.subject and "December 21, 2026" in en.text

    # the same event again, and the same bill announced by a new event: nothing more
    for who in (maria, ann):
        await deliver(bound, service_apps, "billing", "billing.EBillReady",
                      e_bill(who, "1.00"), f"account:{who['id']}", event_id=sent[who["id"]])
    bill_id = (await bound["accounts"].execute(text(
        "SELECT facts->>'bill_id' FROM notification_messages WHERE account_id = :a "
        "AND kind = 'e_bill'"), {"a": maria["id"]})).scalar_one()
    await deliver(bound, service_apps, "billing", "billing.EBillReady",
                  e_bill(maria, "84.20", bill_id=bill_id), f"account:{maria['id']}")
    await send(service_apps)
    assert len(bills(smtp, maria["email"])) == 1 and len(bills(smtp, ann["email"])) == 1
    [row] = await messages(bound, maria["id"], "e_bill")
    assert (row.status, row.channel, row.attempts) == ("sent", "email", 1)
    log = (await client.get(f"/api/accounts/contacts/{maria['id']}/log",
                            headers=auth("csr1"))).json()
    assert any(e["category"] == "notification" and "E-bill" in e["note"] for e in log)


def _dsn(message_id: str, recipient: str, status: str = "5.1.1",
         action: str = "failed") -> bytes:
    return (
        "From: MAILER-DAEMON@mx.example.org\r\nTo: no-reply@example.org\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n"
        f"Diagnostic-Code: smtp; 550 {status} User unknown\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {message_id}\r\nTo: {recipient}\r\nSubject: Your bill\r\n\r\n"
        "--B--\r\n").encode()


async def test_a_hard_bounce_marks_the_address_and_nothing_more_goes_there(
        client, auth, bound, service_apps, smtp):
    a = await customer_account(client, auth, paperless=True)
    await deliver(bound, service_apps, "billing", "billing.EBillReady", e_bill(a, "50.00"),
                  f"account:{a['id']}")
    await send(service_apps)
    [mail] = bills(smtp, a["email"])
    csr = auth("csr2", "carmen")
    soft = await client.post("/api/accounts/notifications/bounces", headers={
        **csr, "Content-Type": "message/rfc822"},
        content=_dsn(mail.message["Message-ID"], a["email"], "4.2.2", "delayed"))
    assert soft.status_code == 200 and soft.json()["status"] == "sent"
    r = await client.post("/api/accounts/notifications/bounces", headers={
        **csr, "Content-Type": "message/rfc822"}, content=_dsn(mail.message["Message-ID"],
                                                               a["email"]))
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["last_error"][:5]) == ("bounced", "5.1.1")
    listed = (await client.get("/api/accounts/notifications/undeliverable", headers=csr)).json()
    assert [(u["address"], u["reason"]) for u in listed if u["address"] == a["email"]] == [
        (a["email"], "hard_bounce")]
    await deliver(bound, service_apps, "billing", "billing.EBillReady", e_bill(a, "60.00"),
                  f"account:{a['id']}")
    await send(service_apps)
    assert len(bills(smtp, a["email"])) == 1  # the second bill is not mailed to the dead address
    log = (await client.get(f"/api/accounts/contacts/{a['id']}/log", headers=csr)).json()
    assert any("bounced (5.1.1)" in e["note"] for e in log)
    not_a_dsn = await client.post("/api/accounts/notifications/bounces", headers={
        **csr, "Content-Type": "message/rfc822"}, content=b"Subject: out of office\r\n\r\nhi")
    assert not_a_dsn.status_code == 422


async def test_a_mail_server_that_is_down_is_tried_again_later_then_the_mail_goes(
        client, auth, bound, service_apps, smtp, monkeypatch):
    from pydantic import SecretStr

    from kernel.settings import get_settings

    a = await customer_account(client, auth, paperless=True)
    monkeypatch.setattr(get_settings(), "smtp_url", SecretStr("smtp://127.0.0.1:9"))
    await deliver(bound, service_apps, "billing", "billing.EBillReady", e_bill(a, "50.00"),
                  f"account:{a['id']}")
    now = utc_now()
    await send(service_apps, now=now)
    [row] = await messages(bound, a["id"], "e_bill")
    assert (row.status, row.attempts) == ("queued", 1)
    assert row.not_before >= now + timedelta(seconds=59)  # the first backoff: a minute
    monkeypatch.setattr(get_settings(), "smtp_url", SecretStr(smtp.url))
    await send(service_apps, now=now)  # not yet due again
    assert bills(smtp, a["email"]) == []
    await send(service_apps, now=now + timedelta(minutes=2))
    assert len(bills(smtp, a["email"])) == 1
    [row] = await messages(bound, a["id"], "e_bill")
    assert (row.status, row.attempts) == ("sent", 2)


async def test_staff_preview_a_message_in_spanish_and_customers_cannot_turn_off_e_bills(
        client, auth, bound, service_apps):
    r = await client.post("/api/accounts/notifications/preview", headers=auth("csr1"),
                          json={"kind": "autopay_prenotice", "language": "es"})
    assert r.status_code == 200, r.text
    assert r.json()["subject"].startswith("El pago automático cobrará $84.20")
    assert "<html lang=\"es\">" in r.json()["html"]
    a = await customer_account(client, auth)
    me = auth("customer", "cust-1", accounts=(a["id"],))
    off = await client.put(f"/api/accounts/notifications/accounts/{a['id']}/preferences/e_bill",
                           json={"channels": "none"}, headers=me)
    assert off.status_code == 422
    ok = await client.put(
        f"/api/accounts/notifications/accounts/{a['id']}/preferences/payment_receipt",
        json={"channels": "none"}, headers=me)
    assert ok.status_code == 200
    assert {p["kind"]: p["channels"] for p in ok.json()}["payment_receipt"] == "none"
    other = await customer_account(client, auth)
    foreign = await client.get(
        f"/api/accounts/notifications/accounts/{other['id']}/preferences", headers=me)
    assert foreign.status_code == 404
