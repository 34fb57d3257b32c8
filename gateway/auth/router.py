"""Login (OAuth2 password flow), token refresh, logout, the caller's profile, user admin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from gateway.auth import cookies, service
from gateway.auth.cookies import SessionHeader
from gateway.auth.schemas import (
    Me,
    RefreshRequest,
    RoleAuthority,
    TokenResponse,
    UserCreate,
    UserOut,
    UserUpdate,
)
from gateway.portal import service as portal_service
from kernel.auth import CurrentUser, Principal, authority, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from kernel.settings import ROLES, get_settings

router = APIRouter(prefix="/api/auth", tags=["auth"], route_class=TxRoute)
Admin = Annotated[Principal, Depends(require_roles("admin"))]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/token", response_model=TokenResponse, responses=problem_responses(401, 422, 429))
async def login(
    request: Request,
    session: SessionDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    response: Response,
    kind: SessionHeader = None,
) -> TokenResponse:
    """Log in with username and password; returns a short-lived access token and a refresh
    token (in the app's HttpOnly cookie when `X-Tapline-Session` is sent). Repeated failures
    for a username or from an address are refused for a while."""
    response.headers["Cache-Control"] = "no-store"
    settings = get_settings()
    user = await service.authenticate(session, settings, form.username, form.password,
                                      client_ip(request))
    if user.role == "customer":
        # A login made by portal registration signs in through the portal, which asks for its
        # second factor and its verified e-mail: this form is no way around them.
        await portal_service.refuse_password_only(session, user.id)
    tokens = await service.issue_tokens(session, settings, user,
                                        replaces=cookies.replaced(request, kind))
    return cookies.deliver(tokens, request, response, settings, kind)


@router.post("/refresh", response_model=TokenResponse, responses=problem_responses(401, 422))
async def refresh(request: Request, session: SessionDep, response: Response,
                  body: RefreshRequest | None = None, kind: SessionHeader = None
                  ) -> TokenResponse:
    """Trade a refresh token for new tokens; each refresh token works once (rotation). A
    browser app sends `X-Tapline-Session` and its cookie, no body; other clients the body."""
    response.headers["Cache-Control"] = "no-store"
    settings = get_settings()
    token = cookies.required(cookies.presented(request, kind, body.refresh_token if body else None))
    tokens = await service.refresh(session, settings, token)
    return cookies.deliver(tokens, request, response, settings, kind)


@router.post("/logout", status_code=204, responses=problem_responses(422))
async def logout(request: Request, session: SessionDep, body: RefreshRequest | None = None,
                 kind: SessionHeader = None) -> Response:
    """End a session: the refresh token and every token rotated from it stop working (and a
    browser app's cookie is cleared)."""
    token = cookies.presented(request, kind, body.refresh_token if body else None)
    if token is not None:
        await service.logout(session, token)
    answer = Response(status_code=204)
    if kind is not None:
        cookies.forget(answer, request, get_settings(), kind)
    return answer


@router.get("/me", response_model=Me, responses=problem_responses(401))
async def me(who: CurrentUser) -> Me:
    """Who the token belongs to, and their dollar authority."""
    return Me(username=who.sub, role=who.role, name=who.name, authority=authority(who.role),
              accounts=list(who.accounts))


@router.get("/roles", response_model=list[RoleAuthority], responses=problem_responses(401))
async def roles(_: CurrentUser) -> list[RoleAuthority]:
    """Each role's configured dollar authority for adjustments and waivers."""
    return [RoleAuthority(role=r, authority=authority(r)) for r in ROLES]


@router.get("/users", response_model=list[UserOut], responses=problem_responses(401, 403))
async def list_users(session: SessionDep, _: Admin) -> list[UserOut]:
    """All users (administrators only)."""
    return await service.list_users(session)


@router.post("/users", response_model=UserOut, status_code=201,
             responses=problem_responses(401, 403, 409, 422))
async def create_user(body: UserCreate, session: SessionDep, who: Admin) -> UserOut:
    """Create a staff or portal user (administrators only)."""
    return await service.create_user(session, who, body)


@router.patch("/users/{username}", response_model=UserOut,
              responses=problem_responses(401, 403, 404, 422))
async def update_user(username: str, body: UserUpdate, session: SessionDep,
                      who: Admin) -> UserOut:
    """Change a user's role, name, password or active flag; their sessions end."""
    return await service.update_user(session, who, username, body)
