"""Opening the processor's hosted payment page for a portal payment, whichever processor is
configured, without blocking the event loop on its HTTP call.

Stripe hosts its own Checkout page. The sandbox has no web server of its own: its page is served
by payments itself (`sandbox_pages`, only while the sandbox is the configured processor), so the
session's return addresses are kept here for that page and the URL handed to the customer is
that page's. Either way the customer types a card on the processor's page, never on ours.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from decimal import Decimal

from starlette.concurrency import run_in_threadpool

from kernel.errors import NotFound, Unprocessable
from kernel.settings import Settings, get_settings
from services.payments.processors.base import HostedSession, Processor
from services.payments.processors.sandbox import SandboxProcessor, sandbox_id

#: Where the sandbox's page is served (through the gateway, like every payments route).
SANDBOX_PAGE = "/api/payments/sandbox/pay"


SANDBOX_SETUP_PAGE = "/api/payments/sandbox/setup"


@dataclass(frozen=True)
class Page:
    """A sandbox session (payment or setup) and where its page sends the customer back."""

    account_ref: str
    success_url: str
    cancel_url: str
    session: HostedSession | None = None


@dataclass(frozen=True)
class Setup:
    setup_id: str
    url: str


class _PageBook:
    """The sandbox's open pages, in this process (as the sandbox's own state is): payment
    sessions by id, setup sessions by id with the method the customer chose."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pages: dict[str, Page] = {}
        self._chosen: dict[str, str] = {}

    def put(self, page_id: str, page: Page) -> None:
        with self._lock:
            self._pages[page_id] = page

    def get(self, page_id: str) -> Page | None:
        with self._lock:
            return self._pages.get(page_id)

    def choose(self, setup_id: str, token: str) -> None:
        with self._lock:
            self._chosen[setup_id] = token

    def chosen(self, setup_id: str) -> str | None:
        with self._lock:
            return self._chosen.get(setup_id)


pages = _PageBook()


def sandbox_page_url(session_id: str) -> str:
    return f"{SANDBOX_PAGE}/{session_id}"


def public_url(path: str, settings: Settings) -> str:
    """A portal path as the absolute address a processor's own page returns to (Stripe takes
    absolute URLs only). Our own sandbox page redirects to the path itself."""
    base = settings.payments_portal_public_url or settings.url_for("gateway")
    return base.rstrip("/") + path


async def open_session(processor: Processor, *, account_ref: str, amount: Decimal,
                       idempotency_key: str, success_url: str,
                       cancel_url: str) -> HostedSession:
    """`success_url` and `cancel_url` are paths on our own site."""
    ours = isinstance(processor, SandboxProcessor)
    settings = get_settings()
    session = await run_in_threadpool(
        processor.create_hosted_session, account_ref=account_ref, amount=amount,
        idempotency_key=idempotency_key,
        success_url=success_url if ours else public_url(success_url, settings),
        cancel_url=cancel_url if ours else public_url(cancel_url, settings))
    if isinstance(processor, SandboxProcessor):
        pages.put(session.session_id, Page(account_ref, success_url, cancel_url, session))
        return replace(session, url=sandbox_page_url(session.session_id))
    return session


def open_setup(processor: Processor, *, account_ref: str, success_url: str,
               cancel_url: str) -> Setup:
    """A page where the customer saves a card or bank account with the processor. The
    sandbox's is ours; with Stripe a method is saved from the token its client-side fields
    (Elements) hand the portal, so there is no page to open here."""
    if not isinstance(processor, SandboxProcessor):
        raise SetupNotOffered(f"{processor.name}: save a method with the token from its "
                              "client-side fields", field="token")
    setup_id = "seti_sbx_" + sandbox_id()
    pages.put(setup_id, Page(account_ref, success_url, cancel_url))
    return Setup(setup_id, f"{SANDBOX_SETUP_PAGE}/{setup_id}")


def setup_token(processor: Processor, setup_id: str, account_ref: str) -> str:
    """The token the customer saved on the setup page (for this account only)."""
    page = pages.get(setup_id) if isinstance(processor, SandboxProcessor) else None
    token = pages.chosen(setup_id) if page is not None else None
    if page is None or token is None or page.account_ref != account_ref:
        raise SetupNotFound("No completed setup with this id for this account",
                            field="setup_id")
    return token


class SetupNotOffered(Unprocessable):
    code, title = "setup-not-offered", "The processor saves methods from its client-side fields"


class SetupNotFound(NotFound):
    code, title = "setup-not-found", "No completed setup with this id"
