"""Bill presentation rules (pure): check digit, stub line, plain-words explanation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kernel.checkdigit import printed


def months_before(today: date, months: int) -> date:
    """The first day of the month `months` months before today's month."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def stub_number(number: str) -> str:
    """The account number as printed on the stub, check digit set apart: '10002745-7'."""
    return printed(number)


@dataclass(frozen=True)
class Line:
    service: str
    kind: str
    description: str
    seg_start: date
    seg_end: date
    quantity: Decimal
    unit_price: Decimal
    tier: int | None
    version_name: str
    amount: Decimal


def explain_line(line: Line, period_days: int, unit: str = "HCF") -> str:
    days = (line.seg_end - line.seg_start).days + 1
    span = f"{line.seg_start:%b %d} to {line.seg_end:%b %d}"
    rate = f"(rates '{line.version_name}')"
    if line.kind in ("fixed", "fee"):
        return (f"{line.description}: {days} of {period_days} days ({span}) of "
                f"${line.unit_price:.2f} per period = ${line.amount:.2f} {rate}.")
    if line.kind == "volume":
        return (f"{line.description}: {line.quantity.normalize():f} {unit} used {span} at "
                f"${line.unit_price} per {unit} = ${line.amount:.2f} {rate}.")
    if line.kind == "surcharge":
        return (f"{line.description}: {line.quantity.normalize():f} {unit} at "
                f"${line.unit_price} per {unit} = ${line.amount:.2f} {rate}.")
    if line.kind == "minimum":
        return (f"Minimum charge: the {line.service} charges for {span} were below the minimum, "
                f"so ${line.amount:.2f} is added {rate}.")
    return f"{line.description}: ${line.amount:.2f}."


def explain(lines: list[Line], period_start: date, period_end: date, total: Decimal,
            usage: Decimal | None) -> list[str]:
    period_days = (period_end - period_start).days + 1
    out = [f"This bill covers {period_start:%B %d, %Y} to {period_end:%B %d, %Y} "
           f"({period_days} days)."]
    if usage is not None:
        out.append(f"Metered water use in the period: {usage.normalize():f} units.")
    versions = sorted({ln.version_name for ln in lines})
    if len(versions) > 1:
        out.append("Rates changed during the period, so charges are split by days between "
                   + " and ".join(f"'{v}'" for v in versions) + ".")
    out += [explain_line(ln, period_days) for ln in lines]
    out.append(f"Total: ${total:.2f} (each line is rounded to the cent; the total is their sum).")
    return out
