"""Who reaches what in payments, generated from the payments app's OpenAPI document so a new
operation cannot be forgotten: a customer reaches only `/portal/...` operations, and there only
the accounts their token names (another customer's account, or one that does not exist, is
404 and nothing is written, as is another customer's method, schedule or payment named under
the customer's own account); every other payments operation refuses a customer (403)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

from kernel.clock import utility_today
from tests.payments.helpers import make_account
from tests.payments.portal_helpers import P, customer, sandbox, save_method

__all__ = ["sandbox"]

PORTAL = "/api/payments/portal/accounts/{account_id}"
#: Operations with no customer or staff token: the processor's own (its signature, or the
#: hosted page's unguessable session id, is the authentication).
PROCESSOR = ("/api/payments/webhooks/", "/api/payments/sandbox/", "/api/payments/sms/inbound/",
             "/api/payments/sms/status/")
#: Open to anyone: the service's health (the kernel's, no data).
PUBLIC = {"/api/payments/health"}
TABLES = ("portal_payments", "saved_methods", "recurring_schedules", "recurring_charges",
          "autopay_enrolments", "texttopay_enrolments", "outbox", "audit_log", "payments")


def operations(app: Any) -> list[tuple[str, str]]:
    return sorted((method.upper(), path) for path, ops in app.openapi()["paths"].items()
                  for method in ops if method in ("get", "post", "put", "patch", "delete"))


def _start() -> str:
    return (utility_today() + timedelta(days=3)).isoformat()


#: A valid request for every portal operation, so only ownership can refuse it.
def bodies(ids: dict[str, str]) -> dict[tuple[str, str], dict[str, Any] | None]:
    return {
        ("GET", ""): None,
        ("POST", "/payments/hosted"): {"amount": "5.00"},
        ("GET", "/payments/{payment_id}"): None,
        ("POST", "/payments/saved"): {"method_id": ids["method_id"], "amount": "5.00"},
        ("GET", "/methods"): None,
        ("POST", "/methods"): {"token": "pm_card_mastercard"},
        ("POST", "/methods/setup"): {},
        ("POST", "/methods/{method_id}/default"): None,
        ("DELETE", "/methods/{method_id}"): None,
        ("GET", "/schedules"): None,
        ("POST", "/schedules"): {"method_id": ids["method_id"], "kind": "once",
                                 "start_on": _start(), "amount_rule": "fixed",
                                 "amount": "5.00"},
        ("DELETE", "/schedules/{schedule_id}"): None,
        ("GET", "/autopay"): None,
        ("POST", "/autopay"): {"method": "bank", "routing_number": "122000247",
                               "account_number": "98765432", "account_type": "checking"},
        ("GET", "/autopay/debits"): None,
        ("DELETE", "/autopay"): None,
        ("GET", "/text-to-pay"): None,
        ("POST", "/text-to-pay"): {"phone": "+15305550123",
                                   "payment_method": "pm_card_mastercard"},
        ("POST", "/text-to-pay/confirm"): {"code": "123456"},
        ("DELETE", "/text-to-pay"): None,
    }


async def counts(bound: dict[str, Any]) -> dict[str, int]:
    from sqlalchemy import text

    return {t: int((await bound["payments"].execute(text(f"SELECT count(*) FROM {t}"))
                    ).scalar_one()) for t in TABLES}


async def test_a_customer_reaches_no_other_account_on_any_portal_operation(
        client, feed, auth, bound, service_apps, sandbox):
    mine, theirs = await make_account(feed), await make_account(feed)
    them = customer(auth, theirs.id, sub="cust-theirs")
    method = await save_method(client, them, theirs.id)
    hosted = (await client.post(f"{P}/{theirs.id}/payments/hosted", json={"amount": "9.00"},
                                headers={**them, "Idempotency-Key": "h"})).json()
    sched = (await client.post(f"{P}/{theirs.id}/schedules", json={
        "method_id": method["id"], "kind": "monthly", "day_of_month": 5, "start_on": _start(),
        "amount_rule": "balance"}, headers={**them, "Idempotency-Key": "s"})).json()
    ids = {"method_id": method["id"], "schedule_id": sched["id"], "payment_id": hosted["id"]}
    me = customer(auth, mine.id, sub="cust-mine")
    portal_ops = {(m, p[len(PORTAL):]) for m, p in operations(service_apps["payments"])
                  if p.startswith(PORTAL)}
    requests = bodies(ids)
    assert portal_ops == set(requests), "a new portal operation: add a valid request here"
    before = await counts(bound)
    for (method_, tail), body in sorted(requests.items()):
        for account in (theirs.id, str(uuid.uuid4())):
            path = P + "/" + account + re.sub(r"{(\w+)}", lambda m: ids[m.group(1)], tail)
            r = await client.request(method_, path, json=body,
                                     headers={**me, "Idempotency-Key": f"{method_}{tail}"})
            assert r.status_code == 404, (method_, tail, r.status_code, r.text)
            assert r.json()["code"] == "not-found"
    assert await counts(bound) == before
    # the customer's own account with the other customer's method, schedule or payment: 404
    for (method_, tail), body in sorted(requests.items()):
        if "{" not in tail and "method_id" not in (body or {}):
            continue
        path = P + "/" + mine.id + re.sub(r"{(\w+)}", lambda m: ids[m.group(1)], tail)
        r = await client.request(method_, path, json=body,
                                 headers={**me, "Idempotency-Key": f"own{method_}{tail}"})
        assert r.status_code == 404, (method_, tail, r.status_code, r.text)
    assert await counts(bound) == before
    ok = await client.get(f"{P}/{mine.id}", headers=me)
    assert ok.status_code == 200


async def test_every_other_payments_operation_refuses_a_customer(client, feed, auth,
                                                                 service_apps):
    a = await make_account(feed)
    me = customer(auth, a.id)
    checked = 0
    for method_, path in operations(service_apps["payments"]):
        if path.startswith(PORTAL) or path.startswith(PROCESSOR) or path in PUBLIC:
            continue
        concrete = re.sub(r"{number}", a.number, re.sub(r"{(?!number)\w+}",
                                                        str(uuid.uuid4()), path))
        r = await client.request(method_, concrete, headers=me, json={})
        assert r.status_code == 403, (method_, path, r.status_code, r.text)
        checked += 1
    assert checked >= 20
