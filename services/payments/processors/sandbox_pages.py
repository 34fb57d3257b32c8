"""The sandbox processor's hosted pages, served by payments while the sandbox is the configured
processor (any other processor: 404): the demo's and the browser tests' stand-in for Stripe
Checkout.

`GET /api/payments/sandbox/pay/{session_id}` shows the amount and the sandbox's test cards and
bank accounts (masked, as Stripe's test tokens); choosing one completes the session with the
sandbox (`complete_hosted_session`: the charge under the session's idempotency key, so a
double submit charges once), sends the signed webhook to our own webhook endpoint after the
answer (`sandbox_courier`), and redirects to the portal's return address.
`/api/payments/sandbox/setup/{setup_id}` saves a method the same way: the portal then saves it
with `POST .../methods {"setup_id": ...}`. No card number is typed or shown anywhere: the
sandbox's methods are tokens. No staff token either: like a processor's page, the session id
(random, unguessable) is the capability.
"""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from kernel.errors import NotFound, Unprocessable
from services.payments.processors.base import ChargeStatus
from services.payments.processors.hosted import Page, pages
from services.payments.processors.sandbox import (
    TEST_METHODS,
    IdempotencyKeyReused,
    SandboxProcessor,
)
from services.payments.processors.sandbox_courier import deliver_for

router = APIRouter(prefix="/api/payments/sandbox", tags=["payments-sandbox"])
Choice = Annotated[str, Form(max_length=100)]

_STYLE = ("body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;"
          "padding:0 1rem}label{display:block;padding:.5rem;border:1px solid #ccc;"
          "border-radius:.4rem;margin:.4rem 0}button{padding:.6rem 1.2rem;margin-top:1rem}")


def _sandbox(request: Request) -> SandboxProcessor:
    processor = request.app.state.processor
    if not isinstance(processor, SandboxProcessor):
        raise NotFound("The sandbox processor is not configured")
    return processor


def _page(page_id: str) -> Page:
    page = pages.get(page_id)
    if page is None:
        raise NotFound("No such sandbox session (it lives in the process that opened it)")
    return page


def _html(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        f'content="width=device-width,initial-scale=1"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>",
        status_code=status)


def _note(outcome: str | None, card: bool) -> str:
    if outcome is None:
        return ""
    return " (declines)" if card else f" (returned {escape(outcome)})"


def _methods_form(action: str, submit: str, cancel_url: str) -> str:
    choices = "".join(
        f'<label><input type="radio" name="method" value="{escape(t)}"'
        f'{" checked" if i == 0 else ""}> {escape(m.method.display)}'
        f'{_note(m.outcome, m.method.kind.value == "card")}</label>'
        for i, (t, m) in enumerate(TEST_METHODS.items()))
    return (f'<form method="post" action="{escape(action)}"><fieldset><legend>Sandbox test '
            f'methods</legend>{choices}</fieldset><button type="submit">{escape(submit)}'
            f'</button></form><p><a href="{escape(cancel_url)}">Cancel and return</a></p>')


@router.get("/pay/{session_id}", response_class=HTMLResponse)
async def payment_page(session_id: str, request: Request) -> Response:
    """The hosted payment page: amount, account, the sandbox's test methods."""
    _sandbox(request)
    page = _page(session_id)
    assert page.session is not None
    return _html("Sandbox payment", (
        f"<p>Pay <strong>${page.session.amount}</strong> to water account "
        f"{escape(page.account_ref)}.</p>"
        + _methods_form(f"/api/payments/sandbox/pay/{session_id}", "Pay", page.cancel_url)))


@router.post("/pay/{session_id}", response_class=HTMLResponse)
async def pay(session_id: str, method: Choice, request: Request) -> Response:
    """Completes the session with the chosen test method (once: the session's idempotency key
    goes to the charge), sends the webhook after answering, returns to the portal."""
    processor = _sandbox(request)
    page = _page(session_id)
    if method not in TEST_METHODS:
        raise Unprocessable("Choose one of the sandbox's test methods", field="method")
    try:
        charge = await run_in_threadpool(processor.complete_hosted_session, session_id, method)
    except IdempotencyKeyReused:  # paid (or declined) with another method already
        return _html("Payment page already used", (
            "<p>This payment was already submitted. Start a new payment to try another "
            f'method.</p><p><a href="{escape(page.cancel_url)}">Return</a></p>'), status=409)
    task = BackgroundTask(deliver_for, request.app.state, [charge.payment_id])
    if charge.status is ChargeStatus.FAILED:
        declined = _html("Payment declined", (
            f"<p>The card was declined ({escape(charge.failure_code or 'declined')}). Nothing "
            f'was charged.</p><p><a href="{escape(page.cancel_url)}">Return</a></p>'),
            status=402)
        declined.background = task
        return declined
    return RedirectResponse(page.success_url, status_code=303, background=task)


@router.get("/setup/{setup_id}", response_class=HTMLResponse)
async def setup_page(setup_id: str, request: Request) -> Response:
    """The hosted page that saves a method with the processor."""
    _sandbox(request)
    page = _page(setup_id)
    return _html("Save a payment method", (
        f"<p>For water account {escape(page.account_ref)}.</p>"
        + _methods_form(f"/api/payments/sandbox/setup/{setup_id}", "Save", page.cancel_url)))


@router.post("/setup/{setup_id}", response_class=HTMLResponse)
async def setup(setup_id: str, method: Choice, request: Request) -> Response:
    _sandbox(request)
    page = _page(setup_id)
    if method not in TEST_METHODS:
        raise Unprocessable("Choose one of the sandbox's test methods", field="method")
    pages.choose(setup_id, method)
    sep = "&" if "?" in page.success_url else "?"
    return RedirectResponse(f"{page.success_url}{sep}setup_id={setup_id}", status_code=303)
