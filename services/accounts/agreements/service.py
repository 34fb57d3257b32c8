"""Start service (move-in), stop service (move-out, with owner reversion), transfer, rate class.

Each workflow is one transaction: agreements, orders, deposit decision, letters, audit rows and
events are flushed together and the route commits once.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.accounts.agreements import domain, repository
from services.accounts.agreements.schemas import (
    DepositDecisionOut,
    SAOut,
    ServiceLine,
    StartServiceIn,
    StartServiceOut,
    StopServiceIn,
    StopServiceOut,
    TransferIn,
    TransferOut,
)
from services.accounts.contacts import service as contacts
from services.accounts.customers import service as customers
from services.accounts.deposits import service as deposits
from services.accounts.meters import service as meters
from services.accounts.orders import service as orders
from services.accounts.orders.schemas import OrderIn, OrderOut
from services.accounts.premises import service as premises
from services.accounts.premises.schemas import PremiseOut
from services.accounts.search.service import reindex


def sa_out(row: Any) -> SAOut:
    return SAOut.model_validate(dict(row._mapping))


def sa_event(kind: str, sa: SAOut, **extra: Any) -> Event:
    return Event(f"accounts.{kind}", f"account:{sa.account_id}",
                 {"service_agreement": sa.model_dump(mode="json"), **extra})


async def get(session: AsyncSession, sa_id: uuid.UUID) -> SAOut:
    row = await repository.get(session, sa_id)
    if row is None:
        raise NotFound("No such service agreement", field="service_agreement_id")
    return sa_out(row)


async def of_account(session: AsyncSession, account_id: uuid.UUID) -> list[SAOut]:
    return [sa_out(r) for r in await repository.of_account(session, account_id)]


async def announce_changed(session: AsyncSession, who: Principal, ids: list[uuid.UUID],
                           reason: str) -> None:
    rows = await repository.get_many(session, ids)
    await publish(session, [sa_event("ServiceAgreementChanged", sa_out(r), reason=reason)
                            for r in rows], who.sub)


async def _start_sas(
    session: AsyncSession, who: Principal, account_id: uuid.UUID, premise: PremiseOut,
    lines: list[tuple[str, str]], start: date,
) -> tuple[list[SAOut], list[SAOut]]:
    """Start agreements at the premise; an owner's reverted agreement for the same service is
    stopped on the start date first. Returns (started, owner agreements stopped)."""
    services = [s for s, _ in lines]
    if len(set(services)) != len(services):
        raise Unprocessable("A service is listed twice", field="services")
    active = {r.service: r for r in await repository.active_at_premise(session, premise.id)}
    stopped: list[SAOut] = []
    for service in services:
        current = active.get(service)
        if current is None:
            continue
        if not current.owner_reversion:
            raise Conflict(f"The premise already has active {service} service",
                           field="services")
        if start < current.start_date:
            raise Unprocessable("Start date is before the owner's service began",
                                field="start_date")
        stopped.append(sa_out(await repository.stop(session, current.id, start)))
    installed = await meters.at_premise(session, premise.id)
    meter_id = installed[0].id if installed else None
    started = []
    for service, rate_class in lines:
        row = await repository.insert(session, {
            "id": uuid.uuid4(), "account_id": account_id, "premise_id": premise.id,
            "service": service, "rate_class": rate_class,
            "meter_id": meter_id if service in domain.METERED else None,
            "start_date": start, "owner_reversion": False,
        })
        started.append(sa_out(row))
    for sa in stopped + started:
        await audit.record(session, who, "service_agreement.start" if sa in started
                           else "service_agreement.stop", "service_agreement", str(sa.id),
                           after=sa)
    return started, stopped


def _lines(premise: PremiseOut, given: list[ServiceLine] | None) -> list[tuple[str, str]]:
    if given:
        return [(g.service, g.rate_class) for g in given]
    return domain.default_services(premise.kind)


async def start_service(session: AsyncSession, who: Principal, body: StartServiceIn,
                        today: date) -> StartServiceOut:
    """Move-in: customer and account, agreements, deposit, turn-on order, welcome letter."""
    premise = await premises.get(session, body.premise_id, lock=True)
    if body.account_id is not None:
        account = await customers.get_account(session, body.account_id, lock=True)
        if body.customer_id and body.customer_id != account.customer_id:
            raise Unprocessable("The account belongs to another customer", field="customer_id")
        customer = await customers.get_customer(session, account.customer_id)
    else:
        if body.customer_id is not None:
            customer = await customers.get_customer(session, body.customer_id)
        elif body.customer is not None:
            customer = await customers.create_customer(session, who, body.customer)
        else:
            raise Unprocessable("Name a customer_id or give a new customer", field="customer")
        account = await customers.open_account(session, who, customer.id, body.start_date)
    if account.status != "active":
        account = await customers.set_status(session, who, account.id, "active",
                                             body.start_date)
    started, owner_stopped = await _start_sas(session, who, account.id, premise,
                                              _lines(premise, body.services), body.start_date)
    decision = await deposits.decide_at_move_in(
        session, who, account.id, customer.id, premise.kind, body.start_date,
        is_owner=body.deposit.is_owner, letter_of_credit=body.deposit.letter_of_credit,
        waive_reason=body.deposit.waive_reason)
    account = await customers.get_account(session, account.id)
    events = [sa_event("ServiceStopped", sa, reason="new_occupant") for sa in owner_stopped]
    events += [sa_event("ServiceStarted", sa) for sa in started]
    events.append(customers.account_event(account, deposit_decision={
        "amount": f"{decision.amount:.2f}", "reason": decision.reason}))
    await publish(session, events, who.sub)
    order = await orders.create(session, who, OrderIn(
        kind="turn_on", premise_id=premise.id, account_id=account.id,
        scheduled_date=body.start_date, reason="move-in: turn on and initial read"))
    deposit_line = (f"\n\nA deposit of ${decision.amount:.2f} is held on your account."
                    if decision.required else "")
    letter = await contacts.send_letter(session, who, account.id, "welcome", {
        "premise": premise.address.one_line(), "date": body.start_date.isoformat(),
        "deposit": deposit_line}, today)
    await reindex(session, accounts=[account.id, *{s.account_id for s in owner_stopped}],
                  premises=[premise.id])
    return StartServiceOut(
        customer=customer, account=account, service_agreements=started,
        deposit=DepositDecisionOut(required=decision.required, amount=decision.amount,
                                   reason=decision.reason),
        service_order=order, welcome_letter_id=letter.id)


async def _stop_sas(
    session: AsyncSession, who: Principal, account_id: uuid.UUID,
    premise_id: uuid.UUID | None, stop: date, continuous: bool, for_transfer: bool = False,
) -> tuple[list[SAOut], list[SAOut], list[OrderOut]]:
    """Stop the account's active agreements; revert to the owner where the premise has one.
    Returns (stopped, reverted to owner, final-read orders)."""
    rows = await repository.active_of_account(session, account_id, premise_id)
    if not rows:
        raise Conflict("No active service to stop", field="premise_id" if premise_id
                       else "account_id")
    for r in rows:
        problem = domain.stop_date_problem(r.start_date, stop)
        if problem:
            raise Unprocessable(problem, field="stop_date")
    stopped: list[SAOut] = []
    reverted: list[SAOut] = []
    final_orders: list[OrderOut] = []
    by_premise: dict[uuid.UUID, list[Any]] = {}
    for r in rows:
        by_premise.setdefault(r.premise_id, []).append(r)
    for pid, sas in by_premise.items():
        premise = await premises.get(session, pid, lock=True)
        owner = premise.owner_account_id
        revert = continuous and owner is not None and owner != account_id
        for r in sas:
            before = sa_out(r)
            after = sa_out(await repository.stop(session, r.id, stop))
            stopped.append(after)
            await audit.record(session, who, "service_agreement.stop", "service_agreement",
                               str(r.id), before=before, after=after)
        if revert and owner is not None:
            for r in sas:
                row = await repository.insert(session, {
                    "id": uuid.uuid4(), "account_id": owner, "premise_id": pid,
                    "service": r.service, "rate_class": r.rate_class, "meter_id": r.meter_id,
                    "start_date": stop, "owner_reversion": True})
                sa = sa_out(row)
                reverted.append(sa)
                await audit.record(session, who, "service_agreement.revert_to_owner",
                                   "service_agreement", str(sa.id), after=sa,
                                   reason=f"continuous service after {r.id}")
        kind = "re_read" if revert else "turn_off"
        reason = ("final read: service continues to the owner" if revert
                  else "transfer: final read" if for_transfer else "move-out: final read")
        by_meter: dict[uuid.UUID | None, list[uuid.UUID]] = {}
        for r in sas:
            by_meter.setdefault(r.meter_id, []).append(r.id)
        for meter_id, sa_ids in by_meter.items():
            final_orders.append(await orders.create(
                session, who,
                OrderIn(kind=kind, premise_id=pid, account_id=account_id, meter_id=meter_id,
                        scheduled_date=stop, reason=reason),
                final_for_sa_ids=sa_ids, stop_date=stop))
    return stopped, reverted, final_orders


async def stop_service(session: AsyncSession, who: Principal, body: StopServiceIn,
                       today: date) -> StopServiceOut:
    """Move-out: stop agreements, final-read orders, closing letter; owner reversion if set."""
    account = await customers.get_account(session, body.account_id, lock=True)
    if body.premise_id is not None:
        await premises.get(session, body.premise_id)
    stopped, reverted, final_orders = await _stop_sas(
        session, who, account.id, body.premise_id, body.stop_date, body.continuous_service)
    events = [sa_event("ServiceStopped", sa) for sa in stopped]
    events += [sa_event("ServiceAgreementChanged", sa, reason="owner_reversion",
                        reverted_from_account_id=str(account.id)) for sa in reverted]
    await publish(session, events, who.sub)
    premise_ids = sorted({sa.premise_id for sa in stopped})
    first = await premises.get(session, premise_ids[0])
    letter = await contacts.send_letter(session, who, account.id, "closing", {
        "premise": first.address.one_line(), "date": body.stop_date.isoformat()}, today)
    await reindex(session, accounts=[account.id, *{s.account_id for s in reverted}],
                  premises=premise_ids)
    return StopServiceOut(stopped=stopped, reverted_to_owner=reverted,
                          final_read_orders=final_orders, closing_letter_id=letter.id)


async def transfer(session: AsyncSession, who: Principal, body: TransferIn) -> TransferOut:
    """Moving within the district: stop at the old premise and start at the new one."""
    if body.from_premise_id == body.to_premise_id:
        raise Unprocessable("Transfer to the same premise", field="to_premise_id")
    if body.start_date < body.stop_date:
        raise Unprocessable("Service at the new premise starts before the old one stops",
                            field="start_date")
    account = await customers.get_account(session, body.account_id, lock=True)
    new_premise = await premises.get(session, body.to_premise_id, lock=True)
    stopped, reverted, final_orders = await _stop_sas(
        session, who, account.id, body.from_premise_id, body.stop_date, True, True)
    started, owner_stopped = await _start_sas(
        session, who, account.id, new_premise, _lines(new_premise, body.services),
        body.start_date)
    events = [Event("accounts.ServiceTransferred", f"account:{account.id}", {
        "stopped": [s.model_dump(mode="json") for s in stopped],
        "started": [s.model_dump(mode="json") for s in started],
        "from_premise_id": str(body.from_premise_id),
        "to_premise_id": str(body.to_premise_id)})]
    events += [sa_event("ServiceAgreementChanged", sa, reason="owner_reversion",
                        reverted_from_account_id=str(account.id)) for sa in reverted]
    events += [sa_event("ServiceStopped", sa, reason="new_occupant") for sa in owner_stopped]
    await publish(session, events, who.sub)
    turn_on = await orders.create(session, who, OrderIn(
        kind="turn_on", premise_id=new_premise.id, account_id=account.id,
        scheduled_date=body.start_date, reason="transfer: turn on and initial read"))
    await audit.record(session, who, "service.transfer", "account", str(account.id),
                       after={"stopped": stopped, "started": started})
    others = {s.account_id for s in reverted + owner_stopped}
    await reindex(session, accounts=[account.id, *others],
                  premises=[body.from_premise_id, body.to_premise_id])
    return TransferOut(stopped=stopped, started=started, final_read_orders=final_orders,
                       turn_on_order=turn_on)


async def change_rate_class(session: AsyncSession, who: Principal, sa_id: uuid.UUID,
                            rate_class: str) -> SAOut:
    row = await repository.get(session, sa_id, lock=True)
    if row is None:
        raise NotFound("No such service agreement", field="service_agreement_id")
    before = sa_out(row)
    if before.status != "active":
        raise Conflict("Only an active agreement changes rate class", field="rate_class")
    after = sa_out(await repository.set_rate_class(session, sa_id, rate_class))
    await audit.record(session, who, "service_agreement.rate_class", "service_agreement",
                       str(sa_id), before=before, after=after)
    await publish(session, [sa_event("ServiceAgreementChanged", after, reason="rate_class")],
                  who.sub)
    return after
