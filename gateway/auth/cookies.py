"""The browser's refresh token, in an HttpOnly cookie that no script on the page can read.

A browser app asks for it by sending `X-Tapline-Session: staff` (the staff app) or `portal` (the
customer portal) with a login, a refresh and a logout. Then the refresh token travels only in
the cookie of that app (`HttpOnly`, `SameSite=Strict`, `Path=/api/auth`, `Secure` when served
over https) and the JSON answer's `refresh_token` is null; the access token stays in the app's
memory. Each app has its own cookie, so a staff member who tries the portal in another tab does
not turn the staff session into a customer's.

CSRF: the cookie is read only when the request carries that custom header, which a form on
another site cannot send and a script on another site can send only after a CORS preflight the
gateway never grants; `SameSite=Strict` keeps the browser from sending the cookie on a request
another site starts at all. Clients that are not browsers (tools, tests, scripts) send no header
and keep the refresh token in the JSON body, as before.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Header, Request, Response

from gateway.auth.schemas import TokenResponse
from kernel.errors import Unauthorized, Unprocessable
from kernel.settings import Settings

SessionKind = Literal["staff", "portal"]
HEADER = "X-Tapline-Session"
PATH = "/api/auth"

#: The header a browser app sends to keep its refresh token in its cookie (absent: the JSON body).
SessionHeader = Annotated[SessionKind | None, Header(
    alias=HEADER,
    description="`staff` or `portal`: a browser app; the refresh token travels in that app's "
    "HttpOnly cookie, never in the body. Absent: the refresh token is in the JSON body.")]


def cookie_name(kind: SessionKind) -> str:
    return f"tapline_refresh_{kind}"


def _secure(request: Request, settings: Settings) -> bool:
    if settings.secure_cookies is not None:
        return settings.secure_cookies
    return request.url.scheme == "https"


def keep(response: Response, request: Request, settings: Settings, kind: SessionKind,
         refresh_token: str) -> None:
    """Set the app's refresh cookie; it lives as long as the refresh token does."""
    response.set_cookie(
        cookie_name(kind), refresh_token, max_age=settings.refresh_token_days * 86400,
        path=PATH, httponly=True, samesite="strict", secure=_secure(request, settings),
    )


def forget(response: Response, request: Request, settings: Settings, kind: SessionKind) -> None:
    response.delete_cookie(cookie_name(kind), path=PATH, httponly=True, samesite="strict",
                           secure=_secure(request, settings))


def deliver(tokens: TokenResponse, request: Request, response: Response, settings: Settings,
            kind: SessionKind | None) -> TokenResponse:
    """New tokens as the client asked: a browser app's refresh token into its cookie (the body
    says null), anyone else's in the body."""
    if kind is None or tokens.refresh_token is None:
        return tokens
    keep(response, request, settings, kind, tokens.refresh_token)
    return tokens.model_copy(update={"refresh_token": None})


def replaced(request: Request, kind: SessionKind | None) -> str | None:
    """The refresh token a new sign-in at `/api/auth/token` replaces (the cookie reaches only
    `/api/auth`): its session ends rather than live on unseen for the rest of its days. The
    portal signs in at `/api/portal/login`, where the cookie is not sent: a portal session a new
    sign-in overwrites is out of every script's reach and expires on its own."""
    return request.cookies.get(cookie_name(kind)) or None if kind is not None else None


def presented(request: Request, kind: SessionKind | None, body_token: str | None) -> str | None:
    """The refresh token a refresh or logout presents: a browser app's from its cookie (never
    from the body, so a script cannot hand in one it stole), anyone else's from the body."""
    if kind is not None:
        return request.cookies.get(cookie_name(kind)) or None
    if body_token is None:
        raise Unprocessable("refresh_token is required (or send X-Tapline-Session and the "
                            "session cookie)", field="refresh_token")
    return body_token


def required(token: str | None) -> str:
    if token is None:
        raise Unauthorized("No session cookie; please log in")
    return token
