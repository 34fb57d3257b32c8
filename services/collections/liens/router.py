"""Tax-roll liens: owners' delinquent parcels, lien notices, the certified list for the county
(CSV, PDF), its recording, releases after payment."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Response

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.collections.liens import service
from services.collections.liens.schemas import (
    Candidates,
    DayIn,
    LienOut,
    ListOut,
    NoticesOut,
    RecordIn,
    RecordOut,
    ReleasesOut,
    StepIn,
    TaxYear,
)

router = APIRouter(prefix="/api/collections/liens", tags=["collections-liens"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Worker = Annotated[Principal, Depends(require_roles("csr2", "billing_tech", "supervisor"))]
Supervisor = Annotated[Principal, Depends(require_roles("supervisor"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
Today = Annotated[Day | None, Query(description="The day (default: today)")]
Year = Annotated[TaxYear | None, Query(description="The roll year (default: today's year)")]


@router.get("/candidates", response_model=Candidates, responses=problem_responses(401, 403, 422))
async def lien_candidates(session: SessionDep, _: Staff, today: Today = None,
                          tax_year: Year = None) -> Candidates:
    """Delinquent amounts by parcel (APN) for owners' accounts not yet noticed this year."""
    return await service.candidates(session, today or utility_today(), tax_year)


@router.post("/notices", response_model=NoticesOut, status_code=201,
             responses=problem_responses(401, 403, 422))
async def lien_notices(body: StepIn, session: SessionDep, who: Worker,
                       idempotency_key: IdempotencyKey = None) -> NoticesOut:
    """A lien notice to each candidate owner (once a year per account). Takes an
    Idempotency-Key."""
    return await service.send_notices(session, who, body.today or utility_today(),
                                      body.tax_year)


@router.post("/lists", response_model=ListOut, status_code=201,
             responses=problem_responses(401, 403, 409, 422))
async def certify_list(body: StepIn, session: SessionDep, who: Supervisor,
                       idempotency_key: IdempotencyKey = None) -> ListOut:
    """Certify the year's list for the county (a supervisor). Takes an Idempotency-Key."""
    return await service.certify(session, who, body.today or utility_today(), body.tax_year)


@router.get("/lists", response_model=list[ListOut], responses=problem_responses(401, 403, 422))
async def lien_lists(session: SessionDep, _: Staff,
                     limit: Annotated[int, Query(ge=1, le=200)] = 20) -> list[ListOut]:
    return await service.lists(session, limit)


@router.get("/lists/{list_id}.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 403, 404)})
async def list_csv(list_id: uuid.UUID, session: SessionDep, _: Staff) -> Response:
    """The certified list as CSV, by APN, a TOTAL row last."""
    name, body = await service.list_csv(session, list_id)
    return Response(body, media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/lists/{list_id}.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}},
                       **problem_responses(401, 403, 404)})
async def list_pdf(list_id: uuid.UUID, session: SessionDep, _: Staff) -> Response:
    """The certified list as a PDF: parcels by APN, totals, the certification statement."""
    name, body = await service.list_pdf(session, list_id)
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.post("/lists/{list_id}/recorded", response_model=RecordOut,
             responses=problem_responses(401, 403, 404, 422))
async def list_recorded(list_id: uuid.UUID, body: RecordIn, session: SessionDep,
                        who: Worker) -> RecordOut:
    """The county recorded the list (`collections.LienRecorded` for each lien on it)."""
    return await service.record(session, who, list_id, body.recorded_on, body.document_number)


@router.post("/releases", response_model=ReleasesOut,
             responses=problem_responses(401, 403, 422))
async def release_paid(body: DayIn, session: SessionDep, who: Worker) -> ReleasesOut:
    """Release every lien paid by the day (the daily job does it too): a `lien_release`
    letter and `collections.LienReleased` each."""
    return await service.releases(session, who, body.today or utility_today())


@router.get("", response_model=list[LienOut], responses=problem_responses(401, 403, 422))
async def list_liens(
        session: SessionDep, _: Staff, today: Today = None, tax_year: Year = None,
        status: Literal["noticed", "listed", "recorded", "released", "cancelled"] | None = None,
        account_id: uuid.UUID | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[LienOut]:
    """Liens with what is still owed of each today."""
    return await service.liens(session, today or utility_today(), tax_year, status,
                               account_id, limit)
