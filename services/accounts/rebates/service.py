"""Rebates: intake with eligibility, approval within dollar authority (nobody approves their
own), denial, scanned forms, and check requests for accounts payable (flush only).

An approval is recorded as `RebateApproved`, which the outbox announces (billing credits the
account when the payment is a bill credit) and the letters reaction answers with the approval
letter; a denial, at intake or later, as `RebateDenied`, answered with the denial letter."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.approval import approval_refusal
from kernel.auth import Principal, authority
from kernel.csvexport import Export
from kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from kernel.reactions import record
from services.accounts.agreements import service as agreements
from services.accounts.contacts import service as contacts
from services.accounts.customers import service as customers
from services.accounts.premises import service as premises
from services.accounts.rebates import domain, repository
from services.accounts.rebates.facts import RebateApproved, RebateDenied
from services.accounts.rebates.schemas import (
    ApplicationIn,
    ApplicationOut,
    CheckBatchOut,
    CheckRequest,
    DecisionIn,
    DenialIn,
    ProgrammeOut,
)


def programmes() -> list[ProgrammeOut]:
    return [ProgrammeOut(key=p.key, name=p.name, unit=p.unit, per_unit=p.per_unit,
                         max_units=p.max_units, cap=p.cap, premise_kinds=list(p.premise_kinds))
            for p in domain.load_programmes().values()]


def programme(key: str) -> domain.Programme:
    found = domain.load_programmes().get(key)
    if found is None:
        raise Unprocessable(f"No rebate programme {key!r}", field="programme")
    return found


async def get(session: AsyncSession, app_id: uuid.UUID, lock: bool = False) -> ApplicationOut:
    found = await repository.get(session, app_id, lock)
    if found is None:
        raise NotFound("No such rebate application", field="application_id")
    return found


async def listing(session: AsyncSession, status: str | None, account_id: uuid.UUID | None,
                  prog: str | None, limit: int) -> list[ApplicationOut]:
    return await repository.listing(session, status, account_id, prog, limit)


async def _premise_of(session: AsyncSession, account_id: uuid.UUID,
                      premise_id: uuid.UUID | None) -> tuple[uuid.UUID, bool]:
    """The premise the rebate is for, and whether the account has active service there."""
    sas = await agreements.of_account(session, account_id)
    served = {sa.premise_id for sa in sas if sa.status == "active"}
    if premise_id is None:
        if len(served) > 1:
            raise Unprocessable("This account serves more than one premise: name it",
                                field="premise_id")
        if served:
            premise_id = next(iter(served))
        else:  # no active service: the premise it last served (the application is denied)
            last = max(sas, key=lambda sa: sa.start_date, default=None)
            if last is None:
                raise Unprocessable("This account has never had service: name the premise",
                                    field="premise_id")
            premise_id = last.premise_id
    return premise_id, premise_id in served


async def apply(session: AsyncSession, who: Principal, body: ApplicationIn) -> ApplicationOut:
    """Take in a rebate form. An eligible application waits for approval; one that is not is
    denied at once, with the reasons, and the customer gets the denial letter."""
    prog = programme(body.programme)
    account = await customers.get_account(session, body.account_id)
    premise_id, serves = await _premise_of(session, account.id, body.premise_id)
    premise = await premises.get(session, premise_id)
    why = domain.refusals(
        prog, account_status=account.status, premise_kind=premise.kind, serves_premise=serves,
        earlier=await repository.live_status(session, premise_id, prog.key),
        installed_on=body.installed_on, received_on=body.received_on)
    app_id, letter_id = uuid.uuid4(), uuid.uuid4()
    value = domain.amount(prog, body.units)
    reason = "; ".join(why) if why else None
    added = await repository.add(session, {
        "id": app_id, "account_id": account.id, "premise_id": premise_id,
        "programme": prog.key, "units": body.units, "amount": value, "payment": body.payment,
        "status": "denied" if why else "pending", "received_on": body.received_on,
        "installed_on": body.installed_on, "note": body.note, "requested_by": who.sub,
        "decided_by": who.sub if why else None, "decided_on": body.received_on if why else None,
        "reason": reason, "letter_id": letter_id if why else None})
    if not added:
        raise Conflict("This premise already has a rebate application for this programme",
                       field="premise_id")
    await audit.record(session, who, "rebate.apply", "account", str(account.id),
                       after={"application_id": app_id, "programme": prog.key,
                              "amount": value, "denied": reason}, reason=body.note)
    if reason is not None:
        record(session, who, RebateDenied(app_id, account.id, prog.key, reason,
                                          body.received_on, letter_id))
    return await get(session, app_id)


async def approve(session: AsyncSession, who: Principal, app_id: uuid.UUID,
                  body: DecisionIn) -> ApplicationOut:
    """Approve within the approver's dollar authority; nobody approves their own intake."""
    a = await get(session, app_id, lock=True)
    if a.status != "pending":
        raise Conflict(f"This application is already {a.status}")
    refusal = approval_refusal(who.sub, authority(who.role), a.requested_by, a.amount)
    if refusal:
        raise Forbidden(refusal)
    account = await customers.get_account(session, a.account_id)
    if account.status != "active":
        raise Conflict(f"The account is {account.status}: deny the application instead")
    letter_id = uuid.uuid4()
    await repository.decide(session, app_id, "approved", who.sub, body.on_date, body.note,
                            letter_id)
    await audit.record(session, who, "rebate.approve", "account", str(a.account_id),
                       after={"application_id": app_id, "amount": a.amount,
                              "payment": a.payment}, approver=who.sub, reason=body.note)
    record(session, who, RebateApproved(
        app_id, a.account_id, a.premise_id, a.programme, a.units, a.amount, a.payment,
        body.on_date, a.requested_by, who.sub, letter_id))
    return await get(session, app_id)


