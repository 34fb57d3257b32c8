"""Text-to-pay in tests: a phone enrolled and confirmed, and the customer's texts posted as the
provider signs them."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from kernel.clock import utc_now
from kernel.settings import get_settings
from kernel.sms.configured import webhook_url
from kernel.sms.sandbox import SandboxSms, SignedPost
from tests.payments.helpers import Acct, make_account

ENROL = "/api/payments/texttopay/enrolments"
RUN = "/api/payments/texttopay/balance-messages"
INBOUND = "/api/payments/sms/inbound/sandbox"
STATUS = "/api/payments/sms/status/sandbox"
_phones = [5550100]


def new_phone() -> str:
    _phones[0] += 1
    return f"+1541{_phones[0]:07d}"


def inbound_url() -> str:
    return webhook_url(get_settings(), INBOUND)


async def post(client: Any, path: str, p: SignedPost) -> Any:
    return await client.post(path, content=p.body, headers=p.headers)


async def text_in(client: Any, sms: SandboxSms, phone: str, words: str,
                  message_id: str | None = None) -> Any:
    """The customer texts `words` from `phone`; the provider posts it, signed."""
    r = await post(client, INBOUND, sms.inbound(inbound_url(), phone, words,
                                                message_id=message_id))
    assert r.status_code == 200, r.text
    return r


def last_text(sms: SandboxSms, phone: str) -> str:
    return sms.to(phone)[-1].body


def code_of(sms: SandboxSms, phone: str) -> str:
    m = re.search(r"code (\d{6})", last_text(sms, phone))
    assert m is not None
    return m.group(1)


@dataclass
class Enrolled:
    acct: Acct
    phone: str
    enrolment: dict[str, Any]


async def enrol(client: Any, feed: Any, sms: SandboxSms, staff: dict[str, str], *,
                acct: Acct | None = None, phone: str | None = None,
                method: str = "pm_card_visa", confirm: bool = True) -> Enrolled:
    a = acct or await make_account(feed)
    phone = phone or new_phone()
    r = await client.post(ENROL, json={"account_id": a.id, "phone": phone,
                                       "payment_method": method}, headers=staff)
    assert r.status_code == 201, r.text
    e = r.json()
    if confirm:
        r = await client.post(f"{ENROL}/{e['id']}/confirm", json={"code": code_of(sms, phone)},
                              headers=staff)
        assert r.status_code == 200, r.text
        e = r.json()
    return Enrolled(a, phone, e)


async def run_balance(client: Any, headers: dict[str, str], today: str) -> dict[str, Any]:
    r = await client.post(RUN, json={"today": today}, headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def count(bound: dict[str, Any], sql: str, **params: Any) -> int:
    return int((await bound["payments"].execute(text(sql), params)).scalar_one())


async def set_balance(feed: Any, a: Acct, balance: str) -> None:
    """Billing announces a ledger entry (a payment elsewhere) leaving `balance`."""
    await feed.send("billing.LedgerEntryPosted", f"account:{a.id}", {
        "entry": {"id": str(uuid.uuid4()), "account_id": a.id, "kind": "payment",
                  "amount": "-1.00", "posted_at": utc_now().isoformat()},
        "balance": balance})
    await feed.drain()
