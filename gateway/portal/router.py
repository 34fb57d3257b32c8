"""Portal identity: register, confirm the e-mail, sign in (with a second factor), reset the
password, link more accounts; and the CSR's help (resend a confirmation, unlock a login).

Every customer fact travels in a JSON body; the only ids in paths are staff's login ids.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Request, Response

from gateway.auth import cookies
from gateway.auth.cookies import SessionHeader
from gateway.auth.router import client_ip
from gateway.auth.schemas import TokenResponse
from gateway.portal import service
from gateway.portal.schemas import (
    Accepted,
    AccountProof,
    EmailIn,
    PortalLoginIn,
    PortalLoginOut,
    Profile,
    RegisterIn,
    ResetIn,
    SecondFactorOff,
    TokenIn,
    TotpCode,
    TotpDisable,
    TotpSetup,
    Verified,
)
from kernel.auth import Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from kernel.settings import get_settings

router = APIRouter(prefix="/api/portal", tags=["portal"], route_class=TxRoute)
Customer = Annotated[Principal, Depends(require_roles("customer"))]
Csr = Annotated[Principal, Depends(require_roles("csr1", "csr2", "supervisor", "admin"))]


def _accounts(request: Request) -> httpx.AsyncClient:
    return request.app.state.upstreams.client("accounts")  # type: ignore[no-any-return]


def _no_store(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"


@router.post("/register", response_model=Accepted, status_code=202,
             responses=problem_responses(422, 429, 502, 503))
async def register(body: RegisterIn, request: Request, session: SessionDep) -> Accepted:
    """Register with an e-mail, a password, and an account number plus one fact from its bill
    (`last_bill_amount` or `service_zip`). The e-mail gets a link to confirm it; the answer is
    the same whether or not the address already has a login."""
    return await service.register(session, get_settings(), _accounts(request), body,
                                  client_ip(request))


@router.post("/verify", response_model=Verified, responses=problem_responses(422))
async def verify(body: TokenIn, session: SessionDep) -> Verified:
    """Confirm the e-mail with the token of the mailed link (`/portal/verify#token=…`)."""
    return await service.verify(session, body.token)


@router.post("/verify/resend", response_model=Accepted, status_code=202,
             responses=problem_responses(422, 429, 503))
async def resend_verification(body: EmailIn, request: Request, session: SessionDep) -> Accepted:
    """Mail a new confirmation link to a login still waiting for one."""
    return await service.resend(session, get_settings(), body, client_ip(request))


@router.post("/login", response_model=TokenResponse,
             responses=problem_responses(401, 403, 422, 429))
async def login(body: PortalLoginIn, request: Request, session: SessionDep,
                response: Response, kind: SessionHeader = None) -> TokenResponse:
    """Sign in with e-mail and password; a login with a second factor answers 401
    `totp-required` until `totp_code` is sent too. An unconfirmed e-mail answers 403
    `email-unverified`. Tokens as `/api/auth/token`'s (refresh at `/api/auth/refresh`; the
    portal sends `X-Tapline-Session: portal` and keeps its refresh token in the cookie)."""
    _no_store(response)
    settings = get_settings()
    tokens = await service.login(session, settings, body, client_ip(request))
    return cookies.deliver(tokens, request, response, settings, kind)


@router.post("/password/forgot", response_model=Accepted, status_code=202,
             responses=problem_responses(422, 429, 503))
async def forgot_password(body: EmailIn, request: Request, session: SessionDep) -> Accepted:
    """Mail a link to choose a new password (the answer does not say whether one was sent)."""
    return await service.forgot(session, get_settings(), body, client_ip(request))


@router.post("/password/reset", status_code=204, responses=problem_responses(422))
async def reset_password(body: ResetIn, session: SessionDep) -> Response:
    """Choose a new password with the token of the mailed link; every session ends."""
    await service.reset(session, body)
    return Response(status_code=204)


@router.get("/profile", response_model=Profile, responses=problem_responses(401, 403, 404))
async def profile(session: SessionDep, who: Customer) -> Profile:
    """The signed-in customer's login: e-mail, confirmed, second factor, accounts."""
    return await service.profile(session, who)


@router.post("/totp/setup", response_model=TotpSetup,
             responses=problem_responses(401, 403, 404, 409))
async def totp_setup(session: SessionDep, who: Customer, response: Response) -> TotpSetup:
    """Start a second factor: a new secret for an authenticator app, shown this once."""
    _no_store(response)
    return await service.totp_setup(session, get_settings(), who)


@router.post("/totp/enable", response_model=Profile,
             responses=problem_responses(401, 403, 404, 409, 422))
async def totp_enable(body: TotpCode, session: SessionDep, who: Customer) -> Profile:
    """Turn the second factor on with a code the app shows for the new secret."""
    return await service.totp_enable(session, get_settings(), who, body.code)


@router.post("/totp/disable", response_model=Profile,
             responses=problem_responses(401, 403, 404, 409, 422))
async def totp_disable(body: TotpDisable, session: SessionDep, who: Customer) -> Profile:
    """Turn the second factor off (the password and a current code)."""
    return await service.totp_disable(session, get_settings(), who, body)


@router.post("/accounts", response_model=TokenResponse,
             responses=problem_responses(401, 403, 404, 422, 429, 502))
async def link_account(body: AccountProof, request: Request, session: SessionDep,
                       who: Customer, response: Response,
                       kind: SessionHeader = None) -> TokenResponse:
    """Add another account to this login with the same proof as registration; the new tokens
    name every account of the login."""
    _no_store(response)
    settings = get_settings()
    tokens = await service.link_account(session, settings, _accounts(request), who, body,
                                        client_ip(request))
    return cookies.deliver(tokens, request, response, settings, kind)


@router.get("/logins", response_model=list[PortalLoginOut],
            responses=problem_responses(401, 403, 422))
async def logins_for_account(account_id: uuid.UUID, session: SessionDep,
                             _: Csr) -> list[PortalLoginOut]:
    """Staff: the portal logins that reach an account, with whether each is locked."""
    return await service.logins_for_account(session, get_settings(), account_id)


@router.post("/logins/{login_id}/resend-verification", response_model=PortalLoginOut,
             responses=problem_responses(401, 403, 404, 409, 503))
async def staff_resend_verification(login_id: uuid.UUID, session: SessionDep,
                                    who: Csr) -> PortalLoginOut:
    """Staff: mail the login a new confirmation link (to its own address)."""
    return await service.resend_for(session, get_settings(), who, login_id)


@router.post("/logins/{login_id}/unlock", response_model=PortalLoginOut,
             responses=problem_responses(401, 403, 404))
async def staff_unlock(login_id: uuid.UUID, session: SessionDep, who: Csr) -> PortalLoginOut:
    """Staff: end a login's lock-out after too many failed sign-ins."""
    return await service.unlock(session, get_settings(), who, login_id)


@router.post("/logins/{login_id}/second-factor/off", response_model=PortalLoginOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def staff_second_factor_off(login_id: uuid.UUID, body: SecondFactorOff,
                                  session: SessionDep, who: Csr) -> PortalLoginOut:
    """Staff: turn off the second factor of a customer who lost their authenticator app, after
    checking who is calling; the reason is kept in the audit trail."""
    return await service.second_factor_off(session, get_settings(), who, login_id, body.reason)