async def deny(session: AsyncSession, who: Principal, app_id: uuid.UUID,
               body: DenialIn) -> ApplicationOut:
    a = await get(session, app_id, lock=True)
    if a.status != "pending":
        raise Conflict(f"This application is already {a.status}")
    letter_id = uuid.uuid4()
    await repository.decide(session, app_id, "denied", who.sub, body.on_date, body.reason,
                            letter_id)
    await audit.record(session, who, "rebate.deny", "account", str(a.account_id),
                       after={"application_id": app_id}, approver=who.sub, reason=body.reason)
    record(session, who, RebateDenied(app_id, a.account_id, a.programme, body.reason,
                                      body.on_date, letter_id))
    return await get(session, app_id)


async def attach_form(session: AsyncSession, who: Principal, app_id: uuid.UUID,
                      filename: str, content_type: str, data: bytes) -> ApplicationOut:
    """Keep a scanned form with the account's documents and name it on the application."""
    a = await get(session, app_id, lock=True)
    title = f"Rebate form: {programme_title(a.programme)} ({a.received_on.isoformat()})"
    doc = await contacts.upload_scan(session, who, a.account_id, title, filename,
                                     content_type, data)
    await repository.add_form(session, app_id, doc.id)
    return await get(session, app_id)


def programme_title(key: str, language: str = "en") -> str:
    found = domain.load_programmes().get(key)
    return found.title(language) if found else key.replace("_", " ")


async def check_requests(session: AsyncSession, batch: uuid.UUID | None) -> CheckBatchOut:
    rows = await repository.check_requests(session, batch)
    return _batch(batch, rows)


def check_requests_export(batch: uuid.UUID | None) -> Export:
    return repository.check_requests_export(batch)


async def batch_checks(session: AsyncSession, who: Principal) -> CheckBatchOut:
    """Hand every open check request to accounts payable, once: they leave the open list and
    are listed (and downloadable as CSV) under the batch."""
    batch = uuid.uuid4()
    if await repository.batch_checks(session, batch) == 0:
        raise Conflict("No check requests are waiting for accounts payable")
    out = _batch(batch, await repository.check_requests(session, batch))
    await audit.record(session, who, "rebate.check_batch", "rebate_checks", str(batch),
                       after={"count": out.count, "total": out.total})
    return out


def _batch(batch: uuid.UUID | None, rows: list[CheckRequest]) -> CheckBatchOut:
    return CheckBatchOut(batch=batch, count=len(rows),
                         total=sum((r.amount for r in rows), Decimal("0.00")), requests=rows)


async def send_letter(session: AsyncSession, who: Principal, fact: RebateApproved | RebateDenied,
                      today: date) -> None:
    """The approval or denial letter, in the account's language, kept with the account."""
    account = await customers.get_account(session, fact.account_id)
    title = programme_title(fact.programme, account.language)
    if isinstance(fact, RebateApproved):
        how = {"credit": ("as a credit on your next bill", "como un cr\u00e9dito en su "
                          "pr\u00f3xima factura"),
               "check": ("by check, mailed to you", "con un cheque que le enviaremos por "
                         "correo")}[fact.payment]
        await contacts.send_letter(session, who, fact.account_id, "rebate_approved", {
            "programme": title, "amount": f"${fact.amount:.2f}",
            "how": how[1] if account.language.startswith("es") else how[0],
            "date": fact.approved_on.isoformat()}, today, fact.letter_id)
    else:
        await contacts.send_letter(session, who, fact.account_id, "rebate_denied", {
            "programme": title, "reason": fact.reason,
            "date": fact.denied_on.isoformat()}, today, fact.letter_id)
