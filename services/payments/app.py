"""The payments service process: the counter (cash drawers), mail check batches, receipts, and
the copy of accounts and billing data its decisions rest on, and the configured processor's
webhooks."""

from __future__ import annotations

from fastapi import FastAPI

from kernel.app import create_service_app
from kernel.inbox import Handlers
from kernel.settings import get_settings
from services.payments.batches.router import router as batches_router
from services.payments.copy.handlers import handlers as copy_handlers
from services.payments.copy.router import router as copy_router
from services.payments.counter.router import router as counter_router
from services.payments.lockbox.router import router as lockbox_router
from services.payments.processors.configured import from_settings
from services.payments.receipts.router import router as receipts_router
from services.payments.returns.router import router as returns_router
from services.payments.webhooks.router import router as webhooks_router

NAME = "payments"


def handlers() -> Handlers:
    return Handlers().merge(copy_handlers)


def create_app() -> FastAPI:
    app = create_service_app(
        NAME,
        routers=[copy_router, counter_router, batches_router, receipts_router,
                 lockbox_router, webhooks_router, returns_router],
        handlers=handlers(),
    )
    app.state.processor = from_settings(get_settings())
    return app
