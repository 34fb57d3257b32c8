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

#: Orders collections may ask for through `collections.ServiceOrderRequested`.
COLLECTIONS_MAY_REQUEST = frozenset({"door_tag", "disconnect_nonpayment", "reconnect"})
#: The process that completes collections' disconnects (after SB 998's guardrails passed).
COLLECTIONS_SUB = "collections-events"


def guarded_by_collections(kind: str, reference: str | None) -> bool:
    """A disconnect for non-payment that collections asked for is completed through collections
    (`POST /api/collections/field/orders/{id}/complete`), which refuses it on a day SB 998
    forbids; its completion then reaches this order by event. Nobody completes it here."""
    return kind == "disconnect_nonpayment" and bool(reference) and str(reference).startswith(
        "collections:")
