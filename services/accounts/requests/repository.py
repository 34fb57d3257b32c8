"""All SQL of service requests."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.accounts.common import as_model, as_model_or_none, as_models
from services.accounts.requests.schemas import RequestOut

_COLS = ("id, account_id, kind, status, preferred_date, address, phone, message, bill_id, "
         "appeal_id, requested_by, worked_by, resolution, created_at, updated_at")


async def insert(session: AsyncSession, values: dict[str, Any]) -> RequestOut:
    return as_model(RequestOut, (await session.execute(text(
        "INSERT INTO service_requests (id, account_id, kind, preferred_date, address, phone, "
        "message, bill_id, appeal_id, requested_by) VALUES (:id, :account_id, :kind, "
        ":preferred_date, CAST(:address AS jsonb), :phone, :message, :bill_id, :appeal_id, "
        f":requested_by) RETURNING {_COLS}"), values)).one())


async def get(session: AsyncSession, request_id: uuid.UUID, *,
              lock: bool = False) -> RequestOut | None:
    return as_model_or_none(RequestOut, (await session.execute(text(
        f"SELECT {_COLS} FROM service_requests WHERE id = :id"
        + (" FOR UPDATE" if lock else "")), {"id": request_id})).first())


async def of_account(session: AsyncSession, account_id: uuid.UUID) -> list[RequestOut]:
    return as_models(RequestOut, (await session.execute(text(
        f"SELECT {_COLS} FROM service_requests WHERE account_id = :a "
        "ORDER BY created_at DESC LIMIT 100"), {"a": account_id})).all())


async def worklist(session: AsyncSession, statuses: list[str], kind: str | None,
                   limit: int) -> list[RequestOut]:
    """Oldest first: the request waiting longest is worked first."""
    return as_models(RequestOut, (await session.execute(text(
        f"SELECT {_COLS} FROM service_requests WHERE status = ANY(:s) "
        "AND (CAST(:k AS text) IS NULL OR kind = :k) ORDER BY created_at LIMIT :n"),
        {"s": statuses, "k": kind, "n": limit})).all())


async def move(session: AsyncSession, request_id: uuid.UUID, status: str, worked_by: str,
               resolution: str | None) -> RequestOut:
    return as_model(RequestOut, (await session.execute(text(
        "UPDATE service_requests SET status = :s, worked_by = :w, "
        "resolution = coalesce(:r, resolution), updated_at = now() WHERE id = :id "
        f"RETURNING {_COLS}"),
        {"id": request_id, "s": status, "w": worked_by, "r": resolution})).one())
