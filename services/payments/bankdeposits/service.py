"""Use cases of bank deposits: prepared from counted drawers and posted batches, signed off by
a supervisor who did not prepare it, confirmed with the bank's reference, printed as a slip.

Which drawers: a drawer is deposited once it is **closed** (counted), signed off or not. The
cash in the drawer is fixed by the count, and the district takes the day's bag to the bank
the same afternoon, while the supervisor who signs drawers off may be out; what the supervisor
attests is checked where it matters: the deposit is signed off only after every drawer in it is
signed off (over/short explained), by someone who neither prepared it nor worked its drawers.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.bankaccount import mask
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.settings import get_settings
from services.payments.bankdeposits import domain, slip
from services.payments.bankdeposits import repository as repo
from services.payments.bankdeposits.domain import Item
from services.payments.bankdeposits.repository import Deposit, NewDeposit, Source, StoredItem
from services.payments.bankdeposits.schemas import (
    CashLineOut,
    DepositIn,
    DepositOut,
    ItemOut,
    ReadyOut,
    SourceOut,
)
from services.payments.batches import service as batches
from services.payments.counter import service as counter
from services.payments.posting import service as posting


def _item(p_id: uuid.UUID, tender: str, check_number: str | None, bank: str | None,
          money_order_number: str | None, amount: object, account_number: str,
          receipt_number: int) -> Item:
    return Item(str(p_id), tender, (check_number if tender == "check" else money_order_number)
                or "", bank, Decimal(str(amount)), account_number, receipt_number)


async def _drawer_part(s: AsyncSession, drawer_id: uuid.UUID,
                       kept: dict[str, int] | None) -> tuple[Source, list[Item]]:
    d = await counter.drawer(s, drawer_id)
    domain.check_drawer(str(drawer_id), d.status)
    split = (domain.split_float(d.counted or {}, d.float_amount, f"drawer {drawer_id}")
             if kept is None else domain.split_given(d.counted or {}, kept, f"drawer {drawer_id}"))
    items = [_item(p.id, p.tender, p.check_number, p.bank, p.money_order_number, p.amount,
                   p.account_number, p.receipt_number)
             for p in await posting.of_drawer(s, drawer_id)
             if p.tender in domain.DEPOSITED_TENDERS and p.status == "posted"]
    t = domain.totals([], items)
    return Source("drawer", drawer_id, d.cashier, d.opened_on, split.deposit_total,
                  split.deposit, split.kept_total, split.kept, t.checks_count,
                  t.checks_total), items


async def _batch_part(s: AsyncSession, batch_id: uuid.UUID) -> tuple[Source, list[Item]]:
    b = await batches.batch(s, batch_id)
    domain.check_batch(str(batch_id), b.status)
    items = [_item(p.id, p.tender, p.check_number, p.bank, p.money_order_number, p.amount,
                   p.account_number, p.receipt_number) for p in b.payments
             if p.tender in domain.DEPOSITED_TENDERS]
    t = domain.totals([], items)
    return Source("batch", batch_id, b.keyed_by, b.received_on, domain.ZERO, {}, domain.ZERO,
                  {}, t.checks_count, t.checks_total), items


def _sum_counts(parts: list[Source]) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in parts:
        for d, n in p.cash_counts.items():
            out[d] = out.get(d, 0) + n
    return {d: out[d] for d in domain.DENOMINATIONS if out.get(d)}


async def prepare(s: AsyncSession, who: Principal, body: DepositIn, key: str | None,
                  today: date) -> DepositOut:
    """One deposit from the given drawers and batches. Each is in at most one deposit: one
    already deposited, or claimed by a concurrent preparation that commits first, is 409."""
    key = posting.require_key(key)
    drawer_ids, batch_ids = sorted(set(body.drawer_ids)), sorted(set(body.batch_ids))
    if not drawer_ids and not batch_ids:
        raise Unprocessable("Name the drawers and batches to deposit", field="drawer_ids")
    same = await repo.by_key(s, who.sub, key)
    if same is not None:
        got = {(x.source, x.source_id) for x in await repo.sources_of(s, same.id)}
        if got != {*(("drawer", i) for i in drawer_ids), *(("batch", i) for i in batch_ids)}:
            raise Unprocessable("This Idempotency-Key was used for another deposit",
                                field="Idempotency-Key")
        return await _out(s, same)
    taken = {**await repo.deposit_numbers(s, "drawer", drawer_ids),
             **await repo.deposit_numbers(s, "batch", batch_ids)}
    if taken:
        raise Conflict("Already deposited: " + ", ".join(
            f"{i} (deposit {n})" for i, n in taken.items()), field="drawer_ids")
    stray = set(body.kept) - set(drawer_ids)
    if stray:
        raise Unprocessable(f"`kept` names a drawer not in the deposit: {sorted(stray)[0]}",
                            field="kept")
    parts = [await _drawer_part(s, i, body.kept.get(i)) for i in drawer_ids]
    parts += [await _batch_part(s, i) for i in batch_ids]
    sources = [p for p, _ in parts]
    items = [i for _, its in parts for i in its]
    total = domain.totals([x.cash for x in sources], items)
    domain.check_not_empty(total)
    dep = await repo.insert(s, NewDeposit(
        prepared_on=today, prepared_by=who.sub, idempotency_key=key,
        cash_counts=_sum_counts(sources), cash_total=total.cash_total,
        checks_count=total.checks_count, checks_total=total.checks_total, total=total.total,
        note=body.note))
    if await repo.claim_sources(s, dep.id, sources) != len(sources):
        raise Conflict("A drawer or batch of this deposit was deposited meanwhile; list what "
                       "is ready again", field="drawer_ids")
    stored: list[StoredItem] = []
    for (src, its) in parts:
        stored += [StoredItem(len(stored) + n + 1, src.source, src.source_id, it)
                   for n, it in enumerate(its)]
    if await repo.insert_items(s, dep.id, stored) != len(stored):
        raise Conflict("A check of this deposit is already in another deposit")
    await audit.record(s, who, "prepare-deposit", "bank_deposit", str(dep.id), after={
        "number": dep.number, "drawers": drawer_ids, "batches": batch_ids,
        "kept": {str(k): v for k, v in body.kept.items()},
        "cash_total": total.cash_total, "checks_total": total.checks_total,
        "total": total.total})
    return await _out(s, dep)


async def _deposit(s: AsyncSession, deposit_id: uuid.UUID, lock: bool = False) -> Deposit:
    d = await repo.get(s, deposit_id, lock)
    if d is None:
        raise NotFound("No such deposit", field="deposit_id")
    return d


async def deposit(s: AsyncSession, deposit_id: uuid.UUID) -> DepositOut:
    return await _out(s, await _deposit(s, deposit_id))


async def deposits(s: AsyncSession, status: str | None, on: date | None,
                   limit: int) -> list[DepositOut]:
    return [await _out(s, d) for d in await repo.listed(s, status, on, limit)]


async def ready(s: AsyncSession, limit: int) -> list[ReadyOut]:
    return [ReadyOut(source=r.source, id=r.source_id, status=r.status, worked_by=r.worked_by,
                     taken_on=r.taken_on, amount=r.amount) for r in await repo.ready(s, limit)]


async def sign_off(s: AsyncSession, who: Principal, deposit_id: uuid.UUID,
                   note: str | None) -> DepositOut:
    d = await _deposit(s, deposit_id, lock=True)
    sources = await repo.sources_of(s, d.id)
    domain.check_sign_off(who.sub, d.prepared_by,
                          [x.worked_by for x in sources if x.source == "drawer"])
    if d.status != "prepared":
        raise Conflict("The deposit is already signed off", field="deposit_id")
    unsigned = [str(x.source_id) for x in sources if x.source == "drawer"
                and (await counter.drawer(s, x.source_id)).status != "signed_off"]
    domain.check_drawers_signed_off(unsigned)
    done = await repo.sign_off(s, d.id, who.sub, note)
    await audit.record(s, who, "sign-off-deposit", "bank_deposit", str(d.id), reason=note,
                       approver=who.sub, after={"number": d.number, "total": d.total,
                                                "prepared_by": d.prepared_by})
    return await _out(s, done)


async def confirm(s: AsyncSession, who: Principal, deposit_id: uuid.UUID, reference: str,
                  deposited_on: date) -> DepositOut:
    """The bank's reference and the date it credited the deposit, recorded once."""
    d = await _deposit(s, deposit_id, lock=True)
    if d.status == "deposited":
        if (d.bank_reference, d.deposited_on) == (reference.strip(), deposited_on):
            return await _out(s, d)
        raise Conflict("The bank's confirmation is already recorded", field="bank_reference")
    if d.status != "signed_off":
        raise Conflict("A deposit goes to the bank once a supervisor has signed it off",
                       field="deposit_id")
    if deposited_on < d.prepared_on:
        raise Unprocessable("The bank cannot credit a deposit before it was prepared",
                            field="deposited_on")
    done = await repo.confirm(s, d.id, who.sub, reference.strip(), deposited_on)
    await audit.record(s, who, "confirm-deposit", "bank_deposit", str(d.id),
                       after={"bank_reference": reference.strip(),
                              "deposited_on": deposited_on})
    return await _out(s, done)


