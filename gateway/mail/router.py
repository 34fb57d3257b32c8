"""The development inbox: what demo mode would have mailed, for staff and demo visitors."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from gateway.mail import service
from gateway.mail.schemas import DevMailOut
from kernel.auth import principal_from_request
from kernel.errors import problem_responses
from kernel.settings import get_settings

router = APIRouter(prefix="/api/mail", tags=["mail"])


@router.get("/dev-inbox", response_model=list[DevMailOut], responses=problem_responses(403, 404))
async def dev_inbox(request: Request, response: Response) -> list[DevMailOut]:
    """Messages kept in the development inbox, newest first (demo mode without an SMTP
    server only; 404 otherwise)."""
    response.headers["Cache-Control"] = "no-store"
    return service.inbox(get_settings(), principal_from_request(request))
