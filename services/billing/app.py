"""The billing service process: its feature routers and the event handlers it consumes."""

from __future__ import annotations

from fastapi import FastAPI

from kernel.app import create_service_app
from kernel.inbox import Handlers
from services.billing.adjustments.router import router as adjustments_router
from services.billing.appeals.router import router as appeals_router
from services.billing.bills.handlers import handlers as bills_handlers
from services.billing.bills.router import router as bills_router
from services.billing.bills.statement_router import router as statements_router
from services.billing.copy.handlers import handlers as copy_handlers
from services.billing.copy.router import router as copy_router
from services.billing.courtesy.router import router as courtesy_router
from services.billing.ledger.collections_closed import handlers as collections_closed_handlers
from services.billing.ledger.collections_field import handlers as collections_field_handlers
from services.billing.ledger.collections_latecharges import (
    handlers as collections_latecharges_handlers,
)
from services.billing.ledger.handlers import handlers as ledger_handlers
from services.billing.ledger.router import router as ledger_router
from services.billing.rates.router import router as rates_router
from services.billing.reads.handlers import handlers as reads_handlers
from services.billing.reads.router import router as reads_router
from services.billing.rebates.handlers import handlers as rebates_handlers  # rebates (issue 15)
from services.billing.reports.router import router as reports_router  # reports (issue 15)
from services.billing.runs.handlers import handlers as runs_handlers
from services.billing.runs.router import router as runs_router
from services.billing.usage.handlers import handlers as usage_handlers
from services.billing.usage.router import router as usage_router

NAME = "billing"


def handlers() -> Handlers:
    return (Handlers().merge(copy_handlers).merge(reads_handlers).merge(runs_handlers)
            .merge(ledger_handlers).merge(collections_latecharges_handlers)
            .merge(collections_field_handlers).merge(collections_closed_handlers)
            .merge(usage_handlers).merge(bills_handlers)
            .merge(rebates_handlers))  # rebates (issue 15)


def create_app() -> FastAPI:
    return create_service_app(
        NAME,
        routers=[copy_router, reads_router, rates_router, runs_router, bills_router,
                 ledger_router, adjustments_router, appeals_router, usage_router,
                 statements_router, reports_router, courtesy_router],
        handlers=handlers(),
    )
