"""Turning accounts events into rows of billing's own copy (pure, no I/O)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any


class CopyBehind(RuntimeError):
    """An event that must wait for billing's copy of accounts to catch up: raised by its
    handler, the inbox retries it with backoff and, after the configured attempts, parks it
    with this message (its key waits; `tapline events replay billing` once the cause is fixed)."""


COPY_TABLES: tuple[str, ...] = (
    "accounts", "customers", "premises", "meters", "service_agreements",
)


def _date(v: Any) -> date | None:
    if v in (None, ""):
        return None
    return date.fromisoformat(str(v)[:10])


def _dec(v: Any) -> Decimal | None:
    return None if v in (None, "") else Decimal(str(v))


def account_row(a: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": a["id"], "number": str(a["number"]), "customer_id": a.get("customer_id"),
        "status": a.get("status", "active"), "mailing": a.get("mailing_address") or {},
        "language": a.get("language") or "en", "paperless": bool(a.get("paperless")),
    }


def customer_row(c: dict[str, Any]) -> dict[str, Any]:
    return {"id": c["id"], "name": c.get("name") or "", "emails": c.get("emails") or [],
            "paperless": bool(c.get("paperless"))}


def premise_row(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": p["id"], "kind": p.get("kind") or "single_family",
        "dwelling_units": int(p.get("dwelling_units") or 1), "cycle": str(p.get("cycle") or ""),
        "route": str(p.get("route") or ""), "address": p.get("address") or {},
    }


def meter_row(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": m["id"], "serial": str(m["serial"]), "size": str(m.get("size") or "5/8"),
        "dials": int(m.get("dials") or 4), "multiplier": _dec(m.get("multiplier")) or Decimal(1),
        "unit": m.get("unit") or "HCF", "endpoint_id": m.get("endpoint_id"),
        "status": m.get("status") or "installed", "premise_id": m.get("premise_id"),
        "installed_at": _date(m.get("installed_at")), "install_read": _dec(m.get("install_read")),
    }


def sa_row(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": s["id"], "account_id": s["account_id"], "premise_id": s["premise_id"],
        "service": s["service"], "rate_class": s.get("rate_class") or "",
        "meter_id": s.get("meter_id"), "start_date": _date(s["start_date"]),
        "stop_date": _date(s.get("stop_date")), "status": s.get("status") or "active",
    }


def sas_of(event_type: str, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Every service agreement an SA event carries (a transfer carries two lists)."""
    if event_type == "accounts.ServiceTransferred":
        return [*payload.get("stopped", []), *payload.get("started", [])]
    return [payload["service_agreement"]]


METER_FACTS = ("status", "installed_at", "dials", "multiplier")
SA_FACTS = ("account_id", "premise_id", "meter_id", "start_date", "stop_date", "status")


def changed_facts(old: Any, new: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    """Which facts billing judges on differ between the copy's row and the event's
    (every one when the copy had no row)."""
    if old is None:
        return list(names)
    return [n for n in names if not _same(getattr(old, n), new[n])]


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return Decimal(str(a)) == Decimal(str(b))
    return str(a) == str(b)
