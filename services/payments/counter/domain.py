"""Cash drawer rules (pure, no I/O): what a count by denomination adds up to, what the drawer
should hold, and who may sign it off."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from kernel.errors import Forbidden, Unprocessable

#: US currency a drawer holds, as written on a count sheet.
DENOMINATIONS: tuple[str, ...] = (
    "100", "50", "20", "10", "5", "2", "1", "0.50", "0.25", "0.10", "0.05", "0.01")


def count_total(counts: Mapping[str, int]) -> Decimal:
    """The cash counted: each denomination times its pieces. Unknown denominations and
    negative counts are refused, naming the denomination."""
    total = Decimal("0.00")
    for denom, pieces in counts.items():
        if denom not in DENOMINATIONS:
            raise Unprocessable(f"Unknown denomination {denom!r}; one of "
                                f"{', '.join(DENOMINATIONS)}", field=f"counts.{denom}")
        if pieces < 0:
            raise Unprocessable("A count is zero or more", field=f"counts.{denom}")
        total += Decimal(denom) * pieces
    return total.quantize(Decimal("0.01"))


def expected_cash(float_amount: Decimal, cash_taken: Iterable[Decimal]) -> Decimal:
    return (float_amount + sum(cash_taken, Decimal("0.00"))).quantize(Decimal("0.01"))


def over_short(counted: Decimal, expected: Decimal) -> Decimal:
    """Positive: over (more cash than expected); negative: short."""
    return counted - expected


def check_sign_off(supervisor: str, cashier: str, closed_by: str | None) -> None:
    """Nobody signs off a drawer they worked or closed."""
    if supervisor in (cashier, closed_by):
        raise Forbidden("Nobody signs off their own drawer")


def check_explained(over_short: Decimal | None, note: str | None) -> None:
    """A drawer that is over or short is signed off only with the supervisor's reason."""
    if over_short and not (note and note.strip()):
        raise Unprocessable("The drawer is over or short: say why in a note", field="note")
