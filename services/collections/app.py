"""The collections service process: its copy of accounts and billing data (fed by events,
rebuilt by replay), aging and the monthly aging report, and the delinquency policy checked
against SB 998's floors. The ladder, notices, arrangements and the guardrails build on these
(issue 10, docs/collections.md)."""

from __future__ import annotations

from fastapi import FastAPI

from kernel.app import create_service_app
from kernel.inbox import Handlers
from services.collections.aging.router import router as aging_router
from services.collections.closed.router import router as closed_router
from services.collections.copy.handlers import handlers as copy_handlers
from services.collections.copy.router import router as copy_router
from services.collections.liens.router import router as liens_router
from services.collections.notices.router import router as notices_router
from services.collections.policy import service as policy
from services.collections.policy.router import router as policy_router

NAME = "collections"


def handlers() -> Handlers:
    return Handlers().merge(copy_handlers)


def create_app() -> FastAPI:
    policy.policy()  # a policy that breaks an SB 998 floor refuses to start, naming the rule
    return create_service_app(NAME, routers=[copy_router, aging_router, policy_router,
                                       notices_router, closed_router, liens_router],
                              handlers=handlers())
