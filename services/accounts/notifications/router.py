"""HTTP of notifications: staff see an account's messages, preview templates, resend, and keep
the list of addresses that bounced; customers (and staff for them) choose their channels; mail
relays and the SMS provider report what became of a message."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from kernel.auth import Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import Problem, problem_responses
from kernel.settings import get_settings
from kernel.sms.configured import from_settings, webhook_url
from services.accounts.common import Csr, Reader, ensure_may_see_account
from services.accounts.notifications import domain, service, templates
from services.accounts.notifications.schemas import (
    KindOut,
    MessageOut,
    PreferenceIn,
    PreferenceOut,
    PreviewIn,
    PreviewOut,
    UndeliverableOut,
)

MAX_REPORT_BYTES = 2 * 1024 * 1024


class TooLarge(Problem):
    status, code, title = 413, "report-too-large", "The report is too large"


PREFIX = "/api/accounts/notifications"
STATUS_PATH = PREFIX + "/sms/status"
router = APIRouter(prefix=PREFIX, tags=["accounts-notifications"], route_class=TxRoute)
CsrOrCustomer = Annotated[Principal, Depends(require_roles("csr1", "csr2", "supervisor",
                                                           "customer"))]
ReaderOrCustomer = Annotated[Principal, Depends(require_roles(
    "csr1", "csr2", "billing_tech", "supervisor", "admin", "customer"))]


@router.get("/kinds", response_model=list[KindOut], responses=problem_responses(401, 403))
async def kinds(_: ReaderOrCustomer) -> list[KindOut]:
    """Every kind of message, who may turn it off, and the languages it is written in."""
    langs = templates.languages()
    return [KindOut(kind=k.name, label=k.label, default=k.default, may_opt_out=k.may_opt_out,
                    languages=langs) for k in domain.KINDS.values()]


@router.post("/preview", response_model=PreviewOut, responses=problem_responses(401, 403, 404,
                                                                                 422))
async def preview(body: PreviewIn, _: Reader) -> PreviewOut:
    """A kind's message in a language, with sample facts (or yours): subject, text, HTML, text
    message."""
    return service.preview(body.kind, body.language, body.facts)


@router.get("/accounts/{account_id}/messages", response_model=list[MessageOut],
            responses=problem_responses(401, 403, 422))
async def messages(account_id: uuid.UUID, session: SessionDep, _: Reader,
                   limit: int = Query(100, ge=1, le=500)) -> list[MessageOut]:
    """The account's messages, newest first, with how each went."""
    return await service.messages_of(session, account_id, limit)


@router.post("/messages/{message_id}/resend", response_model=MessageOut,
             responses=problem_responses(401, 403, 404, 409))
async def resend(message_id: uuid.UUID, session: SessionDep, who: Csr) -> MessageOut:
    """Send a failed, bounced or cancelled message again (the address was corrected)."""
    return await service.resend(session, who, message_id)


@router.get("/accounts/{account_id}/preferences", response_model=list[PreferenceOut],
            responses=problem_responses(401, 403, 404, 422))
async def preferences(account_id: uuid.UUID, session: SessionDep,
                      who: ReaderOrCustomer) -> list[PreferenceOut]:
    """How the account's customer wants each kind of message (e-mail, text, both, none)."""
    ensure_may_see_account(who, account_id)
    return await service.preferences_of(session, await service.customer_of(session, account_id))


@router.put("/accounts/{account_id}/preferences/{kind}", response_model=list[PreferenceOut],
            responses=problem_responses(401, 403, 404, 422))
async def set_preference(account_id: uuid.UUID, kind: str, body: PreferenceIn,
                         session: SessionDep, who: CsrOrCustomer) -> list[PreferenceOut]:
    """Choose a kind's channels; a kind the law (or NACHA) needs sent cannot be `none`."""
    ensure_may_see_account(who, account_id)
    customer = await service.customer_of(session, account_id)
    return await service.set_preference(session, who, customer, kind, body.channels)


@router.get("/undeliverable", response_model=list[UndeliverableOut],
            responses=problem_responses(401, 403))
async def undeliverable(session: SessionDep, _: Reader) -> list[UndeliverableOut]:
    """Addresses that bounced and phones that texted STOP, with the accounts that used them:
    staff correct the address with the customer."""
    return await service.undeliverable(session)


@router.post("/bounces", response_model=MessageOut,
             responses=problem_responses(401, 403, 404, 413, 422),
             openapi_extra={"requestBody": {"required": True, "content": {
                 "message/rfc822": {"schema": {"type": "string", "format": "binary"}}}}})
async def bounce(request: Request, session: SessionDep, who: Csr) -> MessageOut | None:
    """A bounce report (the DSN as received, `message/rfc822`), from the mail relay's hook or
    forwarded by staff: a hard bounce stops mail to the address and tells staff."""
    raw = await request.body()
    if len(raw) > MAX_REPORT_BYTES:
        raise TooLarge(f"At most {MAX_REPORT_BYTES // (1024 * 1024)} MB")
    return await service.bounced(session, who, raw)


@router.post(STATUS_PATH.removeprefix(PREFIX), status_code=204, response_class=Response,
             responses=problem_responses(400, 401, 403))
async def sms_status(request: Request, session: SessionDep) -> Response:
    """The SMS provider's delivery report for a text (signed: verified before it is read; a
    post without a valid signature answers 400 or 401 and changes nothing)."""
    settings = get_settings()
    update = from_settings(settings).parse_status(webhook_url(settings, STATUS_PATH),
                                                  await request.body(), request.headers)
    await service.text_status(session, f"{update.provider}:{update.message_id}",
                              str(update.status), update.error_code)
    return Response(status_code=204)
