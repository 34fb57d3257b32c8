"""High-bill appeal policy (pure): leak credit on use above normal, once in a window.

Default policy (configurable under `appeals.policy`): credit `share` (0.5) of the quantity
charge on the use above the customer's normal use — the average water use of their final bills
in the 12 months before the appealed one — priced from the highest tier down (the use above
normal is the use that reached the upper tiers); at most once per `window_days` (365); only with
proof of repair when `requires_repair`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Policy:
    share: Decimal = Decimal("0.5")
    window_days: int = 365
    requires_repair: bool = True


@dataclass(frozen=True)
class VolumeLine:
    tier: int
    quantity: Decimal
    price: Decimal


def leak_credit(lines: list[VolumeLine], normal: Decimal, share: Decimal) -> Decimal:
    """`share` of the charge for the use above `normal`, taken from the highest tier down."""
    excess = sum((ln.quantity for ln in lines), Decimal(0)) - normal
    charge = Decimal(0)
    for ln in sorted(lines, key=lambda x: (x.tier, x.price), reverse=True):
        if excess <= 0:
            break
        take = min(excess, ln.quantity)
        charge += take * ln.price
        excess -= take
    return (charge * share).quantize(Decimal("0.01"), ROUND_HALF_UP)


def refusal(policy: Policy, repaired: bool, last_credit_on: date | None, today: date,
            has_history: bool) -> str | None:
    """Why the policy gives no credit (None: it does)."""
    if policy.requires_repair and not repaired:
        return "no proof of repair"
    if last_credit_on is not None and last_credit_on > today - timedelta(days=policy.window_days):
        return f"a leak credit was already given on {last_credit_on}"
    if not has_history:
        return "no usage history to tell normal use"
    return None


def letter(name: str, decision: str, credit: Decimal, reason: str | None) -> str:
    if credit > 0:
        body = (f"After reviewing your bill we have applied a leak credit of ${credit:.2f} "
                "to your account.")
    else:
        body = f"After reviewing your bill we cannot give a credit: {reason or decision}."
    return f"Dear {name or 'Customer'},\n\n{body}\n\nThank you for your patience."
