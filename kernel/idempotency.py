"""`Idempotency-Key` for retryable writes.

Same key and same request: the first response is returned again. Same key, different request:
422. Same key while the first is still running: 409. The record is written in the request's own
transaction, so it exists exactly when the change it describes does.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi import Request, Response
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.auth import principal_from_request
from kernel.errors import problem_response
from kernel.keys import local_secret
from kernel.settings import get_settings


@lru_cache(maxsize=4)
def _secret(keys_dir: Path) -> bytes:
    return local_secret(get_settings(), "idempotency-secret")


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """What identifies a request under its key: a keyed hash (HMAC-SHA256 with a secret of this
    installation), since a plain hash of a body that holds a bank account number would let
    anyone reading the table recover the number by trying every one."""
    message = method.encode() + b" " + path.encode() + b"\n" + query.encode() + b"\n" + body
    return hmac.new(_secret(get_settings().keys_dir), message, hashlib.sha256).hexdigest()


@dataclass
class Claim:
    principal: str
    key: str
    fingerprint: str


async def claim(
    session: AsyncSession, request: Request, key: str, fingerprint: str
) -> Claim | Response | None:
    if len(key) > 200:
        return problem_response(request, 422, "idempotency-key", "Idempotency-Key too long")
    principal = principal_from_request(request)
    if principal is None:
        return None  # unauthenticated: let the endpoint refuse it; nothing is remembered
    who = principal.sub
    got = await session.execute(
        text("SELECT pg_try_advisory_xact_lock(hashtextextended(:p || '/' || :k, 7))"),
        {"p": who, "k": key},
    )
    if not got.scalar_one():
        return problem_response(
            request, 409, "idempotency-in-progress",
            "A request with this Idempotency-Key is still being processed",
            headers={"Retry-After": "1"},
        )
    row = (
        await session.execute(
            text(
                "SELECT fingerprint, status_code, body, content_type FROM idempotency_keys "
                "WHERE principal = :p AND key = :k "
                "AND created_at > now() - make_interval(hours => :ttl)"
            ),
            {"p": who, "k": key, "ttl": get_settings().idempotency_ttl_hours},
        )
    ).first()
    if row is None:
        return Claim(who, key, fingerprint)
    if row.fingerprint != fingerprint:
        return problem_response(
            request, 422, "idempotency-key-reused",
            "This Idempotency-Key was used with a different request",
        )
    return Response(
        content=bytes(row.body), status_code=row.status_code, media_type=row.content_type,
        headers={"Idempotent-Replayed": "true"},
    )


async def remember(session: AsyncSession, c: Claim, response: Response) -> None:
    body = getattr(response, "body", None)
    if body is None:
        return
    await session.execute(
        text(
            "INSERT INTO idempotency_keys (principal, key, fingerprint, status_code, body, "
            "content_type) VALUES (:p, :k, :f, :s, :b, :ct) ON CONFLICT (principal, key) DO "
            "UPDATE SET fingerprint = excluded.fingerprint, status_code = excluded.status_code, "
            "body = excluded.body, content_type = excluded.content_type, created_at = now()"
        ),
        {"p": c.principal, "k": c.key, "f": c.fingerprint, "s": response.status_code,
         "b": bytes(body), "ct": response.media_type or "application/json"},
    )


async def purge_expired(session: AsyncSession, ttl_hours: int) -> int:
    """Forget keys past their time to live (a retry after a day is a new request)."""
    result = await session.execute(
        text("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => :h)"),
        {"h": ttl_hours},
    )
    return int(getattr(result, "rowcount", 0) or 0)
