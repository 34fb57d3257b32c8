"""Service order rules (no I/O): kinds, which need a read, which moves each status allows."""

from __future__ import annotations

KINDS: tuple[str, ...] = (
    "turn_on", "turn_off", "re_read", "leak_check", "high_bill_investigation", "meter_exchange",
    "door_tag", "disconnect_nonpayment", "reconnect", "backflow_test",
)
#: Orders whose completion must carry a register read when a meter is on the order.
NEEDS_READ = frozenset({"turn_on", "turn_off", "re_read", "meter_exchange"})
#: Orders billing may ask for through `billing.ServiceOrderRequested`.
BILLING_MAY_REQUEST = frozenset({"re_read", "leak_check", "high_bill_investigation"})

OPEN = frozenset({"open", "dispatched"})


def may_dispatch(status: str) -> bool:
    return status in OPEN


def may_complete(status: str) -> bool:
    return status in OPEN


def may_cancel(status: str) -> bool:
    return status in OPEN


def needs_read(kind: str, has_meter: bool, final: bool) -> bool:
    return has_meter and (kind in NEEDS_READ or final)
