"""Rebate rules without a database: amounts, limits and caps, configuration, eligibility."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.accounts.rebates import domain

P = domain.load_programmes("")


def test_a_programme_pays_per_unit_up_to_its_unit_limit_and_its_cap():
    assert domain.amount(P["toilet"], Decimal("1")) == Decimal("100.00")
    assert domain.amount(P["toilet"], Decimal("5")) == Decimal("200.00")
    assert domain.amount(P["turf"], Decimal("333.335")) == Decimal("666.67")  # half-up
    assert domain.amount(P["turf"], Decimal("5000")) == Decimal("2000.00")


def test_configuration_changes_adds_and_withdraws_programmes():
    got = domain.load_programmes(
        '{"turf": {"per_unit": "3.00", "cap": "3000"}, "washer": null, '
        '"rain_barrel": {"name": "Rain barrel", "unit": "barrel", "per_unit": "35", '
        '"max_units": "4", "premise_kinds": ["single_family"]}}')
    assert "washer" not in got
    assert (got["turf"].per_unit, got["turf"].cap) == (Decimal("3.00"), Decimal("3000"))
    assert domain.amount(got["rain_barrel"], Decimal("6")) == Decimal("140.00")
    assert got["rain_barrel"].premise_kinds == ("single_family",)


def _why(**kw: object) -> list[str]:
    args: dict[str, object] = {
        "account_status": "active", "premise_kind": "single_family", "serves_premise": True,
        "earlier": None, "installed_on": date(2026, 2, 1), "received_on": date(2026, 3, 1)}
    args.update(kw)
    return domain.refusals(P["washer"], **args)  # type: ignore[arg-type]


def test_eligibility_names_every_reason():
    assert _why() == []
    assert _why(account_status="closed") == ["the account is closed, not active"]
    assert "not commercial" in _why(premise_kind="commercial")[0]
    assert "one per premise" in _why(earlier="approved")[0]
    assert "no active service" in _why(serves_premise=False)[0]
    assert "after the date" in _why(installed_on=date(2026, 4, 1))[0]
    assert len(_why(account_status="closed", serves_premise=False)) == 2
