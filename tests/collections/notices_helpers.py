"""Accounts for notices' tests: where the mail goes, which language, who owns the premise."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.checkdigit import with_check_digit
from services.collections.notices import service
from services.collections.notices.domain import NoticeRequest
from tests.collections.helpers import Acct, Feeder

PREMISE = {"line1": "12 Oak St", "city": "Town", "state": "CA", "postal_code": "95000"}
PO_BOX = {"line1": "PO Box 12", "city": "Town", "state": "CA", "postal_code": "95000"}
_n = [70000000]


async def account(f: Feeder, *, name: str = "Rosa Diaz", account_language: str | None = None,
                  customer_language: str = "en", mailing: dict[str, str] | None = None,
                  premise: dict[str, str] | None = None, premise_kind: str = "single_family",
                  units: int = 1, landlord: bool = False) -> Acct:
    """An account served at one premise; `landlord`: the account owns the premise."""
    _n[0] += 1
    acct, cust, prem = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    mail = PO_BOX if mailing is None else mailing
    await f.send("accounts.CustomerChanged", f"customer:{cust}", {"customer": {
        "id": cust, "kind": "person", "name": name, "language": customer_language,
        "mailing_address": mail, "phones": [], "emails": []}})
    await f.send("accounts.AccountChanged", f"account:{acct}", {"account": {
        "id": acct, "number": with_check_digit(str(_n[0])), "customer_id": cust,
        "status": "active", "mailing_address": mail, "language": account_language,
        "paperless": False, "deposit_held": "0.00", "opened_on": "2025-01-02"}})
    await f.send("accounts.PremiseChanged", f"premise:{prem}", {"premise": {
        "id": prem, "address": premise or PREMISE, "apn": "012-345-678", "kind": premise_kind,
        "dwelling_units": units, "cycle": "C1", "route": "R1",
        "owner_account_id": acct if landlord else None}})
    await f.send("accounts.ServiceStarted", f"account:{acct}", {"service_agreement": {
        "id": str(uuid.uuid4()), "account_id": acct, "premise_id": prem, "service": "water",
        "rate_class": "RES", "meter_id": None, "start_date": "2025-01-02", "stop_date": None,
        "status": "active"}})
    await f.drain()
    return Acct(acct, with_check_digit(str(_n[0])), cust, prem)


def shutoff(a: Acct, *, amount: str = "182.40", disconnect_on: date = date(2026, 5, 20),
            reference: str | None = None, kind: str = "shutoff_notice") -> NoticeRequest:
    return NoticeRequest(account_id=uuid.UUID(a.id), kind=kind,
                         reference=reference or f"bill:{a.id}:{kind}",
                         amount=Decimal(amount), action_on=disconnect_on)


async def queue(bound: dict[str, Any], requests: list[NoticeRequest], today: date,
                who: str = "ladder") -> int:
    async with AsyncSession(bind=bound["collections"]) as s:
        return await service.queue(s, requests, today=today, requested_by=who)


async def notices_of(bound: dict[str, Any], a: Acct) -> list[Any]:
    return list((await bound["collections"].execute(text(
        "SELECT * FROM notices WHERE account_id = :a ORDER BY addressee, reference"),
        {"a": a.id})).all())
