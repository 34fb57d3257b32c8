"""Meter reads: single reads, route and AMI file imports, the exceptions worklist, unread meters."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.billing.common import BizDate
from services.billing.reads import service
from services.billing.reads.schemas import (
    AmiDay,
    CorrectIn,
    EstimateIn,
    HeldRead,
    ImportResult,
    ReadIn,
    ReadOut,
    Resolve,
    ThresholdsIO,
    UnreadReport,
    WorklistItem,
)

router = APIRouter(prefix="/api/billing/reads", tags=["billing-reads"], route_class=TxRoute)
Tech = Annotated[Principal, Depends(require_roles("billing_tech", "supervisor"))]
Reader = Annotated[Principal, Depends(require_roles("billing_tech", "supervisor", "field_tech",
                                                    "csr1", "csr2"))]


@router.post("", response_model=ReadOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def add_read(body: ReadIn, session: SessionDep, who: Reader) -> ReadOut:
    """Record one register read; it is validated at once and may open exceptions."""
    return await service.add_read(session, who, body.meter_id, body.read_on, body.value,
                                  body.source, utility_today())


@router.post("/imports/{kind}", response_model=ImportResult,
             responses=problem_responses(401, 403, 422))
async def import_reads(kind: Literal["handheld", "ami"], session: SessionDep, who: Tech,
                       file: Annotated[UploadFile, File()]) -> ImportResult:
    """Import a handheld/route file or an AMI interval file (formats in `reads.domain`).
    The same file imported again changes nothing; bad rows are listed by line number."""
    content = await file.read(service.MAX_FILE + 1)
    return await service.import_file(session, who, kind, file.filename or "upload.csv",
                                     content, utility_today())


@router.get("/exceptions/worklist", response_model=list[WorklistItem],
            responses=problem_responses(401, 403))
async def worklist(session: SessionDep, _: Tech,
                   status: Literal["open", "reread_ordered", "resolved"] | None = "open",
                   cycle: str | None = None) -> list[WorklistItem]:
    """Read exceptions to work, by route and meter."""
    return await service.worklist(session, status, cycle)


@router.post("/exceptions/{exception_id}/accept", response_model=ReadOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def accept_exception(exception_id: uuid.UUID, body: Resolve, session: SessionDep,
                           who: Tech) -> ReadOut:
    """The read is right after all: it becomes billable once none of its exceptions is open."""
    return await service.accept(session, who, exception_id, body.reason)


@router.post("/exceptions/{exception_id}/reread", responses=problem_responses(401, 403, 404, 409))
async def reread_exception(exception_id: uuid.UUID, body: Resolve, session: SessionDep,
                           who: Tech) -> dict[str, Any]:
    """Order a re-read (publishes `billing.ServiceOrderRequested`)."""
    return await service.order_reread(session, who, exception_id, body.reason)


@router.post("/exceptions/{exception_id}/estimate", response_model=ReadOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def estimate_exception(exception_id: uuid.UUID, body: EstimateIn, session: SessionDep,
                             who: Tech) -> ReadOut:
    """Replace the read by an estimate: average daily use × days since the last read."""
    return await service.estimate(session, who, exception_id, body.read_on, body.reason)


@router.post("/exceptions/{exception_id}/correct", response_model=ReadOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def correct_exception(exception_id: uuid.UUID, body: CorrectIn, session: SessionDep,
                            who: Tech) -> ReadOut:
    """Replace the read by a corrected value, with the reason."""
    return await service.correct(session, who, exception_id, body.value, body.reason)


@router.get("/reports/unread", response_model=UnreadReport, responses=problem_responses(401, 403))
async def unread_meters(session: SessionDep, who: Tech, cycle: str, period_start: BizDate,
                        period_end: BizDate) -> UnreadReport:
    """Meters of the cycle with no read in the period, by route."""
    return await service.unread_report(session, who, cycle, period_start, period_end, False)


@router.post("/reports/unread/exceptions", response_model=UnreadReport,
             responses=problem_responses(401, 403))
async def open_missing_read_exceptions(session: SessionDep, who: Tech, cycle: str,
                                       period_start: BizDate, period_end: BizDate) -> UnreadReport:
    """At cycle time: open a `missing` exception for every unread meter of the cycle."""
    return await service.unread_report(session, who, cycle, period_start, period_end, True)


@router.get("/awaiting-meter", response_model=list[HeldRead],
            responses=problem_responses(401, 403))
async def awaiting_meter(session: SessionDep, _: Tech) -> list[HeldRead]:
    """Route-file reads kept for a meter serial billing's copy has not heard of yet; each is
    recorded and judged when the meter's `accounts.MeterChanged` arrives."""
    return await service.held_for_serials(session)


@router.get("/thresholds", response_model=ThresholdsIO, responses=problem_responses(401, 403))
async def get_thresholds(session: SessionDep, _: Tech) -> ThresholdsIO:
    """Validation thresholds in force."""
    return await service.thresholds_in_force(session)


@router.put("/thresholds", response_model=ThresholdsIO,
            responses=problem_responses(401, 403, 422))
async def put_thresholds(body: ThresholdsIO, session: SessionDep,
                         who: Annotated[Principal, Depends(require_roles("supervisor"))]
                         ) -> ThresholdsIO:
    """Change the validation thresholds (supervisors)."""
    return await service.set_thresholds(session, who, body)


@router.get("/ami/{meter_id}/daily", response_model=list[AmiDay],
            responses=problem_responses(401, 403, 404))
async def ami_daily(meter_id: uuid.UUID, session: SessionDep, _: Reader,
                    start: Annotated[BizDate, Query()],
                    end: Annotated[BizDate, Query()]) -> list[AmiDay]:
    """Daily use of an AMI meter, summed from its hourly intervals."""
    return await service.ami_daily(session, meter_id, start, end)


@router.get("/{read_id}", response_model=ReadOut, responses=problem_responses(401, 403, 404))
async def get_read(read_id: uuid.UUID, session: SessionDep, _: Reader) -> ReadOut:
    """One read with its validation exceptions."""
    return await service.read_out(session, read_id)
