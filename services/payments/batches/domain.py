"""Mail check batch rules (pure, no I/O): a batch posts only when what was keyed adds up to the
control total and count taken from the adding-machine tape."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from kernel.errors import Unprocessable

MAIL_TENDERS = ("check", "money_order")


def check_balanced(control_total: Decimal, control_count: int,
                   keyed: Sequence[Decimal]) -> None:
    total = sum(keyed, Decimal("0.00"))
    problems = []
    if len(keyed) != control_count:
        problems.append(f"{len(keyed)} payments keyed, control count {control_count}")
    if total != control_total:
        problems.append(f"keyed total {total:.2f}, control total {control_total:.2f}")
    if problems:
        raise Unprocessable("The batch does not balance: " + "; ".join(problems),
                            field="control_total" if total != control_total
                            else "control_count",
                            keyed_count=len(keyed), keyed_total=f"{total:.2f}",
                            control_count=control_count, control_total=f"{control_total:.2f}")
