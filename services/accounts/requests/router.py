"""Service requests: the customer files and follows them in the portal
(`/api/accounts/requests/accounts/{account_id}`), staff list and work them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.accounts.common import CSRS, READERS, Csr, Reader
from services.accounts.requests import service
from services.accounts.requests.schemas import Kind, RequestIn, RequestOut, Status, WorkIn

router = APIRouter(prefix="/api/accounts/requests", tags=["accounts-requests"],
                   route_class=TxRoute)
#: The customer for their own accounts (others: 404), or a CSR filing on a caller's behalf.
Filer = Annotated[Principal, Depends(require_roles("customer", *CSRS))]
Follower = Annotated[Principal, Depends(require_roles("customer", *READERS))]


@router.post("/accounts/{account_id}", response_model=RequestOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def file_request(account_id: uuid.UUID, body: RequestIn, session: SessionDep,
                       who: Filer) -> RequestOut:
    """File a request (start, stop or transfer service, high-bill review, contact us); it
    lands in staff's list as `received`. Send an Idempotency-Key: a retry files it once."""
    return await service.file(session, who, account_id, body, utility_today())


@router.get("/accounts/{account_id}", response_model=list[RequestOut],
            responses=problem_responses(401, 403, 404))
async def account_requests(account_id: uuid.UUID, session: SessionDep,
                           who: Follower) -> list[RequestOut]:
    """The account's requests, newest first, with their status."""
    return await service.of_account(session, who, account_id)


@router.get("", response_model=list[RequestOut], responses=problem_responses(401, 403, 422))
async def worklist(session: SessionDep, _: Reader, status: Status | None = None,
                   kind: Kind | None = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[RequestOut]:
    """Staff's list: open requests (received or in progress) oldest first, or one status."""
    return await service.worklist(session, status, kind, limit)


@router.get("/{request_id}", response_model=RequestOut, responses=problem_responses(401, 403, 404))
async def get_request(request_id: uuid.UUID, session: SessionDep,
                      who: Follower) -> RequestOut:
    """One request; a customer sees only their own accounts' (others: 404)."""
    return await service.one(session, who, request_id)


@router.post("/{request_id}/work", response_model=RequestOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def work_request(request_id: uuid.UUID, body: WorkIn, session: SessionDep,
                       who: Csr) -> RequestOut:
    """Move a request on: `in_progress`, then `done` or `declined` with the resolution the
    customer reads."""
    return await service.work(session, who, request_id, body)
