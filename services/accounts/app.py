"""The accounts service process: its feature routers, the event handlers it consumes and the
reactions to the facts its use cases record."""

from __future__ import annotations

from fastapi import FastAPI

from kernel.app import create_service_app
from kernel.inbox import Handlers
from kernel.reactions import Reactions, announcing
from services.accounts.agreements.reactions import reactions as agreement_reactions
from services.accounts.agreements.router import router as agreements_router
from services.accounts.backflow.router import router as backflow_router
from services.accounts.contacts.reactions import reactions as letters
from services.accounts.contacts.router import router as contacts_router
from services.accounts.customers.router import accounts_router
from services.accounts.customers.router import router as customers_router
from services.accounts.deposits.handlers import handlers as deposit_handlers
from services.accounts.deposits.router import router as deposits_router
from services.accounts.meters.router import router as meters_router
from services.accounts.notifications import sender
from services.accounts.notifications.handlers import handlers as notification_handlers
from services.accounts.notifications.reactions import reactions as notifications
from services.accounts.notifications.router import router as notifications_router
from services.accounts.orders.handlers import handlers as order_handlers
from services.accounts.orders.router import router as orders_router
from services.accounts.portal.handlers import handlers as portal_handlers
from services.accounts.portal.router import router as portal_router
from services.accounts.premises.router import router as premises_router
from services.accounts.rebates.reactions import reactions as rebate_letters  # rebates (issue 15)
from services.accounts.rebates.router import router as rebates_router  # rebates (issue 15)
from services.accounts.reports.router import router as reports_router
from services.accounts.requests.router import router as requests_router
from services.accounts.search.reactions import reactions as search_reactions
from services.accounts.search.router import router as search_router

NAME = "accounts"

ROUTERS = [
    search_router, customers_router, accounts_router, premises_router, meters_router,
    backflow_router, agreements_router, orders_router, deposits_router, contacts_router,
    portal_router, requests_router, notifications_router,
    reports_router,  # reports (issue 15)
    rebates_router,  # rebates (issue 15)
]


def handlers() -> Handlers:
    return (Handlers().merge(order_handlers).merge(deposit_handlers)
            .merge(portal_handlers).merge(notification_handlers))


def reactions() -> Reactions:
    """What follows from the facts the use cases record, in this order each round: agreements'
    follow-ups (which record facts of their own), search, letters, notifications, then the
    outbox."""
    return (Reactions().merge(agreement_reactions).merge(search_reactions).merge(letters)
            .merge(rebate_letters).merge(notifications).merge(announcing()))


def create_app() -> FastAPI:
    return create_service_app(
        NAME, routers=ROUTERS, handlers=handlers(), reactions=reactions(),
        background=[sender.run],
        description="Customers, premises, meters, backflow devices, accounts, service "
        "agreements, service orders, deposits, contacts and search.",
    )
