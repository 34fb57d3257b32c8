"""Rebate rules (no I/O): the programmes with their amounts and limits (configurable), what an
application is worth, and whether it is eligible.

A programme pays `per_unit` for each unit installed (a toilet, a washer, a square foot of turf
replaced), for at most `max_units` units, and never more than `cap` per application. Override
or add programmes with TAPLINE_ACCOUNTS_REBATE_PROGRAMMES, a JSON object keyed by programme
(`null` withdraws one), e.g. '{"turf": {"per_unit": "3.00", "cap": "3000"}}'."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

PROGRAMMES_ENV = "TAPLINE_ACCOUNTS_REBATE_PROGRAMMES"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Programme:
    key: str
    name: str
    name_es: str
    unit: str
    per_unit: Decimal
    max_units: Decimal | None
    cap: Decimal | None
    premise_kinds: tuple[str, ...]

    def title(self, language: str) -> str:
        return self.name_es if language.split("-")[0] == "es" else self.name


RESIDENTIAL = ("single_family", "multi_family")

DEFAULTS: dict[str, Programme] = {
    "toilet": Programme("toilet", "High-efficiency toilet", "Inodoro de alta eficiencia",
                        "toilet", Decimal("100.00"), Decimal("2"), None,
                        (*RESIDENTIAL, "commercial")),
    "washer": Programme("washer", "High-efficiency clothes washer",
                        "Lavadora de alta eficiencia", "washer", Decimal("150.00"),
                        Decimal("1"), None, RESIDENTIAL),
    "turf": Programme("turf", "Turf replacement", "Reemplazo de c\u00e9sped", "sq ft",
                      Decimal("2.00"), None, Decimal("2000.00"),
                      (*RESIDENTIAL, "commercial", "irrigation")),
}


def _dec(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def load_programmes(raw: str | None = None) -> dict[str, Programme]:
    """The defaults, with the configured changes applied."""
    raw = raw if raw is not None else os.environ.get(PROGRAMMES_ENV)
    out = dict(DEFAULTS)
    if not raw:
        return out
    for key, doc in json.loads(raw).items():
        if doc is None:
            out.pop(key, None)
            continue
        base = out.get(key) or Programme(key, key.replace("_", " ").capitalize(),
                                         key.replace("_", " ").capitalize(), "unit",
                                         Decimal("0"), None, None, RESIDENTIAL)
        out[key] = replace(
            base,
            name=str(doc.get("name", base.name)),
            name_es=str(doc.get("name_es", doc.get("name", base.name_es))),
            unit=str(doc.get("unit", base.unit)),
            per_unit=Decimal(str(doc.get("per_unit", base.per_unit))),
            max_units=_dec(doc["max_units"]) if "max_units" in doc else base.max_units,
            cap=_dec(doc["cap"]) if "cap" in doc else base.cap,
            premise_kinds=tuple(doc.get("premise_kinds", base.premise_kinds)),
        )
    return out


def amount(programme: Programme, units: Decimal) -> Decimal:
    """What `units` installed are worth: at most `max_units` of them, at most `cap` in all,
    rounded half-up to the cent."""
    paid = units if programme.max_units is None else min(units, programme.max_units)
    value = (paid * programme.per_unit).quantize(CENT, ROUND_HALF_UP)
    return value if programme.cap is None else min(value, programme.cap)


def refusals(programme: Programme, *, account_status: str, premise_kind: str,
             serves_premise: bool, earlier: str | None, installed_on: date | None,
             received_on: date) -> list[str]:
    """Why an application is not eligible (empty: it is). `earlier` is the status of a live
    (pending or approved) application for the same premise and programme, if there is one."""
    why: list[str] = []
    if account_status != "active":
        why.append(f"the account is {account_status}, not active")
    if not serves_premise:
        why.append("the account has no active service at this premise")
    if premise_kind not in programme.premise_kinds:
        kinds = ", ".join(k.replace("_", " ") for k in programme.premise_kinds)
        why.append(f"{programme.name} is for {kinds} premises, not "
                   f"{premise_kind.replace('_', ' ')}")
    if earlier is not None:
        why.append(f"this premise already has a {earlier} {programme.name} rebate "
                   "(one per premise per programme)")
    if installed_on is not None and installed_on > received_on:
        why.append("the installation date is after the date the form was received")
    return why
