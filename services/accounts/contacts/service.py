"""Contact log, letters rendered to PDF and kept with the account, scanned documents.

Letters that follow from a workflow (welcome, closing, visit notice) are sent by the reactions in
`contacts.reactions`, not by the workflows."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import NotFound, Unprocessable
from kernel.settings import get_settings
from services.accounts.agreements.facts import MovedIn, MovedOut
from services.accounts.common import ensure_may_see_account
from services.accounts.contacts import domain, repository, storage
from services.accounts.contacts.schemas import ContactIn, ContactOut, DocumentOut, LetterIn
from services.accounts.customers import service as customers
from services.accounts.orders import service as orders
from services.accounts.orders.schemas import OrderOut
from services.accounts.premises import service as premises

MAX_SCAN_BYTES = 10 * 1024 * 1024
SCAN_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/tiff"})


async def log_contact(session: AsyncSession, who: Principal, account_id: uuid.UUID,
                      body: ContactIn) -> ContactOut:
    await customers.get_account(session, account_id)
    out = await repository.add_contact(session, account_id, body.channel, body.category,
                                       body.note, who.sub)
    await audit.record(session, who, "contact.log", "account", str(account_id),
                       after={"contact_id": out.id, "channel": out.channel,
                              "category": out.category})
    return out


async def log_many(session: AsyncSession, entries: list[tuple[uuid.UUID, str, str]],
                   category: str, actor: str) -> None:
    """Entries another feature makes in bulk (a notification run: what was sent to whom)."""
    await repository.add_contacts(session, entries, category, actor)


async def contacts(session: AsyncSession, account_id: uuid.UUID,
                   limit: int = 100) -> list[ContactOut]:
    await customers.get_account(session, account_id)
    return await repository.contacts(session, account_id, limit)


async def _store(session: AsyncSession, who: Principal, account_id: uuid.UUID, kind: str,
                 template: str | None, title: str, filename: str, content_type: str,
                 data: bytes, store: storage.DocumentStore | None = None,
                 doc_id: uuid.UUID | None = None) -> DocumentOut:
    doc_id = doc_id or uuid.uuid4()
    key = storage.key_for(account_id, data)
    await storage.put(store or storage.default_store(), key, data)
    out = await repository.add_document(session, {
        "id": doc_id, "account_id": account_id, "kind": kind, "template": template,
        "title": title, "filename": filename, "content_type": content_type,
        "size_bytes": len(data), "sha256": storage.sha256(data), "storage_key": key,
        "actor": who.sub,
    })
    await audit.record(session, who, f"document.{kind}", "account", str(account_id),
                       after={"document_id": doc_id, "title": title, "sha256": out.sha256})
    return out


async def send_letter(session: AsyncSession, who: Principal, account_id: uuid.UUID,
                      template: str, fields: dict[str, Any], today: date,
                      letter_id: uuid.UUID | None = None) -> DocumentOut:
    """Render a letter in the account's language, keep it (under `letter_id` when the workflow
    that caused it has already named it), and note it in the contact log."""
    account = await customers.get_account(session, account_id)
    customer = await customers.get_customer(session, account.customer_id)
    addr = account.mailing_address
    mailing = [customer.name, addr.line1, *([addr.line2] if addr.line2 else []),
               f"{addr.city}, {addr.state} {addr.postal_code}"]
    values = {"name": customer.name, "number": account.number, **fields}
    pdf = domain.render_letter(template, account.language, get_settings().utility_name,
                               mailing, values, today)
    title = domain.template_text(template, account.language)[0].format(
        utility=get_settings().utility_name)
    out = await _store(session, who, account_id, "letter", template, title,
                       f"{template}-{today.isoformat()}.pdf", "application/pdf", pdf,
                       doc_id=letter_id)
    await repository.add_contact(session, account_id, "letter", template,
                                 f"Letter sent: {title}", who.sub)
    return out


async def send_template_letter(session: AsyncSession, who: Principal, account_id: uuid.UUID,
                               body: LetterIn, today: date) -> DocumentOut:
    """A CSR's letter from a template; one about a service order names its visit."""
    fields: dict[str, Any] = {"premise": "", "date": today.isoformat(), "deposit": "",
                              "order": "", "kind": ""}
    if body.service_order_id is not None:
        order = await orders.get(session, body.service_order_id)
        fields.update(premise=order.address, date=order.scheduled_date.isoformat(),
                      order=order.number, kind=order.kind.replace("_", " "))
    return await send_letter(session, who, account_id, body.template, fields, today)


async def welcome(session: AsyncSession, who: Principal, moved_in: MovedIn) -> DocumentOut:
    deposit = moved_in.deposit
    deposit_line = (f"\n\nA deposit of ${deposit.amount:.2f} is held on your account."
                    if deposit.required else "")
    return await send_letter(session, who, moved_in.account_id, "welcome", {
        "premise": moved_in.premise.address.one_line(),
        "date": moved_in.start_date.isoformat(), "deposit": deposit_line}, moved_in.today,
        moved_in.letter_id)


async def closing(session: AsyncSession, who: Principal, moved_out: MovedOut) -> DocumentOut:
    return await send_letter(session, who, moved_out.account_id, "closing", {
        "premise": moved_out.premise.address.one_line(),
        "date": moved_out.stop_date.isoformat()}, moved_out.today, moved_out.letter_id)


async def visit_notice(session: AsyncSession, who: Principal, order: OrderOut,
                       today: date) -> DocumentOut | None:
    """The account holder hears of a visit of a kind named in TAPLINE_ORDER_NOTICE_KINDS."""
    if order.account_id is None or order.kind not in get_settings().order_notice_kinds:
        return None
    premise = await premises.get(session, order.premise_id)
    return await send_letter(session, who, order.account_id, "service_order", {
        "premise": premise.address.one_line(), "date": order.scheduled_date.isoformat(),
        "order": order.number, "kind": order.kind.replace("_", " "),
    }, today)


async def upload_scan(session: AsyncSession, who: Principal, account_id: uuid.UUID,
                      title: str, filename: str, content_type: str,
                      data: bytes) -> DocumentOut:
    await customers.get_account(session, account_id)
    if content_type not in SCAN_TYPES:
        raise Unprocessable("Scans are PDF, PNG, JPEG or TIFF", field="file")
    if not data or len(data) > MAX_SCAN_BYTES:
        raise Unprocessable("A scan is between 1 byte and 10 MiB", field="file")
    return await _store(session, who, account_id, "scan", None, title, filename, content_type,
                        data)


async def documents(session: AsyncSession, account_id: uuid.UUID) -> list[DocumentOut]:
    await customers.get_account(session, account_id)
    return await repository.documents(session, account_id)


async def document_bytes(session: AsyncSession, who: Principal,
                         doc_id: uuid.UUID) -> tuple[DocumentOut, bytes]:
    """A document and its bytes, for a caller who may see its account."""
    found = await repository.document(session, doc_id)
    if found is None:
        raise NotFound("No such document", field="document_id")
    doc, key = found
    ensure_may_see_account(who, doc.account_id)
    return doc, await storage.get(storage.default_store(), key)
