"""Use cases of service requests: a customer (or a CSR for them) files one, the customer follows
it, staff work the list. A request is a note that work is wanted, not the work itself: a CSR
then starts, stops or transfers service (agreements), or answers the message."""

from __future__ import annotations

import json
import uuid
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, NotFound, Unprocessable
from services.accounts.customers import service as customers
from services.accounts.portal import service as portal_service
from services.accounts.requests import domain
from services.accounts.requests import repository as repo
from services.accounts.requests.schemas import RequestIn, RequestOut, WorkIn

OPEN = ["received", "in_progress"]


def _own(who: Principal, account_id: uuid.UUID) -> None:
    """A portal customer reaches only the accounts in their token; another id answers 404,
    exactly as an unknown one, so ids cannot be probed."""
    if who.role == "customer" and str(account_id) not in who.accounts:
        raise NotFound("No such account", field="account_id")


async def file(session: AsyncSession, who: Principal, account_id: uuid.UUID, body: RequestIn,
               today: date) -> RequestOut:
    _own(who, account_id)
    if body.bill_id is not None:  # the account's own bill (accounts' copy of bills issued)
        await portal_service.ensure_bill_of_account(session, account_id, body.bill_id)
    account = await customers.get_account(session, account_id)
    if account.status == "closed" and body.kind != "contact":
        raise Conflict("The account is closed; write to us instead", field="account_id")
    problem = domain.check(body.kind, today, body.preferred_date, body.address is not None,
                           body.bill_id, body.message)
    if problem is not None:
        raise Unprocessable(problem.message, field=problem.field)
    out = await repo.insert(session, {
        "id": uuid.uuid4(), "account_id": account_id, "kind": body.kind,
        "preferred_date": body.preferred_date,
        "address": None if body.address is None else json.dumps(body.address.model_dump()),
        "phone": body.phone, "message": body.message.strip(), "bill_id": body.bill_id,
        "appeal_id": body.appeal_id, "requested_by": who.sub})
    await audit.record(session, who, "request.file", "service_request", str(out.id),
                       after={"kind": out.kind, "account_id": str(account_id)})
    return out


async def of_account(session: AsyncSession, who: Principal,
                     account_id: uuid.UUID) -> list[RequestOut]:
    _own(who, account_id)
    return await repo.of_account(session, account_id)


async def one(session: AsyncSession, who: Principal, request_id: uuid.UUID) -> RequestOut:
    found = await repo.get(session, request_id)
    if found is None or (who.role == "customer" and str(found.account_id) not in who.accounts):
        raise NotFound("No such request", field="request_id")
    return found


async def worklist(session: AsyncSession, status: str | None, kind: str | None,
                   limit: int) -> list[RequestOut]:
    return await repo.worklist(session, [status] if status else OPEN, kind, limit)


async def work(session: AsyncSession, who: Principal, request_id: uuid.UUID,
               body: WorkIn) -> RequestOut:
    found = await repo.get(session, request_id, lock=True)
    if found is None:
        raise NotFound("No such request", field="request_id")
    if found.status == body.status:
        return found
    if not domain.may_move(found.status, body.status):
        raise Conflict(f"A request {found.status} cannot become {body.status}", field="status")
    if body.status in ("done", "declined") and not body.resolution.strip():
        raise Unprocessable("Say what was done (the customer sees it)", field="resolution")
    out = await repo.move(session, request_id, body.status, who.sub,
                          body.resolution.strip() or None)
    await audit.record(session, who, f"request.{body.status}", "service_request",
                       str(request_id), before={"status": found.status},
                       after={"status": out.status}, reason=body.resolution or None)
    return out
