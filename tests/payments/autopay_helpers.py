"""Autopay test helpers: enrolments, bills fed as billing announces them, the day's jobs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from kernel.clock import utility_today
from kernel.webhooks import WebhookSecret
from services.payments.autopay.domain import BankingCalendar
from services.payments.processors.sandbox import SandboxProcessor
from tests.payments.helpers import Acct, Feeder, issue_bill

CAL = BankingCalendar()
#: Enrolments date from the real today (the enrol endpoint's `utility_today`), so bills in the
#: tests fall due after it.
TODAY = utility_today()
WELLS_FARGO_CA = "121042882"
BANK_NUMBER = "000123456789"
RUN_ON = CAL.on_or_after(TODAY + timedelta(days=1))


@pytest.fixture
def sandbox(service_apps: dict[str, Any]) -> Iterator[SandboxProcessor]:
    state = service_apps["payments"].state
    configured, state.processor = state.processor, SandboxProcessor([WebhookSecret.generate()])
    yield state.processor
    state.processor = configured


async def enrol_bank(client: Any, headers: dict[str, str], account_id: str, *,
                     routing: str = WELLS_FARGO_CA, number: str = BANK_NUMBER,
                     kind: str = "checking", portal: bool = False) -> Any:
    url = (f"/api/payments/portal/accounts/{account_id}/autopay" if portal
           else f"/api/payments/autopay/accounts/{account_id}")
    return await client.post(url, json={"method": "bank", "routing_number": routing,
                                        "account_number": number, "account_type": kind},
                             headers=headers)


async def enrol_card(client: Any, headers: dict[str, str], account_id: str,
                     token: str = "pm_card_visa") -> Any:
    return await client.post(f"/api/payments/autopay/accounts/{account_id}",
                             json={"method": "card", "card_token": token}, headers=headers)


async def bill_due(f: Feeder, a: Acct, total: str, balance: str, due: date) -> str:
    return await issue_bill(f, a, total, balance, due=due.isoformat())


async def balance_now(f: Feeder, a: Acct, balance: str, kind: str = "payment",
                      amount: str = "-50.00") -> None:
    """What billing announces after an entry (a payment, an adjustment) since the bill."""
    await f.send("billing.LedgerEntryPosted", f"account:{a.id}", {"entry": {
        "id": "e-" + a.id, "account_id": a.id, "kind": kind, "amount": amount,
        "posted_on": TODAY.isoformat(), "reference": None, "corrects": None},
        "balance": balance})
    await f.drain()


async def run(client: Any, headers: dict[str, str], today: date) -> dict[str, Any]:
    r = await client.post("/api/payments/autopay/run", json={"today": today.isoformat()},
                          headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def cut(client: Any, headers: dict[str, str], today: date,
              effective: date | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"today": today.isoformat()}
    if effective is not None:
        body["effective_on"] = effective.isoformat()
    r = await client.post("/api/payments/autopay/files", json=body, headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def events(bound: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    return [r[0] for r in (await bound["payments"].execute(text(
        "SELECT payload FROM outbox WHERE type = :t ORDER BY id"), {"t": type_})).all()]
