"""The CSR's front door: one box for name, address, account number, phone, email, meter serial
and APN, tolerant of typos and partial input."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Response

from kernel.csvexport import CSV_RESPONSE, CsvExport
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.accounts.common import Reader
from services.accounts.search import service
from services.accounts.search.schemas import SearchHit

router = APIRouter(prefix="/api/accounts/search", tags=["accounts-search"], route_class=TxRoute)


@router.get("", response_model=list[SearchHit],
            responses={**problem_responses(401, 403, 422), **CSV_RESPONSE})
async def search(
    session: SessionDep,
    _: Reader,
    csv: CsvExport,
    q: str = Query(min_length=2, max_length=120),
    entity: Literal["account", "premise"] | None = None,
    limit: int = Query(default=20, ge=1, le=100),
) -> list[SearchHit] | Response:
    """Accounts and premises matching every word typed, best first (`?format=csv`: every
    match, streamed)."""
    if csv:
        return csv.respond(service.search_export(q, entity))
    return await service.search(session, q, entity, limit)
