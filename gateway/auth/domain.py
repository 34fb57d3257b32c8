"""Login rules with no I/O: password hashing, refresh-token material, rate-limit decisions."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kernel.settings import ROLES

_hasher = PasswordHasher()
# Verifying against this keeps a login for an unknown user as slow as for a known one.
_DUMMY_HASH = _hasher.hash("tapline-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_refresh_token() -> tuple[str, str]:
    """An opaque refresh token and the hash we store (never the token itself)."""
    token = secrets.token_urlsafe(48)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_locked_out(recent_failures_user: int, recent_failures_ip: int, limit: int) -> bool:
    """Too many recent failures for this username, or many more from this address."""
    return recent_failures_user >= limit or recent_failures_ip >= limit * 4


def password_problem(password: str) -> str | None:
    if len(password) < 12:
        return "at least 12 characters"
    if password.lower() in {"password1234", "tapline-demo"}:
        return "too common"
    return None


def valid_role(role: str) -> bool:
    return role in ROLES
