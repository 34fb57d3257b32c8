"""Contact log, letters rendered to PDF and kept with the account, scanned documents."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import NotFound, Unprocessable
from kernel.settings import get_settings
from services.accounts.contacts import domain, repository, storage
from services.accounts.contacts.schemas import ContactIn, ContactOut, DocumentOut
from services.accounts.customers import service as customers

MAX_SCAN_BYTES = 10 * 1024 * 1024
SCAN_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/tiff"})


async def log_contact(session: AsyncSession, who: Principal, account_id: uuid.UUID,
                      body: ContactIn) -> ContactOut:
    await customers.get_account(session, account_id)
    row = await repository.add_contact(session, account_id, body.channel, body.category,
                                       body.note, who.sub)
    out = ContactOut.model_validate(dict(row._mapping))
    await audit.record(session, who, "contact.log", "account", str(account_id),
                       after={"contact_id": out.id, "channel": out.channel,
                              "category": out.category})
    return out


async def contacts(session: AsyncSession, account_id: uuid.UUID,
                   limit: int = 100) -> list[ContactOut]:
    await customers.get_account(session, account_id)
    return [ContactOut.model_validate(dict(r._mapping))
            for r in await repository.contacts(session, account_id, limit)]


async def _store(session: AsyncSession, who: Principal, account_id: uuid.UUID, kind: str,
                 template: str | None, title: str, filename: str, content_type: str,
                 data: bytes, store: storage.DocumentStore | None = None) -> DocumentOut:
    doc_id = uuid.uuid4()
    key = storage.key_for(account_id, data)
    await storage.put(store or storage.default_store(), key, data)
    row = await repository.add_document(session, {
        "id": doc_id, "account_id": account_id, "kind": kind, "template": template,
        "title": title, "filename": filename, "content_type": content_type,
        "size_bytes": len(data), "sha256": storage.sha256(data), "storage_key": key,
        "actor": who.sub,
    })
    out = DocumentOut.model_validate(dict(row._mapping))
    await audit.record(session, who, f"document.{kind}", "account", str(account_id),
                       after={"document_id": doc_id, "title": title, "sha256": out.sha256})
    return out


async def send_letter(session: AsyncSession, who: Principal, account_id: uuid.UUID,
                      template: str, fields: dict[str, Any], today: date) -> DocumentOut:
    """Render a letter in the account's language, keep it, and note it in the contact log."""
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
                       f"{template}-{today.isoformat()}.pdf", "application/pdf", pdf)
    await repository.add_contact(session, account_id, "letter", template,
                                 f"Letter sent: {title}", who.sub)
    return out


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
    return [DocumentOut.model_validate(dict(r._mapping))
            for r in await repository.documents(session, account_id)]


async def document_bytes(session: AsyncSession, doc_id: uuid.UUID) -> tuple[DocumentOut, bytes]:
    row = await repository.document(session, doc_id)
    if row is None:
        raise NotFound("No such document", field="document_id")
    data = await storage.get(storage.default_store(), row.storage_key)
    return DocumentOut.model_validate(dict(row._mapping)), data
