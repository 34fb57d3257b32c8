"""Bill runs: preview a cycle, review flagged bills, prepare, approve (not the preparer),
finalise (ledger + `billing.BillIssued`); cancel-and-rebill a final bill."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.csvexport import CSV_RESPONSE, CsvExport
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.billing.runs import service
from services.billing.runs.schemas import (
    AccountRunIn,
    Hold,
    RebillIn,
    ReviewThresholdsIO,
    RunBill,
    RunIn,
    RunKind,
    RunOut,
    RunStatus,
)

router = APIRouter(prefix="/api/billing/runs", tags=["billing-runs"], route_class=TxRoute)
Tech = Annotated[Principal, Depends(require_roles("billing_tech", "supervisor"))]
Supervisor = Annotated[Principal, Depends(require_roles("supervisor"))]


@router.post("", response_model=RunOut, status_code=201,
             responses=problem_responses(401, 403, 409, 422))
async def create_run(body: RunIn, session: SessionDep, who: Tech) -> RunOut:
    """Calculate every bill of a cycle for a period (preview; nothing is posted yet)."""
    return await service.create(session, who, body.cycle, body.period_start, body.period_end,
                                body.bill_date or utility_today(), body.messages)


@router.get("", response_model=list[RunOut],
            responses={**problem_responses(401, 403), **CSV_RESPONSE})
async def list_runs(
    session: SessionDep, _: Tech, csv: CsvExport,
    status: Annotated[RunStatus | None, Query(description="e.g. `preview` for the worklist")]
    = None,
    kind: Annotated[RunKind | None, Query(description="`closing` for finals")] = None,
    account_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[RunOut] | Response:
    """Runs newest first: the review worklist (`status=preview`, `status=prepared`) and the
    customer finals waiting for approval (`kind=closing`). `?format=csv`: all of them."""
    if csv:
        return csv.respond(service.runs_export(status, kind, account_id))
    return await service.list_runs(session, status, kind, account_id, limit)


@router.post("/accounts/{account_id}", response_model=RunOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def create_account_run(account_id: uuid.UUID, body: AccountRunIn, session: SessionDep,
                             who: Tech) -> RunOut:
    """Bill one account for a period no bill covers yet (e.g. one held out of its cycle run)."""
    return await service.account_run(session, who, account_id, body.period_start,
                                     body.period_end, body.bill_date or utility_today())


@router.get("/{run_id}", response_model=RunOut, responses=problem_responses(401, 403, 404))
async def get_run(run_id: uuid.UUID, session: SessionDep, _: Tech) -> RunOut:
    """A run with its totals and how many bills carry each review flag."""
    return await service.run_out(session, run_id)


@router.get("/{run_id}/bills", response_model=list[RunBill],
            responses={**problem_responses(401, 403), **CSV_RESPONSE})
async def run_bills(run_id: uuid.UUID, session: SessionDep, _: Tech, csv: CsvExport,
                    flagged: bool = False,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0
                    ) -> list[RunBill] | Response:
    """The run's bills (only flagged ones with `flagged=true`); `?format=csv`: all of them."""
    if csv:
        return csv.respond(service.run_bills_export(run_id, flagged))
    return await service.run_bills(session, run_id, flagged, limit, offset)


@router.post("/{run_id}/recalculate", response_model=RunOut,
             responses=problem_responses(401, 403, 404, 409))
async def recalculate_run(run_id: uuid.UUID, session: SessionDep, who: Tech) -> RunOut:
    """Calculate again after exceptions were worked (preview only)."""
    return await service.recalculate(session, who, run_id)


@router.post("/{run_id}/bills/{bill_id}/hold", response_model=RunOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def hold_bill(run_id: uuid.UUID, bill_id: uuid.UUID, body: Hold, session: SessionDep,
                    who: Tech) -> RunOut:
    """Leave one bill out of this run (it is not finalised)."""
    return await service.hold(session, who, run_id, bill_id, body.reason)


@router.post("/{run_id}/prepare", response_model=RunOut,
             responses=problem_responses(401, 403, 404, 409))
async def prepare_run(run_id: uuid.UUID, session: SessionDep, who: Tech) -> RunOut:
    """The billing technician has reviewed the preview and submits it for approval."""
    return await service.prepare(session, who, run_id)


@router.post("/{run_id}/reopen", response_model=RunOut,
             responses=problem_responses(401, 403, 404, 409))
async def reopen_run(run_id: uuid.UUID, session: SessionDep, who: Tech) -> RunOut:
    """Send a prepared run back to preview."""
    return await service.reopen(session, who, run_id)


@router.post("/{run_id}/approve", response_model=RunOut,
             responses=problem_responses(401, 403, 404, 409))
async def approve_run(run_id: uuid.UUID, session: SessionDep, who: Supervisor) -> RunOut:
    """A supervisor approves a prepared run; never the one who prepared it."""
    return await service.approve(session, who, run_id)


@router.post("/{run_id}/finalise", response_model=RunOut,
             responses=problem_responses(401, 403, 404, 409))
async def finalise_run(run_id: uuid.UUID, session: SessionDep, who: Supervisor) -> RunOut:
    """Post every bill to the ledger and announce it (`billing.BillIssued`, and
    `billing.EBillReady` for paperless accounts)."""
    return await service.finalise(session, who, run_id)


@router.post("/{run_id}/discard", response_model=RunOut,
             responses=problem_responses(401, 403, 404, 409))
async def discard_run(run_id: uuid.UUID, session: SessionDep, who: Tech) -> RunOut:
    """Abandon a run before approval."""
    return await service.discard(session, who, run_id)


@router.post("/rebill/{bill_id}", response_model=RunOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def cancel_and_rebill(bill_id: uuid.UUID, body: RebillIn, session: SessionDep,
                            who: Tech) -> RunOut:
    """Recalculate a final bill's period in a one-account run; finalising that run cancels
    the old bill (reversing ledger entry, `billing.BillCancelled`) and issues the new one."""
    return await service.cancel_and_rebill(session, who, bill_id, body.reason,
                                           utility_today())


@router.get("/config/thresholds", response_model=ReviewThresholdsIO,
            responses=problem_responses(401, 403))
async def get_review_thresholds(session: SessionDep, _: Tech) -> ReviewThresholdsIO:
    """Review flags in force (total over, change from last bill) and the due-date offset."""
    return await service.review_thresholds_in_force(session)


@router.put("/config/thresholds", response_model=ReviewThresholdsIO,
            responses=problem_responses(401, 403, 422))
async def put_review_thresholds(body: ReviewThresholdsIO, session: SessionDep,
                                who: Supervisor) -> ReviewThresholdsIO:
    """Change the review thresholds."""
    return await service.set_review_thresholds(session, who, body)
