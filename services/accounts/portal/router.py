"""Registration proofs, asked by the gateway (portal identity) with its own system token.

A POST, so the account number and the bill fact travel in the body, never in a URL or a log.
Customers and staff cannot call it: it would let anyone test guesses without the gateway's
rate limits.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from kernel.auth import Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.accounts.portal import service
from services.accounts.portal.schemas import ProofIn, ProofOut

router = APIRouter(prefix="/api/accounts/portal", tags=["accounts-portal"], route_class=TxRoute)
System = Annotated[Principal, Depends(require_roles("system"))]


@router.post("/proofs", response_model=ProofOut, responses=problem_responses(401, 403, 404, 422))
async def check_proof(body: ProofIn, session: SessionDep, _: System) -> ProofOut:
    """The account an account number and a bill fact (last bill amount or service ZIP) name;
    404 when they name none."""
    return await service.check_proof(session, body)
