"""The delinquency policy in force and the SB 998 floors it was checked against."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from kernel.auth import Principal, require_roles
from kernel.db import TxRoute
from kernel.errors import problem_responses
from services.collections.policy import service
from services.collections.policy.schemas import PolicyOut

router = APIRouter(prefix="/api/collections", tags=["collections-policy"], route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor", "admin"))]


@router.get("/policy", response_model=PolicyOut, responses=problem_responses(401, 403))
async def delinquency_policy(_: Staff) -> PolicyOut:
    """The policy file in force, and each SB 998 floor with the policy's value."""
    return service.policy_out()
