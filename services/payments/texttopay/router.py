"""Text-to-pay over HTTP: staff enrol a customer's phone and run the balance messages; customers
manage their own under /portal; the SMS provider posts inbound texts and delivery statuses (no
token: its signature, over the configured public URL, is the authentication)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from kernel.auth import Principal, require_roles
from kernel.clock import utc_now, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import NotFound, problem_responses
from kernel.settings import get_settings
from kernel.sms.base import SmsGateway
from kernel.sms.configured import webhook_url
from services.payments.texttopay import service
from services.payments.texttopay.domain import Voice
from services.payments.texttopay.schemas import (
    BalanceRunIn,
    BalanceRunOut,
    CancelIn,
    ConfirmIn,
    EnrolmentIn,
    EnrolmentOut,
    PortalTextIn,
    SandboxTextIn,
    SandboxTextOut,
    SmsAck,
)
from services.payments.texttopay.service import Texting

PREFIX = "/api/payments"
STATUS_PATH = PREFIX + "/sms/status/{provider}"
#: An empty TwiML answer: we reply through the API (so the sandbox's outbox sees every reply),
#: never in the webhook's response.
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Runner = Annotated[Principal, Depends(require_roles("billing_tech", "supervisor", "admin"))]
PortalUser = Annotated[Principal, Depends(require_roles("customer", "csr1", "csr2",
                                                        "billing_tech", "supervisor"))]


def texting(request: Request) -> Texting:
    settings = get_settings()
    sms: SmsGateway = request.app.state.sms
    return Texting(sms=sms, processor=request.app.state.processor,
                   voice=Voice(settings.utility_name, settings.district_phone),
                   reply_days=settings.texttopay_reply_days,
                   confirm_minutes=settings.texttopay_confirm_minutes,
                   status_url=webhook_url(settings, STATUS_PATH.format(provider=sms.name)))


TextingDep = Annotated[Texting, Depends(texting)]

staff = APIRouter(prefix=PREFIX + "/texttopay", tags=["payments-texttopay"], route_class=TxRoute)


@staff.post("/enrolments", response_model=EnrolmentOut, status_code=201,
            responses=problem_responses(401, 403, 404, 409, 422, 502))
async def enrol(body: EnrolmentIn, session: SessionDep, who: Staff,
                t: TextingDep) -> EnrolmentOut:
    """Register a customer's phone for text-to-pay with a processor's saved method. A code is
    texted to the phone; the enrolment is pending until it is entered or the phone replies YES."""
    return await service.enrol(session, who, t, body.account_id, body.phone,
                               body.payment_method, utc_now())


@staff.get("/enrolments", response_model=list[EnrolmentOut],
           responses=problem_responses(401, 403, 422))
async def enrolments(account_id: uuid.UUID, session: SessionDep,
                     who: Staff) -> list[EnrolmentOut]:
    """The account's enrolments, newest first, with their balance messages."""
    return await service.of_account(session, who, account_id)


@staff.get("/enrolments/{enrolment_id}", response_model=EnrolmentOut,
           responses=problem_responses(401, 403, 404))
async def enrolment(enrolment_id: uuid.UUID, session: SessionDep, who: Staff) -> EnrolmentOut:
    return await service.get(session, who, enrolment_id)


@staff.post("/enrolments/{enrolment_id}/confirm", response_model=EnrolmentOut,
            responses=problem_responses(401, 403, 404, 409, 422))
async def confirm(enrolment_id: uuid.UUID, body: ConfirmIn, session: SessionDep, who: Staff,
                  t: TextingDep) -> EnrolmentOut:
    """The code the customer read from their phone (five wrong tries end it)."""
    return await service.confirm(session, who, t, enrolment_id, body.code, utc_now())


@staff.post("/enrolments/{enrolment_id}/cancel", response_model=EnrolmentOut,
            responses=problem_responses(401, 403, 404, 422))
async def cancel(enrolment_id: uuid.UUID, body: CancelIn, session: SessionDep,
                 who: Staff) -> EnrolmentOut:
    return await service.cancel(session, who, enrolment_id, body.reason, utc_now())


@staff.post("/balance-messages", response_model=BalanceRunOut,
            responses=problem_responses(401, 403, 422))
async def balance_messages(body: BalanceRunIn, session: SessionDep, who: Runner,
                           t: TextingDep) -> BalanceRunOut:
    """Text each registered phone whose account owes its balance and due date with "Reply PAY";
    once per bill and day (a re-run sends nothing new)."""
    return await service.balance_messages(session, who, t, body.today)


