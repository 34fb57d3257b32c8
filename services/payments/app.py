"""The payments service process: the counter (cash drawers), mail check batches, receipts, and
the copy of accounts and billing data its decisions rest on, and the configured processor's
webhooks."""

from __future__ import annotations

from fastapi import FastAPI

from kernel.app import create_service_app
from kernel.bodylimit import BodyLimit
from kernel.inbox import Handlers
from kernel.settings import get_settings
from kernel.sms.configured import from_settings as sms_from_settings
from services.payments.autopay.handlers import handlers as autopay_handlers
from services.payments.autopay.router import router as autopay_router
from services.payments.bankdeposits.router import router as bankdeposits_router
from services.payments.batches.router import router as batches_router
from services.payments.copy.handlers import handlers as copy_handlers
from services.payments.copy.router import router as copy_router
from services.payments.counter.router import router as counter_router
from services.payments.dayend.router import router as dayend_router
from services.payments.lockbox.router import router as lockbox_router
from services.payments.methods.router import router as methods_router
from services.payments.portal.router import router as portal_router
from services.payments.processors.configured import from_settings
from services.payments.processors.sandbox_pages import router as sandbox_pages_router
from services.payments.receipts.router import router as receipts_router
from services.payments.recurring.router import router as recurring_router
from services.payments.refunds.handlers import handlers as refunds_handlers
from services.payments.refunds.router import router as refunds_router
from services.payments.reports.router import router as reports_router
from services.payments.returns.router import router as returns_router
from services.payments.texttopay.handlers import handlers as texttopay_handlers
from services.payments.texttopay.router import router as texttopay_router
from services.payments.transfers.handlers import handlers as transfers_handlers
from services.payments.transfers.router import router as transfers_router
from services.payments.webhooks.fast import FastWebhooks
from services.payments.webhooks.router import router as webhooks_router

NAME = "payments"


def handlers() -> Handlers:
    # refunds after the copy: a deposit refund is sized on the balance the copy just took
    return (Handlers().merge(copy_handlers).merge(transfers_handlers).merge(refunds_handlers)
            .merge(texttopay_handlers).merge(autopay_handlers))


def create_app() -> FastAPI:
    app = create_service_app(
        NAME,
        routers=[copy_router, counter_router, batches_router, receipts_router,
                 lockbox_router, webhooks_router, returns_router, transfers_router,
                 refunds_router, texttopay_router, autopay_router,
                 # pay-portal: customer payments, saved methods, schedules, sandbox pages
                 portal_router, methods_router, recurring_router, sandbox_pages_router,
                 bankdeposits_router, dayend_router, reports_router],
        handlers=handlers(),
        body_limit=False,  # added below, outside the webhook fast path
    )
    app.state.processor = from_settings(get_settings())
    app.state.sms = sms_from_settings(get_settings())
    # the processor's usual deliveries answered ahead of FastAPI (webhooks/fast.py)
    app.add_middleware(FastWebhooks)
    # outside it, the body limit every app has (kernel/bodylimit.py): it reads bodies too
    app.add_middleware(BodyLimit, max_bytes=get_settings().max_request_bytes)
    return app
