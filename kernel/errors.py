"""RFC 9457 problem details: every error a client sees is machine-readable and never a 500.

Domain code raises a `Problem` subclass; the handlers here turn it, validation errors, HTTP errors
and database constraint violations into `application/problem+json`.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("tapline.errors")

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://tapline.dev/problems/"


class FieldError(BaseModel):
    field: str
    message: str


class ProblemBody(BaseModel):
    """The problem document; `errors` names each offending field."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    code: str | None = None
    errors: list[FieldError] | None = None
    request_id: str | None = None


class Problem(Exception):
    """A business rule said no. Subclasses set status, code and title."""

    status: int = 400
    code: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        field: str | None = None,
        errors: list[FieldError] | None = None,
        commit: bool = False,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        #: The refusal is itself a fact to keep (a failed login, a revoked token family):
        #: the request's transaction commits instead of rolling back.
        self.commit = commit
        self.errors = errors or ([FieldError(field=field, message=detail or self.title)]
                                 if field else None)
        self.extra = extra


class NotFound(Problem):
    status, code, title = 404, "not-found", "Not found"


class Conflict(Problem):
    status, code, title = 409, "conflict", "Conflict"


class Unprocessable(Problem):
    status, code, title = 422, "unprocessable", "Unprocessable content"


class Unauthorized(Problem):
    status, code, title = 401, "unauthorized", "Not authenticated"


class Forbidden(Problem):
    status, code, title = 403, "forbidden", "Not allowed"


class TooManyRequests(Problem):
    status, code, title = 429, "too-many-requests", "Too many requests"


class BadGateway(Problem):
    status, code, title = 502, "bad-gateway", "Upstream service unavailable"


class GatewayTimeout(Problem):
    status, code, title = 504, "gateway-timeout", "Upstream service timed out"


def problem_response(
    request: Request | None,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": title,
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = [e.model_dump() for e in errors]
    if request is not None:
        body["instance"] = request.url.path
        rid = getattr(request.state, "request_id", None)
        if rid:
            body["request_id"] = rid
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _loc(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entry so each endpoint documents its problem statuses."""
    return {
        c: {"model": ProblemBody, "content": {PROBLEM_JSON: {}}, "description": "Problem"}
        for c in codes
    }


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(
            request, exc.status, exc.code, exc.title, exc.detail, exc.errors, headers, **exc.extra
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [FieldError(field=_loc(e.get("loc", ())), message=str(e.get("msg")))
                  for e in exc.errors()]
        return problem_response(
            request, 422, "validation", "Invalid input",
            "; ".join(f"{e.field}: {e.message}" for e in errors)[:500], errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # an unparseable body: same answer as any invalid input
            return problem_response(request, 422, "validation", "Invalid input",
                                    str(exc.detail) if exc.detail else None)
        code = {404: "not-found", 405: "method-not-allowed", 401: "unauthorized",
                403: "forbidden"}.get(exc.status_code, "http-error")
        return problem_response(
            request, exc.status_code, code, str(exc.detail) if exc.detail else code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        cause = getattr(exc.orig, "__cause__", None)
        constraint = getattr(cause, "constraint_name", None)
        detail = f"constraint {constraint}" if constraint else None
        if getattr(cause, "sqlstate", "") in ("23505", "23P01"):  # unique, exclusion: it exists
            return problem_response(request, 409, "constraint", "Conflicts with existing data",
                                    detail)
        # check, foreign key, not null: the input breaks a rule of the data
        return problem_response(request, 422, "constraint", "Breaks a rule of the data", detail)

    @app.exception_handler(DBAPIError)
    async def _dbapi(request: Request, exc: DBAPIError) -> JSONResponse:
        sqlstate = getattr(getattr(exc.orig, "__cause__", None), "sqlstate", None) or ""
        if sqlstate.startswith("22"):  # data exception: out of range, bad format
            return problem_response(request, 422, "invalid-value", "A value is out of range")
        if sqlstate in ("40001", "40P01", "55P03"):
            return problem_response(
                request, 409, "retry", "Concurrent update; retry the request",
                headers={"Retry-After": "1"},
            )
        log.exception("database error")
        return problem_response(request, 503, "database", "Database unavailable")

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return problem_response(request, 500, "internal", "Internal error")