portal = APIRouter(prefix=PREFIX + "/portal/accounts/{account_id}/text-to-pay",
                   tags=["payments-portal"], route_class=TxRoute)


@portal.get("", response_model=EnrolmentOut, responses=problem_responses(401, 403, 404))
async def my_enrolment(account_id: uuid.UUID, session: SessionDep,
                       who: PortalUser) -> EnrolmentOut:
    """The account's registered (or pending) phone; 404 when none, or not your account."""
    return await service.live(session, who, account_id)


@portal.post("", response_model=EnrolmentOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422, 502))
async def enrol_mine(account_id: uuid.UUID, body: PortalTextIn, session: SessionDep,
                     who: PortalUser, t: TextingDep) -> EnrolmentOut:
    """Registers the customer's phone with a saved method (`method_id`) or a processor's
    token; it is pending until the phone confirms the texted code."""
    return await service.enrol_with(session, who, t, account_id, body.phone, body.method_id,
                                    body.payment_method, utc_now())


@portal.post("/confirm", response_model=EnrolmentOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def confirm_mine(account_id: uuid.UUID, body: ConfirmIn, session: SessionDep,
                       who: PortalUser, t: TextingDep) -> EnrolmentOut:
    return await service.confirm_live(session, who, t, account_id, body.code, utc_now())


@portal.delete("", response_model=EnrolmentOut, responses=problem_responses(401, 403, 404))
async def stop_mine(account_id: uuid.UUID, session: SessionDep,
                    who: PortalUser) -> EnrolmentOut:
    return await service.cancel_live(session, who, account_id, "customer", utc_now())


sms = APIRouter(prefix=PREFIX + "/sms", tags=["payments-sms"], route_class=TxRoute)


def _signed_url(request: Request) -> str:
    """The URL the provider posted to, as it signed it: the configured public URL, this path
    and the query string (if the webhook was configured with one)."""
    query = request.url.query
    return webhook_url(get_settings(), request.url.path + (f"?{query}" if query else ""))


def _provider(request: Request, provider: str) -> SmsGateway:
    configured: SmsGateway = request.app.state.sms
    if provider != configured.name:
        raise NotFound("This service takes texts from its configured provider only",
                       field="provider")
    return configured


@sms.post("/inbound/{provider}", response_class=Response,
          responses={200: {"content": {"text/xml": {}}}, **problem_responses(400, 401, 404)})
async def inbound(provider: str, request: Request, session: SessionDep,
                  t: TextingDep) -> Response:
    """A customer's text (PAY, YES, STOP, HELP, ...). Answered by text; the webhook's own
    answer is empty TwiML. A retry of the same message changes nothing."""
    _provider(request, provider)
    await service.inbound(session, t, _signed_url(request), await request.body(),
                          request.headers, utility_today(), utc_now())
    return Response(EMPTY_TWIML, media_type="text/xml")


@sms.post("/status/{provider}", status_code=204, response_class=Response,
          responses=problem_responses(400, 401, 404))
async def delivery_status(provider: str, request: Request, session: SessionDep) -> Response:
    """The provider's delivery report for a balance message."""
    configured = _provider(request, provider)
    await service.delivery_status(session, configured, _signed_url(request),
                                  await request.body(), request.headers)
    return Response(status_code=204)


@sms.get("/sandbox/outbox", response_model=list[SandboxTextOut],
         responses=problem_responses(401, 403, 404, 422))
async def sandbox_outbox(request: Request, _: Staff, phone: str | None = None,
                         limit: Annotated[int, Query(ge=1, le=500)] = 50
                         ) -> list[SandboxTextOut]:
    """The texts the sandbox provider 'delivered', newest first (404 with a real provider)."""
    return service.sandbox_outbox(request.app.state.sms, phone, limit)


@sms.post("/sandbox/inbound", response_model=SmsAck,
          responses=problem_responses(401, 403, 404, 422))
async def sandbox_inbound(body: SandboxTextIn, request: Request, session: SessionDep, _: Staff,
                          t: TextingDep) -> SmsAck:
    """Text the district from a made-up phone (the demo's PAY button): the sandbox signs it as
    Twilio would and it is handled as a provider's webhook is (404 with a real provider)."""
    path = PREFIX + "/sms/inbound/sandbox"
    message_id, outcome = await service.sandbox_text(
        session, t, webhook_url(get_settings(), path), body.from_phone, body.body,
        utility_today(), utc_now())
    return SmsAck(provider=t.sms.name, message_id=message_id, outcome=outcome)


router = APIRouter()
router.include_router(staff)
router.include_router(portal)
router.include_router(sms)
