"""A whole delivery queues in set-based statements and still follows the one rule of who gets
what by which channel (`domain.channels_for`): the e-mail-only path in SQL and the texting path
in Python agree with it for every choice, address and suppression. A customer who chose texts
but cannot be texted gets the e-mail instead. A replayed delivery queues nothing; an account's
messages keep the order of their events."""

from __future__ import annotations

import itertools
import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from kernel.sms.phone import e164
from services.accounts.notifications import domain, service
from services.accounts.notifications.service import Notice, zone
from tests.accounts.notify_helpers import customer_account, deliver, e_bill, messages

#: Noon in the utility's zone: no quiet hours, so a text is due when an e-mail is.
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=zone()).astimezone(UTC)

EMAILS = ("present", "absent", "bounced")
PHONES = ("consented", "no_consent", "none", "stopped")
CHOICES: tuple[str | None, ...] = (None, "email", "text", "both", "none")
#: A kind that may not be turned off (default e-mail), one that may, and one sent by both.
KINDS = ("e_bill", "payment_receipt", "leak_alert")
ONLY: tuple[tuple[str, ...] | None, ...] = (None, ("email",), ("text",), ("email", "text"))


async def _customer(s: Any, email_state: str, phone_state: str, choice: str | None
                    ) -> dict[str, Any]:
    i = uuid.uuid4()
    email = None if email_state == "absent" else f"c-{i.hex[:10]}@example.org"
    phone = None if phone_state == "none" else f"(541) 555-{random.randint(1000, 9999)}"
    account = uuid.uuid4()
    await s.execute(text(
        "INSERT INTO customers (id, kind, name, mailing_address, emails, phones, language, "
        "paperless, text_messages) VALUES (:id, 'person', :name, CAST(:addr AS jsonb), "
        ":emails, :phones, 'en', true, :texts)"), {
            "id": i, "name": f"Rule {i.hex[:6]}", "addr": json.dumps({
                "line1": "1 Main St", "city": "Town", "state": "CA", "postal_code": "95000"}),
            "emails": [email] if email else [], "phones": [phone] if phone else [],
            "texts": phone_state in ("consented", "stopped")})
    await s.execute(text(
        "INSERT INTO accounts (id, number, customer_id, status, opened_on) "
        "VALUES (:id, :number, :c, 'active', date '2025-01-01')"),
        {"id": account, "number": f"9{random.randint(10**9, 10**10 - 1)}", "c": i})
    if choice is not None:
        for kind in KINDS:
            await s.execute(text(
                "INSERT INTO notification_preferences (customer_id, kind, channels, changed_by) "
                "VALUES (:c, :k, :ch, 'test')"), {"c": i, "k": kind, "ch": choice})
    blocked: set[tuple[str, str]] = set()
    if email_state == "bounced" and email:
        await service.repository.suppress(s, "email", email, "hard_bounce", "550", None)
        blocked.add(("email", email))
    mobile = e164(phone) if phone else None
    if phone_state == "stopped" and mobile:
        await service.keyword(s, mobile, "stop")
        blocked.add(("text", mobile))
    return {"account": account, "email": email, "phone": mobile, "choice": choice,
            "texts": phone_state in ("consented", "stopped"), "blocked": frozenset(blocked)}


async def test_every_choice_address_and_suppression_gets_what_the_rule_says(service_apps):
    async with service_apps["accounts"].state.db.session() as s:
        people = [await _customer(s, e, p, c)
                  for e, p, c in itertools.product(EMAILS, PHONES, CHOICES)]
        notices, expected = [], set()
        for who, kind in itertools.product(people, KINDS):
            for only in (ONLY if kind == "leak_alert" else (None,)):
                source = f"rule:{uuid.uuid4()}"
                notices.append(Notice(who["account"], kind, source, facts={"total": "1.00"},
                                      only=only))
                for channel, address in domain.channels_for(
                        domain.KINDS[kind], who["choice"], who["email"], who["phone"],
                        who["texts"], who["blocked"], only):
                    expected.add((who["account"], source, channel, address))
        queued = await service.notify(s, notices, now=NOON)
        rows = (await s.execute(text(
            "SELECT account_id, dedupe_key, channel, recipient FROM notification_messages "
            "WHERE dedupe_key LIKE 'rule:%' AND account_id = ANY(CAST(:a AS uuid[]))"),
            {"a": [str(p["account"]) for p in people]})).all()
        got = {(r.account_id, r.dedupe_key.rsplit(":", 2)[0], r.channel, r.recipient)
               for r in rows}
        await s.rollback()
    assert got == expected
    assert queued == len(expected)
    # the matrix reaches both paths and the fallback: texts, e-mails, and e-mails instead
    assert {c for _, _, c, _ in expected} == {"email", "text"}
    assert any(p["choice"] == "text" and p["phone"] is None and p["email"]
               and any(a == p["account"] and c == "email" for a, _, c, _ in expected)
               for p in people)


async def test_a_customer_who_chose_texts_without_a_mobile_gets_receipts_by_e_mail(
        client, auth, bound, service_apps):
    a = await customer_account(client, auth, phones=[])
    r = await client.put(
        f"/api/accounts/notifications/accounts/{a['id']}/preferences/payment_receipt",
        json={"channels": "text"}, headers=auth("csr1"))
    assert r.status_code == 200
    await deliver(bound, service_apps, "payments", "payments.PaymentPosted", {"payment": {
        "id": str(uuid.uuid4()), "account_id": a["id"], "amount": "12.00",
        "received_on": "2026-12-02", "receipt_number": "R-1"}}, f"account:{a['id']}")
    [row] = await messages(bound, a["id"], "payment_receipt")
    assert (row.channel, row.recipient) == ("email", a["email"])


async def test_a_replayed_delivery_queues_nothing_and_an_accounts_messages_keep_their_order(
        client, auth, bound, service_apps):
    a = await customer_account(client, auth)
    bill = e_bill(a, "55.00")
    eid = await deliver(bound, service_apps, "billing", "billing.EBillReady", bill,
                        f"account:{a['id']}")
    later = e_bill(a, "66.00")
    await deliver(bound, service_apps, "billing", "billing.EBillReady", later,
                  f"account:{a['id']}")
    await deliver(bound, service_apps, "billing", "billing.EBillReady", bill,
                  f"account:{a['id']}", event_id=eid)
    await deliver(bound, service_apps, "billing", "billing.EBillReady", bill,
                  f"account:{a['id']}")  # the same bill announced again, under a new id
    rows = list((await bound["accounts"].execute(text(
        "SELECT facts->>'total' AS total, not_before FROM notification_messages "
        "WHERE account_id = :a AND kind = 'e_bill' ORDER BY not_before, queued_at"),
        {"a": a["id"]})).all())
    assert [r.total for r in rows] == ["55.00", "66.00"]
    assert rows[0].not_before <= rows[1].not_before <= datetime.now(UTC) + timedelta(seconds=1)
