"""Login, refresh rotation, logout and user administration (flush only; the route commits)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.auth import domain, repository
from gateway.auth.repository import User
from gateway.auth.schemas import TokenResponse, UserCreate, UserOut, UserUpdate
from kernel import audit
from kernel.auth import Principal, issue_access_token
from kernel.clock import utc_now
from kernel.errors import Conflict, NotFound, TooManyRequests, Unauthorized, Unprocessable
from kernel.keys import signing_key
from kernel.settings import Settings


def _user_out(user: User) -> UserOut:
    return UserOut(id=user.id, username=user.username, display_name=user.display_name,
                   role=user.role, active=user.active, accounts=list(user.accounts or []),
                   created_at=user.created_at)


async def _issue(session: AsyncSession, settings: Settings, user: User,
                 family: uuid.UUID | None = None) -> TokenResponse:
    access, ttl = issue_access_token(
        signing_key(settings)[1], settings, user.username, user.role, user.display_name,
        list(user.accounts or []),
    )
    refresh, refresh_hash = domain.new_refresh_token()
    await repository.insert_refresh(
        session, user.id, refresh_hash, family or uuid.uuid4(),
        utc_now() + timedelta(days=settings.refresh_token_days),
    )
    return TokenResponse(access_token=access, expires_in=ttl, refresh_token=refresh,
                         role=user.role)


async def authenticate(
    session: AsyncSession, settings: Settings, username: str, password: str, client_ip: str,
    check: Callable[[User], Awaitable[None]] | None = None,
) -> User:
    """The user a username and password name, under the login rate limits. Every failure and
    success is recorded (a failure commits even though the request fails).

    `check` runs once the password is right, before the success is recorded: an `Unauthorized`
    it raises (a wrong second-factor code) is recorded as a failed login, so it counts toward
    the same limit; any other problem (a code still to be asked for) records nothing."""
    by_user, by_ip = await repository.recent_failures(
        session, username, client_ip, settings.login_window_seconds
    )
    if domain.is_locked_out(by_user, by_ip, settings.login_max_failures):
        raise TooManyRequests("Too many failed logins; try again later",
                              retry_after=settings.login_window_seconds)
    user = await repository.user_by_username(session, username)
    ok = domain.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        await repository.record_attempt(session, username, client_ip, False)
        raise Unauthorized("Incorrect username or password", commit=True)
    if check is not None:
        try:
            await check(user)
        except Unauthorized as exc:
            await repository.record_attempt(session, username, client_ip, False)
            exc.commit = True
            raise
    await repository.record_attempt(session, username, client_ip, True)
    if domain.needs_rehash(user.password_hash):
        await repository.update_user(session, user.id,
                                     {"password_hash": domain.hash_password(password)})
    return user


async def issue_tokens(session: AsyncSession, settings: Settings, user: User,
                       replaces: str | None = None) -> TokenResponse:
    """A new session (access and refresh token) for a user already authenticated; the session
    of `replaces` (the refresh token the browser app held before) ends."""
    if replaces is not None:
        await logout(session, replaces)
    return await _issue(session, settings, user)


async def refresh(session: AsyncSession, settings: Settings, token: str) -> TokenResponse:
    row = await repository.refresh_by_hash(session, domain.token_hash(token))
    if row is None or row.revoked_at is not None or row.expires_at <= utc_now():
        raise Unauthorized("Refresh token is not valid")
    if row.used_at is not None:
        # A rotated token came back: someone kept a copy. End the whole family.
        await repository.revoke_family(session, row.family)
        raise Unauthorized("Refresh token was already used; please log in again", commit=True)
    user = await repository.user_by_id(session, row.user_id)
    if user is None or not user.active:
        raise Unauthorized("User is not active")
    await repository.mark_refresh_used(session, row.id)
    return await _issue(session, settings, user, row.family)


async def logout(session: AsyncSession, token: str) -> None:
    row = await repository.refresh_by_hash(session, domain.token_hash(token))
    if row is not None:
        await repository.revoke_family(session, row.family)


async def create_user(
    session: AsyncSession, who: Principal | None, data: UserCreate, enforce_policy: bool = True
) -> UserOut:
    """Create a user. Only the demo loader skips the password policy (its logins are public)."""
    problem = domain.password_problem(data.password) if enforce_policy else None
    if problem:
        raise Unprocessable(f"Password is {problem}", field="password")
    row = await repository.insert_user(
        session, id=uuid.uuid4(), username=data.username, display_name=data.display_name,
        role=data.role, password_hash=domain.hash_password(data.password),
        accounts=data.accounts,
    )
    if row is None:
        raise Conflict("A user with this username exists", field="username")
    out = _user_out(row)
    if who is not None:
        await audit.record(session, who, "create", "user", str(row.id),
                           after=out.model_dump(exclude={"created_at"}))
    return out


async def update_user(
    session: AsyncSession, who: Principal, username: str, data: UserUpdate
) -> UserOut:
    row = await repository.user_by_username(session, username)
    if row is None:
        raise NotFound("No such user", field="username")
    values: dict[str, Any] = data.model_dump(exclude_none=True, exclude={"password"})
    if data.password is not None:
        problem = domain.password_problem(data.password)
        if problem:
            raise Unprocessable(f"Password is {problem}", field="password")
        values["password_hash"] = domain.hash_password(data.password)
    if row.username == who.sub and (values.get("role") not in (None, row.role)
                                    or values.get("active") is False):
        raise Unprocessable("Administrators cannot demote or deactivate themselves",
                            field="role")
    if not values:
        return _user_out(row)
    before = _user_out(row)
    updated = await repository.update_user(session, row.id, values)
    if data.active is False or "password_hash" in values or "role" in values:
        await repository.revoke_user_tokens(session, row.id)
    after = _user_out(updated)
    await audit.record(session, who, "update", "user", str(row.id),
                       before=before.model_dump(exclude={"created_at"}),
                       after=after.model_dump(exclude={"created_at"}))
    return after


async def list_users(session: AsyncSession) -> list[UserOut]:
    return [_user_out(r) for r in await repository.list_users(session)]


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    return await repository.user_by_username(session, username)


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await repository.user_by_id(session, user_id)


async def set_accounts(session: AsyncSession, user_id: uuid.UUID, accounts: list[str]) -> User:
    """The accounts a customer login may reach; tokens issued from now on name them."""
    return await repository.update_user(session, user_id, {"accounts": accounts})


async def set_password(session: AsyncSession, user_id: uuid.UUID, password: str) -> None:
    """A new password under the policy; every session of the user ends."""
    problem = domain.password_problem(password)
    if problem:
        raise Unprocessable(f"Password is {problem}", field="password")
    await repository.update_user(session, user_id,
                                 {"password_hash": domain.hash_password(password)})
    await repository.revoke_user_tokens(session, user_id)


def password_problem(password: str) -> str | None:
    return domain.password_problem(password)


def hash_password(password: str) -> str:
    return domain.hash_password(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    return domain.verify_password(password_hash, password)


async def unlock(session: AsyncSession, username: str) -> None:
    """End a login's lock-out: its failures no longer count (they count since the last
    success, and this records one from nowhere)."""
    await repository.record_attempt(session, username, "unlock", True)


async def locked_out(session: AsyncSession, settings: Settings, username: str) -> bool:
    by_user, _ = await repository.recent_failures(session, username, "-",
                                                  settings.login_window_seconds)
    return by_user >= settings.login_max_failures
