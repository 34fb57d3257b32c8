"""Start service (move-in), stop service (move-out, with owner reversion), transfer, rate class;
and what agreements do when a meter is exchanged or a final read leaves an account without
service.

Each workflow is one transaction: agreements, orders, deposit decision, audit rows and facts are
flushed together and the route commits once. Letters, search and the outbox follow from the
facts recorded here (`agreements.facts`, `kernel.reactions`).
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.reactions import record
from services.accounts.agreements import domain, repository
from services.accounts.agreements.facts import (
    MovedIn,
    MovedOut,
    ServiceAgreementChanged,
    ServiceStarted,
    ServiceStopped,
    ServiceTransferred,
)
from services.accounts.agreements.schemas import (
    DepositDecisionOut,
    SAOut,
    ServiceLine,
    StartServiceIn,
    StartServiceOut,
    StopServiceIn,
    StopServiceOut,
    TenantTakeoverIn,
    TenantTakeoverOut,
    TransferIn,
    TransferOut,
)
from services.accounts.common import ensure_may_see_account
from services.accounts.customers import service as customers
from services.accounts.customers.facts import AccountChanged
from services.accounts.deposits import service as deposits
from services.accounts.meters import service as meters
from services.accounts.meters.schemas import MeterOut
from services.accounts.orders import service as orders
from services.accounts.orders.schemas import OrderIn, OrderOut
from services.accounts.premises import service as premises
from services.accounts.premises.schemas import PremiseOut


async def get(session: AsyncSession, sa_id: uuid.UUID, lock: bool = False) -> SAOut:
    found = await repository.get(session, sa_id, lock)
    if found is None:
        raise NotFound("No such service agreement", field="service_agreement_id")
    return found


async def get_for(session: AsyncSession, who: Principal, sa_id: uuid.UUID) -> SAOut:
    """One agreement, for a caller who may see its account (a portal customer: their own)."""
    sa = await get(session, sa_id)
    ensure_may_see_account(who, sa.account_id)
    return sa


async def of_account(session: AsyncSession, account_id: uuid.UUID) -> list[SAOut]:
    return await repository.of_account(session, account_id)


async def _start_sas(
    session: AsyncSession, who: Principal, account_id: uuid.UUID, premise: PremiseOut,
    lines: list[tuple[str, str]], start: date,
) -> tuple[list[SAOut], list[SAOut]]:
    """Start agreements at the premise; an owner's reverted agreement for the same service is
    stopped on the start date first. Returns (started, owner agreements stopped)."""
    services = [s for s, _ in lines]
    if len(set(services)) != len(services):
        raise Unprocessable("A service is listed twice", field="services")
    active: dict[str, SAOut] = {
        sa.service: sa for sa in await repository.active_at_premise(session, premise.id)}
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
        stopped.append(await repository.stop(session, current.id, start))
    installed = await meters.at_premise(session, premise.id)
    meter_id = installed[0].id if installed else None
    started = []
    for service, rate_class in lines:
        started.append(await repository.insert(session, {
            "id": uuid.uuid4(), "account_id": account_id, "premise_id": premise.id,
            "service": service, "rate_class": rate_class,
            "meter_id": meter_id if service in domain.METERED else None,
            "start_date": start, "owner_reversion": False,
        }))
    for sa in stopped + started:
        await audit.record(session, who, "service_agreement.start" if sa in started
                           else "service_agreement.stop", "service_agreement", str(sa.id),
                           after=sa)
    return started, stopped


def _lines(premise: PremiseOut, given: list[ServiceLine] | None) -> list[tuple[str, str]]:
    if given:
        return [(g.service, g.rate_class) for g in given]
    return domain.default_services(premise.kind)


async def tenant_takeover(session: AsyncSession, who: Principal, body: TenantTakeoverIn,
                          today: date) -> TenantTakeoverOut:
    """SB 998: a tenant becomes the customer of a landlord's premise without the landlord's
    arrears. The landlord's agreements there stop on the start date (their balance stays on the
    landlord's account, with collections), the tenant's start with the same services and rate
    classes, and a re-read on that day splits the usage; the water stays on (no turn-on, no
    turn-off). The tenant's own deposit follows the district's rules."""
    if not body.terms_accepted:
        raise Unprocessable("The tenant must accept the terms of service", field="terms_accepted")
    premise = await premises.get(session, body.premise_id, lock=True)
    landlord = [sa for sa in await repository.active_at_premise(session, premise.id)
                if not sa.owner_reversion]
    if not landlord:
        raise Conflict("Nobody else has service at this premise: start service instead",
                       field="premise_id")
    owners = {sa.account_id for sa in landlord}
    if len(owners) != 1:
        raise Conflict("More than one account has service at this premise", field="premise_id")
    landlord_account = owners.pop()
    if premise.owner_account_id != landlord_account:
        raise Conflict("The account with service here is not the premise owner's: a tenant "
                       "takes over only a landlord's service", field="premise_id")
    if body.customer_id is not None:
        customer = await customers.get_customer(session, body.customer_id)
    elif body.customer is not None:
        customer = await customers.create_customer(session, who, body.customer)
    else:
        raise Unprocessable("Name a customer_id or give a new customer", field="customer")
    mine = await customers.get_account(session, landlord_account)
    if mine.customer_id == customer.id:
        raise Conflict("The tenant is the landlord's own customer", field="customer_id")
    for sa in landlord:
        problem = domain.stop_date_problem(sa.start_date, body.start_date)
        if problem:
            raise Unprocessable(problem, field="start_date")
    account = await customers.open_account(session, who, customer.id, body.start_date)
    stopped = []
    for sa in landlord:
        after = await repository.stop(session, sa.id, body.start_date)
        stopped.append(after)
        await audit.record(session, who, "service_agreement.stop", "service_agreement",
                           str(sa.id), before=sa, after=after,
                           reason="SB 998 tenant takeover: the landlord's arrears stay theirs")
    started, _ = await _start_sas(session, who, account.id, premise,
                                  [(sa.service, sa.rate_class) for sa in landlord],
                                  body.start_date)
    decision = await deposits.decide_at_move_in(
        session, who, account.id, customer.id, premise.kind, body.start_date,
        is_owner=body.deposit.is_owner, letter_of_credit=body.deposit.letter_of_credit,
        waive_reason=body.deposit.waive_reason)
    deposit = DepositDecisionOut(required=decision.required, amount=decision.amount,
                                 reason=decision.reason)
    by_meter: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for sa in landlord:
        by_meter.setdefault(sa.meter_id, []).append(sa.id)
    re_reads = [await orders.create(session, who, OrderIn(
        kind="re_read", premise_id=premise.id, account_id=landlord_account, meter_id=meter_id,
        scheduled_date=body.start_date,
        reason="tenant takeover (SB 998): the landlord's final read, the tenant's first"),
        final_for_sa_ids=sa_ids, stop_date=body.start_date)
        for meter_id, sa_ids in by_meter.items()]
    account = await customers.get_account(session, account.id)
    record(session, who,
           *(ServiceStopped(sa, reason="tenant_takeover") for sa in stopped),
           *(ServiceStarted(sa) for sa in started),
           AccountChanged(account, deposit_decision={
               "amount": f"{decision.amount:.2f}", "reason": decision.reason}))
    moved_in = MovedIn(account.id, premise, body.start_date, deposit, today, uuid.uuid4())
    record(session, who, moved_in)
    await audit.record(session, who, "tenant_takeover", "premise", str(premise.id),
                       after={"tenant_account_id": str(account.id),
                              "landlord_account_id": str(landlord_account)},
                       reason="SB 998: tenant becomes the customer without the arrears")
    return TenantTakeoverOut(
        customer=customer, account=account, service_agreements=started,
        landlord_account_id=landlord_account, landlord_stopped=stopped, deposit=deposit,
        re_read_orders=re_reads, welcome_letter_id=moved_in.letter_id)


async def start_service(session: AsyncSession, who: Principal, body: StartServiceIn,
                        today: date) -> StartServiceOut:
    """Move-in: customer and account, agreements, deposit, turn-on order; the welcome letter
    follows from `MovedIn`."""
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
    deposit = DepositDecisionOut(required=decision.required, amount=decision.amount,
                                 reason=decision.reason)
    account = await customers.get_account(session, account.id)
    record(session, who,
           *(ServiceStopped(sa, reason="new_occupant") for sa in owner_stopped),
           *(ServiceStarted(sa) for sa in started),
           AccountChanged(account, deposit_decision={
               "amount": f"{decision.amount:.2f}", "reason": decision.reason}))
    order = await orders.create(session, who, OrderIn(
        kind="turn_on", premise_id=premise.id, account_id=account.id,
        scheduled_date=body.start_date, reason="move-in: turn on and initial read"))
    moved_in = MovedIn(account.id, premise, body.start_date, deposit, today, uuid.uuid4())
    record(session, who, moved_in)
    return StartServiceOut(
        customer=customer, account=account, service_agreements=started, deposit=deposit,
        service_order=order, welcome_letter_id=moved_in.letter_id)


async def _stop_sas(
    session: AsyncSession, who: Principal, account_id: uuid.UUID,
    premise_id: uuid.UUID | None, stop: date, continuous: bool, for_transfer: bool = False,
) -> tuple[list[SAOut], list[SAOut], list[OrderOut]]:
    """Stop the account's active agreements; revert to the owner where the premise has one.
    Returns (stopped, reverted to owner, final-read orders)."""
    active = await repository.active_of_account(session, account_id, premise_id)
    if not active:
        raise Conflict("No active service to stop", field="premise_id" if premise_id
                       else "account_id")
    for sa in active:
        problem = domain.stop_date_problem(sa.start_date, stop)
        if problem:
            raise Unprocessable(problem, field="stop_date")
    stopped: list[SAOut] = []
    reverted: list[SAOut] = []
    final_orders: list[OrderOut] = []
    by_premise: dict[uuid.UUID, list[SAOut]] = {}
    for sa in active:
        by_premise.setdefault(sa.premise_id, []).append(sa)
    for pid, sas in by_premise.items():
        premise = await premises.get(session, pid, lock=True)
        owner = premise.owner_account_id
        revert = continuous and owner is not None and owner != account_id
        for before in sas:
            after = await repository.stop(session, before.id, stop)
            stopped.append(after)
            await audit.record(session, who, "service_agreement.stop", "service_agreement",
                               str(before.id), before=before, after=after)
        if revert and owner is not None:
            for old in sas:
                sa = await repository.insert(session, {
                    "id": uuid.uuid4(), "account_id": owner, "premise_id": pid,
                    "service": old.service, "rate_class": old.rate_class,
                    "meter_id": old.meter_id, "start_date": stop, "owner_reversion": True})
                reverted.append(sa)
                await audit.record(session, who, "service_agreement.revert_to_owner",
                                   "service_agreement", str(sa.id), after=sa,
                                   reason=f"continuous service after {old.id}")
        kind = "re_read" if revert else "turn_off"
        reason = ("final read: service continues to the owner" if revert
                  else "transfer: final read" if for_transfer else "move-out: final read")
        by_meter: dict[uuid.UUID | None, list[uuid.UUID]] = {}
        for sa in sas:
            by_meter.setdefault(sa.meter_id, []).append(sa.id)
        for meter_id, sa_ids in by_meter.items():
            final_orders.append(await orders.create(
                session, who,
                OrderIn(kind=kind, premise_id=pid, account_id=account_id, meter_id=meter_id,
                        scheduled_date=stop, reason=reason),
                final_for_sa_ids=sa_ids, stop_date=stop))
    return stopped, reverted, final_orders


async def stop_service(session: AsyncSession, who: Principal, body: StopServiceIn,
                       today: date) -> StopServiceOut:
    """Move-out: stop agreements, final-read orders, owner reversion if set; the closing letter
    follows from `MovedOut`."""
    account = await customers.get_account(session, body.account_id, lock=True)
    if body.premise_id is not None:
        await premises.get(session, body.premise_id)
    stopped, reverted, final_orders = await _stop_sas(
        session, who, account.id, body.premise_id, body.stop_date, body.continuous_service)
    record(session, who,
           *(ServiceStopped(sa) for sa in stopped),
           *(ServiceAgreementChanged(sa, reason="owner_reversion",
                                     reverted_from_account_id=account.id) for sa in reverted))
    first = await premises.get(session, min(sa.premise_id for sa in stopped))
    moved_out = MovedOut(account.id, first, body.stop_date, today, uuid.uuid4())
    record(session, who, moved_out)
    return StopServiceOut(stopped=stopped, reverted_to_owner=reverted,
                          final_read_orders=final_orders, closing_letter_id=moved_out.letter_id)


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
    record(session, who,
           ServiceTransferred(account.id, stopped, started, body.from_premise_id,
                              body.to_premise_id),
           *(ServiceAgreementChanged(sa, reason="owner_reversion",
                                     reverted_from_account_id=account.id) for sa in reverted),
           *(ServiceStopped(sa, reason="new_occupant") for sa in owner_stopped))
    turn_on = await orders.create(session, who, OrderIn(
        kind="turn_on", premise_id=new_premise.id, account_id=account.id,
        scheduled_date=body.start_date, reason="transfer: turn on and initial read"))
    await audit.record(session, who, "service.transfer", "account", str(account.id),
                       after={"stopped": stopped, "started": started})
    return TransferOut(stopped=stopped, started=started, final_read_orders=final_orders,
                       turn_on_order=turn_on)


async def change_rate_class(session: AsyncSession, who: Principal, sa_id: uuid.UUID,
                            rate_class: str) -> SAOut:
    before = await get(session, sa_id, lock=True)
    if before.status != "active":
        raise Conflict("Only an active agreement changes rate class", field="rate_class")
    after = await repository.set_rate_class(session, sa_id, rate_class)
    await audit.record(session, who, "service_agreement.rate_class", "service_agreement",
                       str(sa_id), before=before, after=after)
    record(session, who, ServiceAgreementChanged(after, reason="rate_class"))
    return after


async def follow_meter(session: AsyncSession, who: Principal, removed: MeterOut,
                       installed: MeterOut) -> list[SAOut]:
    """A meter was exchanged: the active agreements it read are read by its replacement."""
    moved = sorted(await repository.repoint_meter(session, removed.id, installed.id),
                   key=lambda sa: (sa.start_date, sa.service))
    record(session, who, *(ServiceAgreementChanged(sa, reason="meter_exchange") for sa in moved))
    return moved


async def close_if_no_service(session: AsyncSession, who: Principal, account_id: uuid.UUID,
                              on: date) -> None:
    """A final read ended an agreement: an account with no active agreement left closes."""
    if await repository.count_active(session, account_id) == 0:
        await customers.set_status(session, who, account_id, "closed", on)
