"""Access-token verification and role checks, done by every service itself.

A service never trusts a bare header: it verifies the gateway's signature (with the key of the
keyring its `kid` names, so signing keys rotate without signing anyone out: kernel/keys.py), the
pinned algorithm, `exp`, `iss` and `aud`. Roles and dollar authority come from configuration.

Signing and verification use PyJWT over `cryptography` (OpenSSL's constant-time ECDSA), not
python-jose: that one always installs the pure-Python `ecdsa` package, whose timing leak
(CVE-2024-23342) has no fix (docs/security.md).
"""

from __future__ import annotations

import os
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import jwt
from cryptography.hazmat.primitives import serialization
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from kernel.clock import utc_now
from kernel.errors import Forbidden, NotFound, Unauthorized
from kernel.keys import key_id, keyring_at
from kernel.settings import Settings, get_settings

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


@dataclass(frozen=True)
class Principal:
    """Who is asking: a staff user, a portal customer, or a Tapline process."""

    sub: str
    role: str
    name: str = ""
    accounts: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_staff(self) -> bool:
        return self.role not in ("customer", "system")


def ensure_own_account(who: Principal, account_id: uuid.UUID | str) -> None:
    """A portal customer reaches only the accounts their token names. A foreign id answers 404
    exactly as an unknown one does, so ids cannot be probed; staff and processes pass."""
    if who.role == "customer" and str(account_id) not in who.accounts:
        raise NotFound("No such account", field="account_id")


@lru_cache(maxsize=4)
def _keyring(keys_dir: str, env_keys: str | None) -> dict[str, Any]:
    """The verification keyring, loaded once per process (and per configured text, so a test
    that sets another keyring gets it); a rotated keyring takes a restart (deploy/RUNBOOK.md)."""
    return {kid: serialization.load_pem_public_key(pem.encode())
            for kid, pem in keyring_at(Path(keys_dir)).items()}


def _verification_keys(token: str, settings: Settings) -> list[Any]:
    """The keys that may have signed `token`: the one its `kid` names; every key of the ring
    for a token without one (signed before keys had ids). An unknown `kid` is refused."""
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError as exc:
        raise Unauthorized("Invalid or expired token") from exc
    ring = _keyring(str(settings.keys_dir), os.environ.get("TAPLINE_JWT_PUBLIC_KEY"))
    if kid is None:
        return list(ring.values())
    if not isinstance(kid, str) or kid not in ring:
        raise Unauthorized("Token signed by a key this installation does not trust")
    return [ring[kid]]


class _VerifiedTokens:
    """Tokens already verified, so a client's next requests skip the ES256 signature check.

    Bounded (least recently used goes first); an entry is dropped once its token's `exp` has
    passed, so a cached answer is never one `jwt.decode` would refuse. Only successes are kept.
    Access tokens cannot be revoked before `exp` (only refresh tokens can), so nothing else
    could make a cached answer stale.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, ...], tuple[float, Principal]] = OrderedDict()

    def get(self, key: tuple[str, ...]) -> Principal | None:
        hit = self._entries.get(key)
        if hit is None:
            return None
        if time.time() >= hit[0]:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return hit[1]

    def put(self, key: tuple[str, ...], exp: float, principal: Principal) -> None:
        self._entries[key] = (exp, principal)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


_verified = _VerifiedTokens()


def verify_token(token: str, settings: Settings | None = None) -> Principal:
    settings = settings or get_settings()
    key = (token, str(settings.keys_dir), os.environ.get("TAPLINE_JWT_PUBLIC_KEY", ""),
           settings.jwt_algorithm, settings.jwt_audience, settings.jwt_issuer)
    cached = _verified.get(key)
    if cached is not None:
        return cached
    claims: dict[str, Any] | None = None
    for public in _verification_keys(token, settings):
        try:
            claims = jwt.decode(
                token,
                public,
                algorithms=[settings.jwt_algorithm],
                audience=settings.jwt_audience,
                issuer=settings.jwt_issuer,
                # `iat` must be there, but a gateway whose clock runs a little ahead is no
                # reason to refuse: `nbf` (issued 5 s early) bounds the start.
                options={"require": ["exp", "iat", "sub"], "verify_iat": False},
            )
            break
        except jwt.InvalidSignatureError:
            continue  # a kid-less token: the next key of the ring may have signed it
        except jwt.PyJWTError as exc:
            raise Unauthorized("Invalid or expired token") from exc
    if claims is None:
        raise Unauthorized("Invalid or expired token")
    if claims.get("typ") != "access":
        raise Unauthorized("Not an access token")
    principal = Principal(
        sub=str(claims["sub"]),
        role=str(claims.get("role", "")),
        name=str(claims.get("name", "")),
        accounts=tuple(claims.get("accounts") or ()),
    )
    _verified.put(key, float(claims["exp"]), principal)
    return principal


def issue_access_token(
    private_pem: str,
    settings: Settings,
    sub: str,
    role: str,
    name: str = "",
    accounts: Iterable[str] = (),
    minutes: int | None = None,
) -> tuple[str, int]:
    now = utc_now()
    ttl = minutes if minutes is not None else settings.access_token_minutes
    claims: dict[str, Any] = {
        "sub": sub,
        "role": role,
        "name": name,
        "typ": "access",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()) - 5,
        "exp": int((now + timedelta(minutes=ttl)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    if accounts:
        claims["accounts"] = list(accounts)
    token = jwt.encode(claims, private_pem, algorithm=settings.jwt_algorithm,
                       headers={"kid": key_id(private_pem)})
    return token, ttl * 60


def principal_from_request(request: Request) -> Principal | None:
    """The verified caller, or None when the request carries no valid bearer token."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        principal = verify_token(token.strip())
    except Unauthorized:
        return None
    request.state.principal = principal
    return principal


async def current_principal(
    request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Principal:
    if not token:
        raise Unauthorized("Bearer token required")
    principal = verify_token(token)
    request.state.principal = principal
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: str) -> Callable[..., Any]:
    """Dependency: the caller must hold one of `roles` (admins are not implied)."""
    allowed = frozenset(roles)

    # One dependency instead of three levels (check -> current_principal -> scheme): FastAPI
    # resolves every level on every request. The scheme keeps the OpenAPI security entry.
    async def check(
        request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]
    ) -> Principal:
        principal = await current_principal(request, token)
        if principal.role not in allowed:
            raise Forbidden(f"Role '{principal.role}' may not do this")
        return principal

    return check


def authority(role: str, settings: Settings | None = None) -> Decimal:
    settings = settings or get_settings()
    return Decimal(settings.authority.get(role, Decimal("0")))


def within_authority(principal: Principal, amount: Decimal) -> bool:
    return abs(amount) <= authority(principal.role)
