"""Bank deposit rules (pure, no I/O): which cash goes to the bank and which stays as the float,
what may go into a deposit, and who signs it off.

The drawer's count says how many pieces of each denomination the cashier counted at closing. The
float stays in the drawer for tomorrow's change, so it is kept in the smallest pieces and the
large bills go to the bank: the deposit is the largest-bills-first combination of counted pieces
that adds up exactly to counted cash less the float. A count from which the float cannot be left
exactly (only twenties for a $105 float) is refused, naming the drawer, rather than depositing an
amount that is not counted minus float, until the preparer says which pieces stay.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kernel.errors import Conflict, Forbidden, Unprocessable

CENTS = Decimal("0.01")
ZERO = Decimal("0.00")
#: Bills and coins, largest first, as a count sheet writes them (the counter's denominations).
DENOMINATIONS: tuple[str, ...] = (
    "100", "50", "20", "10", "5", "2", "1", "0.50", "0.25", "0.10", "0.05", "0.01")
#: Tenders that go into the bag; cards and bank payments settle through the processor.
DEPOSITED_TENDERS = ("check", "money_order")
#: Drawers whose count is final: closed (waiting for sign-off) or signed off.
DEPOSITABLE_DRAWER = ("closed", "signed_off")


@dataclass(frozen=True, slots=True)
class CashSplit:
    """Pieces per denomination deposited and kept; both add up to the count."""

    deposit: dict[str, int]
    kept: dict[str, int]
    deposit_total: Decimal
    kept_total: Decimal


@dataclass(frozen=True, slots=True)
class Item:
    """A check or money order on the slip."""

    payment_id: str
    tender: str
    number: str
    bank: str | None
    amount: Decimal
    account_number: str
    receipt_number: int


@dataclass(frozen=True, slots=True)
class Totals:
    cash_total: Decimal
    checks_count: int
    checks_total: Decimal
    total: Decimal


def _cents(denom: str) -> int:
    return int(Decimal(denom) * 100)


def pieces_total(counts: Mapping[str, int]) -> Decimal:
    return (sum((Decimal(d) * n for d, n in counts.items()), ZERO)).quantize(CENTS)


def split_float(counts: Mapping[str, int], float_amount: Decimal,
                drawer: str = "drawer") -> CashSplit:
    """Counted cash less the float, by denomination: the largest bills go to the bank, the
    smallest pieces stay. A drawer counted at or below its float deposits no cash (the float
    stays short; the shortage is the drawer's over/short)."""
    unknown = [d for d in counts if d not in DENOMINATIONS]
    if unknown:
        raise Unprocessable(f"The count of {drawer} has an unknown denomination {unknown[0]!r}")
    counted = pieces_total(counts)
    target = int((counted - float_amount) * 100)
    if target <= 0:
        return CashSplit({}, {d: n for d, n in counts.items() if n}, ZERO, counted)
    denoms = [(d, _cents(d), int(counts.get(d, 0))) for d in DENOMINATIONS]
    taken = _largest_first(denoms, target)
    if taken is None:
        raise Unprocessable(
            f"The count of {drawer} cannot leave its float of {float_amount:.2f} exactly "
            f"(counted {counted:.2f}); say which pieces stay in it (`kept`)", field="kept")
    deposit = {d: n for d, n in taken.items() if n}
    kept = {d: int(counts.get(d, 0)) - deposit.get(d, 0) for d in DENOMINATIONS}
    dep_total = pieces_total(deposit)
    return CashSplit(deposit, {d: n for d, n in kept.items() if n}, dep_total,
                     counted - dep_total)


def split_given(counts: Mapping[str, int], kept: Mapping[str, int],
                drawer: str = "drawer") -> CashSplit:
    """The preparer says which pieces stay (a count that cannot leave the float exactly, or a
    float made up differently): every other counted piece goes to the bank."""
    for d, n in kept.items():
        if d not in DENOMINATIONS:
            raise Unprocessable(f"Unknown denomination {d!r} kept in {drawer}", field="kept")
        if not 0 <= n <= int(counts.get(d, 0)):
            raise Unprocessable(f"{drawer} was counted with {int(counts.get(d, 0))} of {d}: "
                                f"it cannot keep {n}", field="kept")
    deposit = {d: int(counts.get(d, 0)) - int(kept.get(d, 0)) for d in DENOMINATIONS}
    deposit = {d: n for d, n in deposit.items() if n}
    dep_total = pieces_total(deposit)
    return CashSplit(deposit, {d: n for d, n in kept.items() if n}, dep_total,
                     pieces_total(counts) - dep_total)


def _largest_first(denoms: Sequence[tuple[str, int, int]], target: int) -> dict[str, int] | None:
    """Pieces adding up to `target` cents, as many large ones as possible; None if none do.
    Depth-first from the largest denomination, remembering (position, remainder) pairs that
    failed, so the search is bounded by denominations x remainders."""
    capacity = [0] * (len(denoms) + 1)
    for i in range(len(denoms) - 1, -1, -1):
        capacity[i] = capacity[i + 1] + denoms[i][1] * denoms[i][2]
    failed: set[tuple[int, int]] = set()
    chosen: dict[str, int] = {}

    def go(i: int, rest: int) -> bool:
        if rest == 0:
            return True
        if i == len(denoms) or capacity[i] < rest or (i, rest) in failed:
            return False
        name, cents, have = denoms[i]
        for k in range(min(have, rest // cents), -1, -1):
            chosen[name] = k
            if go(i + 1, rest - k * cents):
                return True
        chosen[name] = 0
        failed.add((i, rest))
        return False

    return dict(chosen) if go(0, target) else None


def totals(cash: Iterable[Decimal], items: Sequence[Item]) -> Totals:
    cash_total = sum(cash, ZERO).quantize(CENTS)
    checks_total = sum((i.amount for i in items), ZERO).quantize(CENTS)
    return Totals(cash_total, len(items), checks_total, cash_total + checks_total)


def check_drawer(drawer: str, status: str) -> None:
    """Only a counted drawer goes to the bank: an open one is still taking money."""
    if status not in DEPOSITABLE_DRAWER:
        raise Conflict(f"Drawer {drawer} is {status}: close it (count the cash) before it is "
                       "deposited", field="drawer_ids")


def check_batch(batch: str, status: str) -> None:
    """Only a posted batch (it balanced against its tape) goes to the bank."""
    if status != "posted":
        raise Conflict(f"Batch {batch} is not posted: it goes to the bank once it balances "
                       "and posts", field="batch_ids")


def check_not_empty(total: Totals) -> None:
    if total.total <= 0:
        raise Unprocessable("Nothing to deposit: no cash above the floats and no checks",
                            field="drawer_ids")


def check_sign_off(supervisor: str, preparer: str, cashiers: Iterable[str]) -> None:
    """Nobody signs off a deposit they prepared, or one holding cash they took."""
    if supervisor == preparer:
        raise Forbidden("Nobody signs off a deposit they prepared")
    if supervisor in set(cashiers):
        raise Forbidden("Nobody signs off a deposit holding a drawer they worked")


def check_drawers_signed_off(unsigned: Sequence[str]) -> None:
    """A deposit is signed off after its drawers: their over/short explained first."""
    if unsigned:
        raise Conflict("Sign off the deposit's drawers first: " + ", ".join(unsigned),
                       field="drawer_ids")
