"""Portal identity's use cases (flush only; the request's session commits).

A portal login is a `users` row (role `customer`, username = the e-mail, `accounts` the
accounts it reaches) made and changed through gateway/auth's service, plus a `portal_logins`
row for what only the portal has: the verified e-mail and the second factor. Which accounts a
login may reach is decided by proof (an account number plus a fact from its bill), checked by
accounts over HTTP with the gateway's own system token.

Answers never tell whether an e-mail has a login: registration, resend and reset answer alike
and say what happened only by mail, to the address itself.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.auth import service as auth_service
from gateway.auth.repository import User
from gateway.auth.schemas import TokenResponse, UserCreate
from gateway.portal import domain, repository
from gateway.portal.repository import PortalLogin, StaffView
from gateway.portal.schemas import (
    Accepted,
    AccountProof,
    EmailIn,
    PortalLoginIn,
    PortalLoginOut,
    Profile,
    RegisterIn,
    ResetIn,
    TotpDisable,
    TotpSetup,
    Verified,
)
from kernel import audit
from kernel.auth import Principal, issue_access_token
from kernel.clock import utc_now
from kernel.errors import (
    BadGateway,
    Conflict,
    Forbidden,
    NotFound,
    Problem,
    TooManyRequests,
    Unauthorized,
    Unprocessable,
)
from kernel.keys import signing_key
from kernel.mail import send_mail
from kernel.sealing import Keyring, Unsealable
from kernel.settings import Settings

#: The most accounts one login reaches (as staff may give one, gateway/auth's UserCreate).
MAX_ACCOUNTS = 50

log = logging.getLogger(__name__)


class SecondFactorRequired(Problem):
    """The password was right; now the authenticator app's code is needed (send `totp_code`)."""

    status, code, title = 401, "totp-required", "Second factor required"


class EmailNotVerified(Problem):
    status, code, title = 403, "email-unverified", "E-mail not verified"


class ProofFailed(Problem):
    status, code, title = 422, "proof-failed", "Account not matched"


# ---- helpers ---------------------------------------------------------------------------------

def _public_base(settings: Settings) -> str:
    return settings.payments_portal_public_url or f"http://{settings.host}:{settings.port}"


async def _limit(session: AsyncSession, settings: Settings, kind: str, value: str,
                 client_ip: str) -> str:
    key = domain.attempt_key(kind, value)
    by_key, by_ip = await repository.recent_attempts(
        session, kind, key, client_ip, settings.portal_attempts_window_seconds)
    if domain.is_limited(by_key, by_ip, settings.portal_attempts_max):
        raise TooManyRequests("Too many attempts; try again later",
                              retry_after=settings.portal_attempts_window_seconds)
    return key


async def _prove(accounts: httpx.AsyncClient, settings: Settings,
                 proof: AccountProof) -> str | None:
    """The account id the proof names (accounts decides), or None."""
    token, _ = issue_access_token(signing_key(settings)[1], settings, "gateway-portal", "system",
                                  "portal identity", minutes=1)
    try:
        r = await accounts.post(
            "/api/accounts/portal/proofs", headers={"Authorization": f"Bearer {token}"},
            json=proof.model_dump(mode="json", include={"account_number", "last_bill_amount",
                                                       "service_zip"}))
    except httpx.HTTPError as exc:
        raise BadGateway("Accounts could not be reached to check the account") from exc
    if r.status_code == 404:
        return None
    if r.status_code != 200:
        raise BadGateway(f"Accounts answered {r.status_code} to an account check")
    return str(r.json()["account_id"])


async def _mail_link(session: AsyncSession, settings: Settings, user_id: uuid.UUID,
                     email: str, kind: str, language: str) -> None:
    """Make a link (verify, or reset for `reset` and `already`) and mail it to `email`."""
    purpose = domain.VERIFY if kind == "verify" else domain.RESET
    token, token_hash = domain.new_link_token()
    ttl = (timedelta(hours=settings.portal_verify_hours) if purpose == domain.VERIFY
           else timedelta(minutes=settings.portal_reset_minutes))
    await repository.insert_link(session, user_id, purpose, token_hash, utc_now() + ttl)
    message = domain.link_message(
        kind, language, email, domain.link_url(_public_base(settings), purpose, token),
        settings.utility_name, hours=settings.portal_verify_hours,
        minutes=settings.portal_reset_minutes)
    await send_mail(settings, message)


async def _valid_link(session: AsyncSession, token: str, purpose: str) -> repository.Link:
    link = await repository.link_by_hash(session, domain.link_hash(token))
    if (link is None or link.purpose != purpose or link.used_at is not None
            or link.expires_at <= utc_now()):
        raise Unprocessable("This link is not valid any more; ask for a new one", field="token")
    return link


