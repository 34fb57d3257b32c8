"""Meter rules (no I/O): sizes, register reads, which moves are allowed from which status."""

from __future__ import annotations

from decimal import Decimal

SIZES: tuple[str, ...] = ("5/8", "3/4", "1", "1-1/2", "2", "3", "4", "6", "8", "10")


def size_ok(size: str) -> bool:
    return size in SIZES


def read_fits_dials(value: Decimal, dials: int) -> bool:
    """A register value is never negative and never has more whole digits than dials."""
    return Decimal(0) <= value < Decimal(10) ** dials


def may_install(status: str) -> bool:
    return status == "in_stock"


def may_remove(status: str) -> bool:
    return status == "installed"
