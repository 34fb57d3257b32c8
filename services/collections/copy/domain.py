"""Turning accounts and billing events into rows of collections' own copy (pure, no I/O).

Collections decides on this copy (aging now; the ladder and the SB 998 guardrails next), so it
keeps what those decisions need: who the customer is and how to reach them (language, mailing
address, phones), where service is (the premise's kind, units, address, APN and owner), and the
receivable entry by entry as billing's ledger has it (bills with their due dates and budget
deferrals, cancellations, and every announced entry: payments, returns, adjustments, late
charges ...). Billing's ledger is the source of payment facts (docs/events.md, collections).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

#: Tables of the copy, cleared by a rebuild and filled again by replay.
COPY_TABLES: tuple[str, ...] = (
    "accounts", "customers", "premises", "service_agreements", "bills", "ledger_entries",
    "balances", "appeals",
)


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: str
    number: str
    customer_id: str | None
    status: str
    language: str | None
    mailing: str
    paperless: bool
    opened_on: date | None
    closed_on: date | None


@dataclass(frozen=True, slots=True)
class CustomerRow:
    id: str
    kind: str
    name: str
    language: str
    mailing: str
    phones: str
    emails: str


@dataclass(frozen=True, slots=True)
class PremiseRow:
    id: str
    kind: str
    dwelling_units: int
    address: str
    apn: str | None
    owner_account_id: str | None


@dataclass(frozen=True, slots=True)
class AgreementRow:
    id: str
    account_id: str
    premise_id: str
    service: str
    status: str
    start_date: date | None
    stop_date: date | None


@dataclass(frozen=True, slots=True)
class BillRow:
    id: str
    account_id: str
    bill_date: date
    due_date: date
    total: Decimal
    budget_deferral: Decimal | None
    replaces: str | None


@dataclass(frozen=True, slots=True)
class EntryRow:
    id: str
    account_id: str
    kind: str
    amount: Decimal
    posted_on: date
    reference: str | None
    corrects: str | None


@dataclass(frozen=True, slots=True)
class AppealRow:
    id: str
    account_id: str
    bill_id: str | None
    status: str
    opened_on: date | None
    decision: str | None
    credit: Decimal | None


def _date(v: Any) -> date | None:
    return None if v in (None, "") else date.fromisoformat(str(v)[:10])


def _dec(v: Any) -> Decimal | None:
    return None if v in (None, "") else Decimal(str(v))


def _str(v: Any) -> str | None:
    return None if v in (None, "") else str(v)


def _json(v: Any, empty: Any) -> str:
    return json.dumps(v if v is not None else empty, sort_keys=True)


def account_row(a: dict[str, Any]) -> AccountRow:
    """`language` is null when the account does not say (the customer's applies)."""
    return AccountRow(id=str(a["id"]), number=str(a["number"]).replace("-", "").strip(),
                      customer_id=_str(a.get("customer_id")),
                      status=str(a.get("status") or "active"), language=_str(a.get("language")),
                      mailing=_json(a.get("mailing_address"), {}),
                      paperless=a.get("paperless") is True, opened_on=_date(a.get("opened_on")),
                      closed_on=_date(a.get("closed_on")))


def customer_row(c: dict[str, Any]) -> CustomerRow:
    return CustomerRow(id=str(c["id"]), kind=str(c.get("kind") or "person"),
                       name=str(c.get("name") or ""), language=str(c.get("language") or "en"),
                       mailing=_json(c.get("mailing_address"), {}),
                       phones=_json(c.get("phones"), []), emails=_json(c.get("emails"), []))


def premise_row(p: dict[str, Any]) -> PremiseRow:
    return PremiseRow(id=str(p["id"]), kind=str(p.get("kind") or "single_family"),
                      dwelling_units=int(p.get("dwelling_units") or 1),
                      address=_json(p.get("address"), {}), apn=_str(p.get("apn")),
                      owner_account_id=_str(p.get("owner_account_id")))


def agreement_rows(event_type: str, payload: dict[str, Any]) -> list[AgreementRow]:
    """Every service agreement an SA event carries (a transfer carries two lists)."""
    if event_type == "accounts.ServiceTransferred":
        sas = [*payload.get("stopped", []), *payload.get("started", [])]
    else:
        sas = [payload["service_agreement"]]
    return [AgreementRow(id=str(s["id"]), account_id=str(s["account_id"]),
                         premise_id=str(s["premise_id"]), service=str(s.get("service") or ""),
                         status=str(s.get("status") or "active"),
                         start_date=_date(s.get("start_date")),
                         stop_date=_date(s.get("stop_date"))) for s in sas]


def bill_row(b: dict[str, Any], budget_deferral: Any = None) -> BillRow:
    """`budget_deferral` (BillIssued's, null when the account is not on budget billing) is the
    entry billing posts with the bill so that what is due is the budget."""
    return BillRow(id=str(b["id"]), account_id=str(b["account_id"]),
                   bill_date=date.fromisoformat(str(b["bill_date"])[:10]),
                   due_date=date.fromisoformat(str(b["due_date"])[:10]),
                   total=Decimal(str(b["total"])), budget_deferral=_dec(budget_deferral),
                   replaces=_str(b.get("replaces")))


def entry_row(e: dict[str, Any]) -> EntryRow:
    return EntryRow(id=str(e["id"]), account_id=str(e["account_id"]), kind=str(e["kind"]),
                    amount=Decimal(str(e["amount"])),
                    posted_on=date.fromisoformat(str(e["posted_on"])[:10]),
                    reference=_str(e.get("reference")), corrects=_str(e.get("corrects")))


def appeal_row(p: dict[str, Any]) -> AppealRow:
    return AppealRow(id=str(p["appeal_id"]), account_id=str(p["account_id"]),
                     bill_id=_str(p.get("bill_id")), status=str(p.get("status") or "open"),
                     opened_on=_date(p.get("opened_on")), decision=_str(p.get("decision")),
                     credit=_dec(p.get("credit")))


def cancelled_on(payload: dict[str, Any], occurred_at: datetime, zone: str) -> date:
    """The day billing reversed the bill: `cancelled_on` in BillCancelled, else (events
    published before billing carried it) the event's instant as a date in the utility's zone."""
    return _date(payload.get("cancelled_on")) or occurred_at.astimezone(ZoneInfo(zone)).date()


def balance_of(payload: dict[str, Any]) -> Decimal | None:
    """The balance billing announced with the event (None when it carries none)."""
    return _dec(payload.get("balance"))


def _norm(v: Any) -> str:
    return " ".join(str(v or "").lower().replace(".", " ").replace(",", " ").split())


def same_address(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two addresses are one place (line 1 and 2, city, the ZIP's first five digits;
    case, dots, commas and spaces aside). SB 998: a shut-off notice also goes to the premise,
    addressed to "Occupant", when the premise is not the mailing address."""
    return all(_norm(a.get(k)) == _norm(b.get(k)) for k in ("line1", "line2", "city")) and \
        str(a.get("postal_code") or "")[:5] == str(b.get("postal_code") or "")[:5]


def language_of(account_language: str | None, customer_language: str | None) -> str:
    """The language notices are written in: the account's, else its customer's, else English."""
    return account_language or customer_language or "en"
