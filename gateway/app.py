"""The gateway: login, one merged OpenAPI, health of the whole system, and routing to services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response as StarletteResponse
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from gateway.auth.router import router as auth_router
from gateway.fastpass import WebhookPassThrough
from gateway.health.router import router as health_router
from gateway.mail.router import router as mail_router
from gateway.openapi import MergedOpenAPI
from gateway.portal.router import router as portal_router
from gateway.proxy import Upstreams, forward
from kernel import servicetoken
from kernel.app import freeze_startup_objects, install_routing_rules, operation_id
from kernel.auth import principal_from_request
from kernel.bodylimit import BodyLimit
from kernel.db import Database
from kernel.errors import Forbidden, install_error_handlers
from kernel.keys import ensure_keys, signing_key
from kernel.logs import configure_logging
from kernel.openapi import install_problem_openapi
from kernel.settings import REPO_ROOT, get_settings, service_role

#: Every method goes on to the service, which answers a method a path lacks with 405 and the
#: path's own `Allow`; the gateway cannot know that better than the service does.
PROXY_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "QUERY"]
FRONTEND = REPO_ROOT / "frontend"


def create_app(transports: dict[str, httpx.AsyncBaseTransport] | None = None) -> FastAPI:
    settings = get_settings()
    ensure_keys(settings)
    signing_key(settings)  # refuse to start with a signing key the keyring would not verify
    db = Database(settings.role_dsn(service_role("gateway")), "gateway", settings,
                  "tapline-gateway")
    upstreams = Upstreams(settings, transports)
    relay_client = httpx.AsyncClient(base_url=settings.url_for("relay"),
                                     timeout=httpx.Timeout(3.0, connect=1.0))
    merged = MergedOpenAPI(upstreams)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("gateway", settings.log_level)
        freeze_startup_objects()
        try:
            yield
        finally:
            await upstreams.close()
            await relay_client.aclose()
            await db.dispose()

    app = FastAPI(
        title="Tapline API",
        version="0.1.0",
        description="Customer information and billing for water and wastewater utilities. "
        "Log in with the Authorize button (staff username and password).",
        openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.db = db
    app.state.upstreams = upstreams
    app.state.relay_client = relay_client
    install_error_handlers(app)
    install_problem_openapi(app)
    app.include_router(auth_router)

    app.include_router(health_router)
    app.include_router(mail_router)
    app.include_router(portal_router)

    @app.get("/api/openapi.json", include_in_schema=False)
    async def openapi() -> JSONResponse:
        return JSONResponse(await merged.document(app.openapi()))

    @app.get("/api/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/api/openapi.json", title="Tapline API",
                                   swagger_ui_parameters={"persistAuthorization": True})

    async def proxy(request: Request) -> StarletteResponse:
        who = principal_from_request(request)
        night = who is not None and servicetoken.is_night(who)
        if night and not servicetoken.allowed(request.method, request.url.path):
            raise Forbidden("The nightly update's token is for the night's steps only")
        # A night's step (the collections day of a large district) may take minutes: it gets
        # the step's timeout, not the upstream timeout an interactive request gets.
        return await forward(upstreams, request.path_params["service"], request,
                             settings.nightly_step_timeout if night else None)

    # A plain Starlette route: the proxy needs none of FastAPI's parameter machinery, and it
    # runs on every forwarded request. Problems it raises still go through the error handlers.
    app.add_route("/api/{service}/{path:path}", proxy, methods=PROXY_METHODS,
                  include_in_schema=False)

    site = FRONTEND / "dist" if (FRONTEND / "dist" / "index.html").exists() \
        else FRONTEND / "placeholder"
    if site.exists():
        app.mount("/", SPAStaticFiles(directory=site, html=True), name="frontend")
    install_routing_rules(app, body_limit=False)
    # the payment processor's deliveries pass straight through (gateway/fastpass.py)
    app.add_middleware(WebhookPassThrough)
    # outermost: the pass-through above reads its bodies too (kernel/bodylimit.py)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    return app


#: The customer portal: its own page of the same build (`frontend/portal.html`), whose client-side
#: routes all live under /portal.
PORTAL_PAGE = "portal.html"


def fallback_page(path: str, directory: str | None) -> str:
    """The page an unknown path gets: the portal's under /portal (when the build has one), the
    staff app's otherwise."""
    if (path == "portal" or path.startswith("portal/")) and directory is not None \
            and (Path(directory) / PORTAL_PAGE).exists():
        return PORTAL_PAGE
    return "index.html"


class SPAStaticFiles(StaticFiles):
    """The built frontend; unknown paths fall back to index.html for client-side routes
    (portal.html under /portal).

    Vite names every built asset by its content hash (`assets/index-3f9a….js`), so browsers may
    keep those for a year; index.html is revalidated each time, so a release shows at once.
    """

    async def get_response(self, path: str, scope: Scope) -> StarletteResponse:
        try:
            response = await super().get_response(path, scope)
        except StarletteHTTPException as exc:
            if exc.status_code != 404 or path.startswith("api/"):
                raise
            path = fallback_page(path, str(self.directory) if self.directory else None)
            response = await super().get_response(path, scope)
        if path.startswith("assets/"):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
        return response
