"""Two customers, A and B, each with everything a customer can own across the services: an
account served at a metered premise (accounts), the account's bill from a real bill run
(billing), copied to payments and collections by the in-process relay (`pump`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from tests.accounts.factories import create_meter, create_premise, install_meter, start_service
from tests.billing.helpers import RATES, billed_run

SERVICES = ("accounts", "billing", "payments", "collections")


@dataclass
class Customer:
    """What one customer owns, by the names operations give those ids."""

    account_id: str
    account_number: str
    last_bill_amount: str = ""
    ids: dict[str, str] = field(default_factory=dict)

    def headers(self, auth: Any) -> dict[str, str]:
        return auth("customer", sub=f"owner-{self.account_number}@example.org",
                    accounts=(self.account_id,))


async def _one(client, auth) -> tuple[Customer, str]:
    csr, tech = auth("csr1"), auth("billing_tech")
    premise = await create_premise(client, csr)
    meter = await create_meter(client, tech)
    await install_meter(client, tech, meter["id"], premise["id"], on="2026-01-02", read="100")
    started = await start_service(client, csr, premise["id"], start="2026-02-01")
    account = started["account"]
    water = next(sa for sa in started["service_agreements"] if sa["service"] == "water")
    c = Customer(account["id"], account["number"], ids={
        "account_id": account["id"], "account_number": account["number"],
        "customer_id": started["customer"]["id"],
        "premise_id": premise["id"], "meter_id": meter["id"], "sa_id": water["id"],
        "service_agreement_id": water["id"], "order_id": started["service_order"]["id"],
        "document_id": str(started["welcome_letter_id"]),
        "letter_id": str(started["welcome_letter_id"]),
    })
    return c, meter["id"]


async def world(client, auth, pump, bound) -> tuple[Customer, Customer]:
    """A and B, billed for February 2026 by one finalised run of cycle C1."""
    a, meter_a = await _one(client, auth)
    b, meter_b = await _one(client, auth)
    for target in ("billing", "payments", "collections"):
        await pump("accounts", target)
    tech, sup = auth("billing_tech", "tina"), auth("supervisor", "sam")
    r = await client.post("/api/billing/rates/versions", json=RATES, headers=tech)
    assert r.status_code == 201, r.text
    for meter, value in ((meter_a, "112"), (meter_b, "118")):
        r = await client.post("/api/billing/reads", headers=tech, json={
            "meter_id": meter, "read_on": "2026-02-28", "value": value})
        assert r.status_code == 201, r.text
    run = await billed_run(client, tech, sup, auth("supervisor", "sue"), cycle="C1",
                           start="2026-02-01", end="2026-02-28", bill_date="2026-03-02")
    bills = (await client.get(f"/api/billing/runs/{run['id']}/bills", headers=tech)).json()
    for c in (a, b):
        bill = next(x for x in bills if x["account_id"] == c.account_id)
        c.ids["bill_id"], c.last_bill_amount = str(bill["id"]), str(bill["total"])
    for target in ("accounts", "payments", "collections"):
        await pump("billing", target)
    for c in (a, b):
        await payments_of(bound, c)
    return a, b


async def payments_of(bound, c: Customer) -> None:
    """A saved card, a scheduled payment and a hosted payment of the customer's, as payments
    keeps them (the processor's side of saving and paying is not what the matrix tests)."""
    method, schedule, payment = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    who = f"owner-{c.account_number}"
    conn = bound["payments"]
    await conn.execute(text(
        "INSERT INTO saved_methods (id, account_id, processor, token, kind, display, "
        "is_default, status, saved_by, idempotency_key) VALUES (:id, :a, 'sandbox', :t, "
        "'card', 'visa 4242', true, 'active', :w, :k)"),
        {"id": method, "a": c.account_id, "t": f"pm_{method.hex}", "w": who, "k": str(method)})
    await conn.execute(text(
        "INSERT INTO recurring_schedules (id, account_id, method_id, kind, amount_rule, "
        "amount, start_on, status, created_by, idempotency_key) VALUES (:id, :a, :m, 'once', "
        "'fixed', 10.00, DATE '2026-04-01', 'active', :w, :k)"),
        {"id": schedule, "a": c.account_id, "m": method, "w": who, "k": str(schedule)})
    await conn.execute(text(
        "INSERT INTO portal_payments (id, account_id, kind, amount, processor, processor_key, "
        "session_id, requested_by, idempotency_key) VALUES (:id, :a, 'hosted', 10.00, "
        "'sandbox', :pk, :s, :w, :k)"),
        {"id": payment, "a": c.account_id, "pk": f"key_{payment.hex}", "s": f"cs_{payment.hex}",
         "w": who, "k": str(payment)})
    c.ids.update(method_id=str(method), schedule_id=str(schedule), payment_id=str(payment))