async def slip_pdf(s: AsyncSession, deposit_id: uuid.UUID) -> tuple[int, bytes]:
    out = await deposit(s, deposit_id)
    settings = get_settings()
    account = settings.deposit_account_number
    return out.number, slip.render(
        settings.utility_name, settings.deposit_bank_name,
        mask(account.get_secret_value()) if account else "(not configured)", out)


async def of_day(s: AsyncSession, day: date) -> list[DepositOut]:
    """The deposits prepared on a day (the end-of-day report lists them)."""
    return await deposits(s, None, day, 500)


async def numbers_of(s: AsyncSession, source: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Deposit number of each of these drawers or batches that is deposited."""
    return await repo.deposit_numbers(s, source, ids)


def _source_out(x: Source) -> SourceOut:
    return SourceOut(source=x.source, id=x.source_id, worked_by=x.worked_by,
                     taken_on=x.taken_on, cash=x.cash, cash_counts=x.cash_counts,
                     float_kept=x.float_kept, kept_counts=x.kept_counts,
                     checks_count=x.checks_count, checks_total=x.checks_total)


async def _out(s: AsyncSession, d: Deposit) -> DepositOut:
    sources = await repo.sources_of(s, d.id)
    items = await repo.items_of(s, d.id)
    cash = [CashLineOut(denomination=k, pieces=d.cash_counts[k],
                        amount=(Decimal(k) * d.cash_counts[k]).quantize(domain.CENTS))
            for k in domain.DENOMINATIONS if d.cash_counts.get(k)]
    return DepositOut(
        id=d.id, number=d.number, status=d.status, prepared_on=d.prepared_on,
        prepared_by=d.prepared_by, prepared_at=d.prepared_at, cash=cash,
        cash_total=d.cash_total,
        checks=[ItemOut(line=i.line, tender=i.item.tender, number=i.item.number,
                        bank=i.item.bank, amount=i.item.amount,
                        account_number=i.item.account_number,
                        receipt_number=i.item.receipt_number,
                        payment_id=uuid.UUID(i.item.payment_id), source=i.source,
                        source_id=i.source_id) for i in items],
        checks_count=d.checks_count, checks_total=d.checks_total, total=d.total,
        drawers=[_source_out(x) for x in sources if x.source == "drawer"],
        batches=[_source_out(x) for x in sources if x.source == "batch"],
        note=d.note, signed_off_by=d.signed_off_by, signed_off_at=d.signed_off_at,
        sign_off_note=d.sign_off_note, bank_reference=d.bank_reference,
        deposited_on=d.deposited_on, confirmed_by=d.confirmed_by,
        confirmed_at=d.confirmed_at)