async def _customer(session: AsyncSession, who: Principal) -> tuple[User, PortalLogin]:
    user = await auth_service.user_by_username(session, who.sub)
    login = await repository.login_by_user(session, user.id, lock=True) if user else None
    if user is None or login is None or not user.active:
        raise NotFound("No portal login")
    return user, login


# ---- registration and verification -----------------------------------------------------------

async def register(session: AsyncSession, settings: Settings, accounts: httpx.AsyncClient,
                   body: RegisterIn, client_ip: str) -> Accepted:
    key = await _limit(session, settings, domain.REGISTER, body.account_number, client_ip)
    problem = auth_service.password_problem(body.password)
    if problem:
        raise Unprocessable(f"Password is {problem}", field="password")
    account_id = await _prove(accounts, settings, body)
    if account_id is None:
        await repository.record_attempt(session, domain.REGISTER, key, client_ip, False)
        raise ProofFailed("The account number and the fact from the bill do not match an "
                          "open account", commit=True)
    await repository.record_attempt(session, domain.REGISTER, key, client_ip, True)
    accepted = Accepted(detail="Check your e-mail for a link to confirm your address.")
    email = domain.normalise_email(body.email)
    existing = await auth_service.user_by_username(session, domain.username_for(email))
    if existing is not None:
        login = await repository.login_by_user(session, existing.id)
        if login is not None and existing.active:
            await _mail_link(session, settings, existing.id, login.email, "already",
                             body.language)
        return accepted
    created = await auth_service.create_user(session, None, UserCreate(
        username=domain.username_for(email), display_name=email, role="customer",
        password=body.password, accounts=[account_id]))
    await repository.insert_login(session, created.id, email)
    await _mail_link(session, settings, created.id, email, "verify", body.language)
    return accepted


async def verify(session: AsyncSession, token: str) -> Verified:
    link = await repository.link_by_hash(session, domain.link_hash(token))
    if link is not None and link.purpose == domain.VERIFY and link.used_at is not None:
        login = await repository.login_by_user(session, link.user_id)
        if login is not None and login.email_verified_at is not None:
            return Verified(verified=True)  # the link opened twice
    link = await _valid_link(session, token, domain.VERIFY)
    await repository.use_link(session, link.id)
    await repository.update_login(session, link.user_id, email_verified_at=utc_now())
    return Verified(verified=True)


async def resend(session: AsyncSession, settings: Settings, body: EmailIn,
                 client_ip: str) -> Accepted:
    key = await _limit(session, settings, domain.RESEND, body.email, client_ip)
    await repository.record_attempt(session, domain.RESEND, key, client_ip, True)
    login = await repository.login_by_email(session, body.email)
    if login is not None and login.email_verified_at is None:
        user = await auth_service.user_by_id(session, login.user_id)
        if user is not None and user.active:
            await _mail_link(session, settings, login.user_id, login.email, "verify",
                             body.language)
    return Accepted(detail="If this address has a login waiting to be confirmed, a new link "
                           "is on its way.")


# ---- signing in ------------------------------------------------------------------------------

async def login(session: AsyncSession, settings: Settings, body: PortalLoginIn,
                client_ip: str) -> TokenResponse:
    """E-mail and password, and the authenticator's code when the login has a second factor.
    A wrong code counts as a failed login (the same limits); a missing one does not."""

    async def second_factor(user: User) -> None:
        portal = await repository.login_by_user(session, user.id, lock=True)
        if portal is None:
            return  # a customer login staff made (the demo's): password only
        if portal.email_verified_at is None:
            raise EmailNotVerified("Confirm your e-mail address first (see the link we sent)")
        if portal.totp_enabled_at is None or portal.totp_secret is None:
            return
        if body.totp_code is None:
            raise SecondFactorRequired("Enter the code from your authenticator app")
        step = _step(_opened(settings, user.id, portal.totp_secret), body.totp_code,
                     portal.totp_last_step)
        if step is None:
            raise Unauthorized("Incorrect code")
        await repository.update_login(session, user.id, totp_last_step=step,
                                      totp_secret=_resealed(settings, user.id, portal.totp_secret))

    user = await auth_service.authenticate(session, settings, domain.username_for(body.email),
                                           body.password, client_ip, check=second_factor)
    return await auth_service.issue_tokens(session, settings, user)


