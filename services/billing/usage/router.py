"""Usage for customers and the staff who help them: AMI series, last year, projection, leak
alerts, alert preferences, Green Button. Every account route is customer-checked (404)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.billing.common import BizDate
from services.billing.usage import service
from services.billing.usage.schemas import (
    AlertPreferences,
    AlertPreferencesOut,
    Comparison,
    DailySeries,
    DetectResult,
    HourlySeries,
    LeakAlert,
    LeakRulesIO,
    Projection,
    UsageMeter,
)

router = APIRouter(prefix="/api/billing/usage", tags=["billing-usage"], route_class=TxRoute)
Viewer = Annotated[Principal, Depends(require_roles("customer", "csr1", "csr2", "billing_tech",
                                                    "supervisor"))]
Chooser = Annotated[Principal, Depends(require_roles("customer", "csr1", "csr2", "supervisor"))]
Tech = Annotated[Principal, Depends(require_roles("billing_tech", "supervisor"))]
#: Leak detection: a technician, or the nightly update (`kernel/servicetoken.py`).
Detector = Annotated[Principal, Depends(require_roles("billing_tech", "supervisor", "system"))]
MeterQ = Annotated[uuid.UUID | None, Query(description="one of the account's meters (default: "
                                                       "its water meter with AMI data)")]
Start = Annotated[BizDate, Query()]
End = Annotated[BizDate, Query()]
R = problem_responses(401, 403, 404, 422)


@router.get("/accounts/{account_id}/meters", response_model=list[UsageMeter], responses=R)
async def account_meters(account_id: uuid.UUID, session: SessionDep,
                         who: Viewer) -> list[UsageMeter]:
    """The meters the account holds or held, with the dates it held each."""
    return await service.meters(session, who, account_id)


@router.get("/accounts/{account_id}/daily", response_model=DailySeries, responses=R)
async def daily_use(account_id: uuid.UUID, session: SessionDep, who: Viewer, start: Start,
                    end: End, meter_id: MeterQ = None) -> DailySeries:
    """Gallons a day over [start, end] (at most 400 days), only days the account held it."""
    return await service.daily(session, who, account_id, meter_id, start, end)


@router.get("/accounts/{account_id}/hourly", response_model=HourlySeries, responses=R)
async def hourly_use(account_id: uuid.UUID, session: SessionDep, who: Viewer, start: Start,
                     end: End, meter_id: MeterQ = None) -> HourlySeries:
    """Gallons an hour over [start, end]: one row per day of 24 local hours."""
    return await service.hourly(session, who, account_id, meter_id, start, end)


@router.get("/accounts/{account_id}/comparison", response_model=Comparison, responses=R)
async def compare_last_year(account_id: uuid.UUID, session: SessionDep, who: Viewer,
                            start: Annotated[BizDate | None, Query()] = None,
                            end: Annotated[BizDate | None, Query()] = None,
                            meter_id: MeterQ = None) -> Comparison:
    """This period (default: the current bill period so far) against the same days last year."""
    return await service.comparison(session, who, account_id, meter_id, start, end,
                                    utility_today())


@router.get("/accounts/{account_id}/projection", response_model=Projection, responses=R)
async def bill_projection(account_id: uuid.UUID, session: SessionDep,
                          who: Viewer) -> Projection:
    """The current period's bill projected from its AMI use so far, by the account's rates."""
    return await service.projection(session, who, account_id, utility_today())


@router.get("/accounts/{account_id}/leaks", response_model=list[LeakAlert], responses=R)
async def leak_alerts(account_id: uuid.UUID, session: SessionDep, who: Viewer,
                      status: Literal["open", "ended"] | None = None,
                      limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[LeakAlert]:
    """Suspected leaks, newest first, each with the hours that triggered it."""
    return await service.alerts(session, who, account_id, status, limit)


@router.get("/accounts/{account_id}/alert-preferences", response_model=AlertPreferencesOut,
            responses=R)
async def get_alert_preferences(account_id: uuid.UUID, session: SessionDep,
                                who: Viewer) -> AlertPreferencesOut:
    """How the account hears of suspected leaks (defaults until saved)."""
    return await service.preferences(session, who, account_id)


@router.put("/accounts/{account_id}/alert-preferences", response_model=AlertPreferencesOut,
            responses=R)
async def put_alert_preferences(account_id: uuid.UUID, body: AlertPreferences,
                                session: SessionDep, who: Chooser) -> AlertPreferencesOut:
    """Choose e-mail and/or text, and which kinds of leak to hear of."""
    return await service.set_preferences(session, who, account_id, body)


_XML: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/atom+xml": {}}, "description": "ESPI Atom feed"}}
_CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "one row per measured hour"}}


@router.get("/accounts/{account_id}/green-button.xml", response_class=Response,
            responses={**R, **_XML})
async def green_button_xml(account_id: uuid.UUID, request: Request, session: SessionDep,
                           who: Viewer, start: Start, end: End,
                           meter_id: MeterQ = None) -> Response:
    """Green Button Download My Data: ESPI (UsagePoint, MeterReading, ReadingType,
    IntervalBlock per day) of hourly water use."""
    body = await service.green_button_xml(session, who, account_id, meter_id, start, end,
                                          str(request.base_url))
    return Response(body, media_type="application/atom+xml", headers={
        "Content-Disposition": f'attachment; filename="green-button-{start}-{end}.xml"'})


@router.get("/accounts/{account_id}/green-button.csv", response_class=Response,
            responses={**R, **_CSV})
async def green_button_csv(account_id: uuid.UUID, session: SessionDep, who: Viewer,
                           start: Start, end: End, meter_id: MeterQ = None) -> Response:
    """Green Button Download My Data as CSV."""
    body = await service.green_button_csv(session, who, account_id, meter_id, start, end)
    return Response(body, media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="green-button-{start}-{end}.csv"'})


@router.post("/leaks/detect", response_model=DetectResult,
             responses=problem_responses(401, 403, 422))
async def detect_leaks(session: SessionDep, who: Detector,
                       day: Annotated[BizDate, Query()]) -> DetectResult:
    """Look for leaks in one day's AMI data (what the nightly job does); safe to repeat."""
    return await service.detect(session, who, day, utility_today())


@router.get("/leak-rules", response_model=LeakRulesIO, responses=problem_responses(401, 403))
async def get_leak_rules(session: SessionDep, _: Tech) -> LeakRulesIO:
    """Leak thresholds in force."""
    return await service.leak_rules(session)


@router.put("/leak-rules", response_model=LeakRulesIO,
            responses=problem_responses(401, 403, 422))
async def put_leak_rules(body: LeakRulesIO, session: SessionDep,
                         who: Annotated[Principal, Depends(require_roles("supervisor"))]
                         ) -> LeakRulesIO:
    """Change the leak thresholds (supervisors)."""
    return await service.set_leak_rules(session, who, body)
