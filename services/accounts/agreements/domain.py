"""Service agreement rules (no I/O): default services per premise kind, date checks."""

from __future__ import annotations

from datetime import date

SERVICES: tuple[str, ...] = ("water", "wastewater", "irrigation", "fire_line", "recycled")

#: What a move-in starts when the CSR does not say: service and rate class per premise kind.
DEFAULT_SERVICES: dict[str, tuple[tuple[str, str], ...]] = {
    "single_family": (("water", "RES-SF"), ("wastewater", "RES")),
    "multi_family": (("water", "RES-MF"), ("wastewater", "RES-MF")),
    "commercial": (("water", "COM"), ("wastewater", "COM")),
    "irrigation": (("irrigation", "IRR"),),
    "fire": (("fire_line", "FIRE"),),
}

#: Services billed on a meter (a fire line may be unmetered and still billed by size).
METERED = frozenset({"water", "irrigation", "recycled", "wastewater"})


def default_services(premise_kind: str) -> list[tuple[str, str]]:
    return list(DEFAULT_SERVICES[premise_kind])


def stop_date_problem(start: date, stop: date) -> str | None:
    if stop < start:
        return f"stop date {stop.isoformat()} is before the start date {start.isoformat()}"
    return None


def is_residential(premise_kind: str) -> bool:
    return premise_kind in ("single_family", "multi_family")
