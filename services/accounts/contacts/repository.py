"""All SQL for the contact log and documents."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.accounts.common import as_model, as_models
from services.accounts.contacts.schemas import ContactOut, DocumentOut

_DOC = ("id, account_id, kind, template, title, filename, content_type, size_bytes, sha256, "
        "actor, created_at")


async def add_contact(session: AsyncSession, account_id: uuid.UUID, channel: str,
                      category: str, note: str, actor: str) -> ContactOut:
    return as_model(ContactOut, (await session.execute(
        text("INSERT INTO contact_log (account_id, channel, category, note, actor) "
             "VALUES (:a, :c, :cat, :n, :actor) "
             "RETURNING id, account_id, channel, category, note, actor, at"),
        {"a": account_id, "c": channel, "cat": category, "n": note, "actor": actor},
    )).one())


async def add_contacts(session: AsyncSession, entries: Sequence[tuple[uuid.UUID, str, str]],
                       category: str, actor: str) -> None:
    """Many (account, channel, note) entries in one statement (a notification run's)."""
    if not entries:
        return
    await session.execute(text(
        "INSERT INTO contact_log (account_id, channel, category, note, actor) "
        "SELECT a, c, :cat, n, :actor FROM unnest(CAST(:a AS uuid[]), CAST(:c AS text[]), "
        "CAST(:n AS text[])) AS t(a, c, n)"),
        {"a": [str(e[0]) for e in entries], "c": [e[1] for e in entries],
         "n": [e[2] for e in entries], "cat": category, "actor": actor})


async def contacts(session: AsyncSession, account_id: uuid.UUID,
                   limit: int) -> list[ContactOut]:
    return as_models(ContactOut, (await session.execute(
        text("SELECT id, account_id, channel, category, note, actor, at FROM contact_log "
             "WHERE account_id = :a ORDER BY id DESC LIMIT :n"),
        {"a": account_id, "n": limit})).all())


async def add_document(session: AsyncSession, values: dict[str, Any]) -> DocumentOut:
    return as_model(DocumentOut, (await session.execute(
        text("INSERT INTO documents (id, account_id, kind, template, title, filename, "
             "content_type, size_bytes, sha256, storage_key, actor) VALUES (:id, :account_id, "
             ":kind, :template, :title, :filename, :content_type, :size_bytes, :sha256, "
             f":storage_key, :actor) RETURNING {_DOC}"),
        values,
    )).one())


async def documents(session: AsyncSession, account_id: uuid.UUID) -> list[DocumentOut]:
    return as_models(DocumentOut, (await session.execute(
        text(f"SELECT {_DOC} FROM documents WHERE account_id = :a ORDER BY created_at DESC"),
        {"a": account_id})).all())


async def document(session: AsyncSession,
                   doc_id: uuid.UUID) -> tuple[DocumentOut, str] | None:
    """The document and the key its bytes are stored under."""
    row = (await session.execute(
        text(f"SELECT {_DOC}, storage_key FROM documents WHERE id = :id"),
        {"id": doc_id})).first()
    if row is None:
        return None
    data = dict(row._mapping)
    key = str(data.pop("storage_key"))
    return DocumentOut(**data), key
