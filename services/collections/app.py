"""The collections service process: its copy of accounts and billing data (fed by events,
rebuilt by replay), aging and the monthly aging report, and the delinquency policy checked
against SB 998's floors. The ladder, notices, arrangements and the guardrails build on these
(issue 10, docs/collections.md)."""

from __future__ import annotations

from fastapi import FastAPI

from kernel.app import create_service_app
from kernel.inbox import Handlers
from services.collections.aging.router import router as aging_router
from services.collections.arrangements.handlers import handlers as arrangement_handlers
from services.collections.arrangements.router import router as arrangements_router
from services.collections.closed.router import router as closed_router
from services.collections.copy.handlers import handlers as copy_handlers
from services.collections.copy.router import router as copy_router
from services.collections.daily.router import router as daily_router
from services.collections.field.handlers import handlers as field_handlers
from services.collections.field.router import router as field_router
from services.collections.guardrails.router import router as guardrails_router
from services.collections.ladder.handlers import handlers as ladder_handlers
from services.collections.ladder.router import router as ladder_router
from services.collections.latecharges.router import router as latecharges_router
from services.collections.liens.router import router as liens_router
from services.collections.notices.router import router as notices_router
from services.collections.policy import service as policy
from services.collections.policy.router import router as policy_router
from services.collections.protections.router import router as protections_router
from services.collections.reports.router import router as reports_router
from services.collections.worklists.handlers import handlers as worklist_handlers
from services.collections.worklists.router import router as worklists_router

NAME = "collections"


def handlers() -> Handlers:
    return (Handlers().merge(copy_handlers)
            # after the copy, so a credit is in the copy when it is applied
            .merge(arrangement_handlers).merge(worklist_handlers)
            .merge(field_handlers)
            .merge(ladder_handlers))  # the ladder marks the accounts whose entries changed


def create_app() -> FastAPI:
    policy.policy()  # a policy that breaks an SB 998 floor refuses to start, naming the rule
    routers = [copy_router, aging_router, policy_router, ladder_router, latecharges_router,
               daily_router, arrangements_router, worklists_router, notices_router]
    routers += [protections_router, guardrails_router, field_router]
    routers += [closed_router, liens_router]
    routers += [reports_router]  # reports (issue 15)
    return create_service_app(NAME, routers=routers, handlers=handlers())