async def refuse_password_only(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Staff's password-only login (`/api/auth/token`) is no way around the portal's checks:
    a registered login with an unconfirmed e-mail or a second factor signs in at the portal."""
    portal = await repository.login_by_user(session, user_id)
    if portal is not None and (portal.email_verified_at is None
                               or portal.totp_enabled_at is not None):
        raise Forbidden("Sign in through the customer portal (POST /api/portal/login)")


# ---- the authenticator's seed, sealed at rest -----------------------------------------------

class TotpKeyring(Keyring):
    """Whoever reads a seed can make a customer's codes, so the table holds it sealed; the
    login's user id is the authenticated context (a seed copied to another login won't open)."""

    purpose = "totp-seed"
    version = "t1"


def _ring(settings: Settings) -> TotpKeyring:
    spec = settings.totp_keys.get_secret_value() if settings.totp_keys else None
    return TotpKeyring.configured(settings, spec, "totp-keys")


def _sealed(settings: Settings, user_id: uuid.UUID, seed: str) -> str:
    return _ring(settings).encrypt(seed, context=str(user_id))


def _opened(settings: Settings, user_id: uuid.UUID, stored: str) -> str | None:
    """The seed; one stored before seeds were sealed (a bare base32 string) reads as is. A
    seed that does not open (its key retired too early, or the row altered) accepts no code,
    so the customer is told the code is wrong and staff reset the second factor."""
    ring = _ring(settings)
    if not ring.is_token(stored):
        return stored
    try:
        return ring.decrypt(stored, context=str(user_id))
    except Unsealable:
        log.error("a portal login's authenticator seed does not open: key %s",
                  ring.key_id_of(stored))
        return None


def _step(seed: str | None, code: str, last_step: int | None) -> int | None:
    return None if seed is None else domain.accepted_step(seed, code, utc_now(), last_step)


def _resealed(settings: Settings, user_id: uuid.UUID, stored: str) -> str:
    """The stored seed sealed under the newest key: a seed stored in the clear, or under a key
    being retired, moves on the login's next use."""
    ring = _ring(settings)
    if ring.is_token(stored):
        return ring.rotate(stored, context=str(user_id))
    return ring.encrypt(stored, context=str(user_id))


# ---- password reset --------------------------------------------------------------------------

async def forgot(session: AsyncSession, settings: Settings, body: EmailIn,
                 client_ip: str) -> Accepted:
    key = await _limit(session, settings, domain.FORGOT, body.email, client_ip)
    await repository.record_attempt(session, domain.FORGOT, key, client_ip, True)
    login = await repository.login_by_email(session, body.email)
    if login is not None:
        user = await auth_service.user_by_id(session, login.user_id)
        if user is not None and user.active:
            await _mail_link(session, settings, login.user_id, login.email, "reset",
                             body.language)
    return Accepted(detail="If this address has a login, a link to choose a new password is "
                           "on its way.")


async def reset(session: AsyncSession, body: ResetIn) -> None:
    """A new password from a reset link; every session ends. Opening the mailed link also
    proves the address, so an unconfirmed e-mail counts as confirmed."""
    link = await _valid_link(session, body.token, domain.RESET)
    await auth_service.set_password(session, link.user_id, body.password)
    await repository.use_link(session, link.id)
    login = await repository.login_by_user(session, link.user_id)
    if login is not None and login.email_verified_at is None:
        await repository.update_login(session, link.user_id, email_verified_at=utc_now())


# ---- the signed-in customer ------------------------------------------------------------------

async def profile(session: AsyncSession, who: Principal) -> Profile:
    user, login = await _customer(session, who)
    return Profile(email=login.email, email_verified=login.email_verified_at is not None,
                   totp_enabled=login.totp_enabled_at is not None,
                   accounts=list(user.accounts or []))


async def totp_setup(session: AsyncSession, settings: Settings, who: Principal) -> TotpSetup:
    _, login = await _customer(session, who)
    if login.totp_enabled_at is not None:
        raise Conflict("A second factor is already set up; turn it off first")
    secret = domain.new_totp_secret()
    await repository.update_login(session, login.user_id,
                                  totp_pending=_sealed(settings, login.user_id, secret))
    uri = domain.totp_uri(secret, login.email, settings.utility_name)
    return TotpSetup(secret=secret, otpauth_uri=uri, qr_code=domain.qr_data_uri(uri))


async def totp_enable(session: AsyncSession, settings: Settings, who: Principal,
                      code: str) -> Profile:
    _, login = await _customer(session, who)
    if login.totp_pending is None:
        raise Conflict("Start the set-up first (POST /api/portal/totp/setup)")
    step = _step(_opened(settings, login.user_id, login.totp_pending), code, None)
    if step is None:
        raise Unprocessable("The code does not match; check the app's clock", field="code")
    await repository.update_login(session, login.user_id,
                                  totp_secret=_resealed(settings, login.user_id,
                                                        login.totp_pending),
                                  totp_pending=None, totp_enabled_at=utc_now(),
                                  totp_last_step=step)
    return await profile(session, who)


async def totp_disable(session: AsyncSession, settings: Settings, who: Principal,
                       body: TotpDisable) -> Profile:
    user, login = await _customer(session, who)
    if login.totp_enabled_at is None or login.totp_secret is None:
        raise Conflict("No second factor is set up")
    # A current code (spent or not: the password is asked for too) shows the app is at hand.
    step = _step(_opened(settings, login.user_id, login.totp_secret), body.code, None)
    if not auth_service.verify_password(user.password_hash, body.password) or step is None:
        raise Unprocessable("The password or the code is not right", field="code")
    await repository.update_login(session, login.user_id, totp_secret=None, totp_pending=None,
                                  totp_enabled_at=None, totp_last_step=None)
    return await profile(session, who)


async def link_account(session: AsyncSession, settings: Settings, accounts: httpx.AsyncClient,
                       who: Principal, body: AccountProof, client_ip: str) -> TokenResponse:
    """Another account under the same login, by the same proof as registration; the tokens
    returned (and every one after) name all of the login's accounts."""
    user, _ = await _customer(session, who)
    key = await _limit(session, settings, domain.LINK, body.account_number, client_ip)
    account_id = await _prove(accounts, settings, body)
    if account_id is None:
        await repository.record_attempt(session, domain.LINK, key, client_ip, False)
        raise ProofFailed("The account number and the fact from the bill do not match an "
                          "open account", commit=True)
    await repository.record_attempt(session, domain.LINK, key, client_ip, True)
    current = list(user.accounts or [])
    if account_id not in current:
        if len(current) >= MAX_ACCOUNTS:
            raise Unprocessable(f"A login reaches at most {MAX_ACCOUNTS} accounts")
        user = await auth_service.set_accounts(session, user.id, [*current, account_id])
    return await auth_service.issue_tokens(session, settings, user)


# ---- staff: helping a customer on the phone --------------------------------------------------

async def _staff_out(session: AsyncSession, settings: Settings,
                     row: StaffView) -> PortalLoginOut:
    return PortalLoginOut(
        id=row.user_id, email=row.email, email_verified=row.email_verified_at is not None,
        totp_enabled=row.totp_enabled_at is not None,
        locked=await auth_service.locked_out(session, settings, row.username),
        active=row.active, accounts=list(row.accounts or []), created_at=row.created_at)


async def logins_for_account(session: AsyncSession, settings: Settings,
                             account_id: uuid.UUID) -> list[PortalLoginOut]:
    return [await _staff_out(session, settings, r)
            for r in await repository.logins_for_account(session, str(account_id))]


async def _staff_view(session: AsyncSession, login_id: uuid.UUID) -> StaffView:
    row = await repository.staff_view(session, login_id)
    if row is None:
        raise NotFound("No such portal login", field="login_id")
    return row


async def resend_for(session: AsyncSession, settings: Settings, who: Principal,
                     login_id: uuid.UUID) -> PortalLoginOut:
    """A CSR sends a new verification link (to the login's own address, never another)."""
    row = await _staff_view(session, login_id)
    if row.email_verified_at is not None:
        raise Conflict("This login's e-mail is already confirmed")
    await _mail_link(session, settings, row.user_id, row.email, "verify", "en")
    await audit.record(session, who, "resend_verification", "portal_login", str(row.user_id))
    return await _staff_out(session, settings, row)


async def second_factor_off(session: AsyncSession, settings: Settings, who: Principal,
                            login_id: uuid.UUID, reason: str) -> PortalLoginOut:
    """A CSR turns a lost authenticator off; the customer signs in with the password and may
    set a new one up. The seed goes with it (nothing kept that could make codes)."""
    row = await _staff_view(session, login_id)
    if row.totp_enabled_at is None:
        raise Conflict("This login has no second factor")
    await repository.update_login(session, row.user_id, totp_secret=None, totp_pending=None,
                                  totp_enabled_at=None, totp_last_step=None)
    await audit.record(session, who, "second_factor_off", "portal_login", str(row.user_id),
                       reason=reason)
    return await _staff_out(session, settings, await _staff_view(session, login_id))


async def unlock(session: AsyncSession, settings: Settings, who: Principal,
                 login_id: uuid.UUID) -> PortalLoginOut:
    """A CSR ends a login's lock-out after too many failed sign-ins."""
    row = await _staff_view(session, login_id)
    await auth_service.unlock(session, row.username)
    await audit.record(session, who, "unlock", "portal_login", str(row.user_id))
    return await _staff_out(session, settings, row)
