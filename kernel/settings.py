"""Configuration, read once from the environment (and an optional `.env`).

Everything an operator may change lives here so that a deployment is configured, not patched.
"""

from __future__ import annotations

import json
import os
import secrets
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent

SERVICES: tuple[str, ...] = ("accounts", "billing", "payments", "collections")

#: Which services' events each service consumes. The relay copies every event of a source into
#: each subscriber's inbox; the subscriber applies what it handles and skips the rest in order.
SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "accounts": ("billing", "payments", "collections"),
    "billing": ("accounts", "payments", "collections"),
    "payments": ("accounts", "billing", "collections"),
    "collections": ("accounts", "billing", "payments"),
}

DEFAULT_AUTHORITY: dict[str, Decimal] = {
    "csr1": Decimal("25.00"),
    "csr2": Decimal("100.00"),
    "billing_tech": Decimal("100.00"),
    "supervisor": Decimal("1000.00"),
    "field_tech": Decimal("0.00"),
    "admin": Decimal("0.00"),
    "customer": Decimal("0.00"),
}

ROLES: tuple[str, ...] = tuple(DEFAULT_AUTHORITY)
STAFF_ROLES: tuple[str, ...] = tuple(r for r in ROLES if r != "customer")

DEFAULT_PORTS: dict[str, int] = {
    "gateway": 8000,
    "accounts": 8101,
    "billing": 8102,
    "payments": 8103,
    "collections": 8104,
    "relay": 8109,
    "nightly": 8110,
}

#: What the gateway routes `/api/{name}/...` to: the services, and the nightly update's run log.
ROUTED: tuple[str, ...] = (*SERVICES, "nightly")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TAPLINE_", env_file=".env", extra="ignore", populate_by_name=True
    )

    #: Admin connection to an existing PostgreSQL; when unset, the embedded server is used.
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "TAPLINE_DATABASE_URL")
    )
    data_dir: Path = REPO_ROOT / ".tapline"
    demo: bool = False
    utility_name: str = "Tapline Demo Water District"
    #: Service-order kinds whose creation mails the account holder a notice of the visit
    #: (the "service_order" letter, kept with the account). JSON list in the environment.
    order_notice_kinds: list[str] = ["meter_exchange", "backflow_test"]
    timezone: str = "America/Los_Angeles"

    host: str = "127.0.0.1"
    port: int = Field(default=8000, validation_alias=AliasChoices("PORT", "TAPLINE_PORT"))
    service_urls: dict[str, str] = {}

    #: Connections kept open per process. Overflow connections are closed as soon as they are
    #: returned, so bursts beyond the pool reconnect (authentication, cold statement caches)
    #: again and again: at 200 searches/s a pool of 10 opened 140 connections in 30 s, 20 none.
    db_pool_size: int = 20
    db_max_overflow: int = 10
    db_pool_timeout: float = 10.0
    #: Seconds before a pooled connection is replaced (outlives no proxy's idle timeout).
    db_pool_recycle: int = 1800
    embedded_pg_port: int = 54329

    jwt_issuer: str = "tapline"
    jwt_audience: str = "tapline-api"
    jwt_algorithm: str = "ES256"
    access_token_minutes: int = 15
    refresh_token_days: int = 7
    login_max_failures: int = 5
    # -- browser refresh cookie (gateway/auth/cookies.py): auth ----------------------------
    #: `Secure` flag of the refresh cookie. Unset: set when the request came over https (behind
    #: a TLS proxy, run uvicorn with --proxy-headers, or set this to true).
    secure_cookies: bool | None = None
    login_window_seconds: int = 300

    #: Dollar authority per role, e.g. TAPLINE_AUTHORITY='{"csr1": "25", "supervisor": "1000"}'.
    authority: dict[str, Decimal] = Field(default_factory=lambda: dict(DEFAULT_AUTHORITY))

    #: Keys that encrypt bank account numbers at rest: `id:base64key,…`, newest first (it
    #: encrypts; every listed key decrypts). Unset: one key generated into `keys_dir`.
    bank_keys: SecretStr | None = None
    #: Keys that seal portal logins' authenticator seeds (TOTP) at rest, in the form of
    #: `bank_keys`. Unset: one key generated into `keys_dir`.
    totp_keys: SecretStr | None = None
    #: Keys the hash of a lockbox check's MICR bank account (routing + account), so repeat
    #: remitters are recognised without the number being kept. Unset: generated into `keys_dir`.
    lockbox_remitter_secret: SecretStr | None = None

    #: The card / bank-account processor payments takes money through: `sandbox` (built in,
    #: for the demo and tests) or `stripe`.
    payments_processor: Literal["sandbox", "stripe"] = "sandbox"
    #: Stripe's secret API key (`sk_live_…`, `sk_test_…`), needed when the processor is stripe.
    stripe_api_key: SecretStr | None = None
    #: The processor's webhook signing secrets, comma-separated, at most two (both valid while
    #: a secret is rotated): `whsec_…`. Unset with the sandbox: one is generated per process.
    payments_webhook_secrets: SecretStr | None = None

    # ---- bank deposits (payments' bankdeposits/dayend) ----
    #: The district's bank, printed on the deposit slip.
    deposit_bank_name: str = "Riverbend Community Bank"
    #: The district's deposit account; the slip shows only its last four digits.
    deposit_account_number: SecretStr | None = None
    # -- The SMS gateway (kernel/sms) and text-to-pay (payments/texttopay): pay-text --------
    #: Who carries texts: `sandbox` (an in-process outbox, for the demo and tests) or `twilio`.
    sms_provider: Literal["sandbox", "twilio"] = "sandbox"
    #: Twilio's account SID (`AC…`), needed with twilio.
    sms_account_sid: str | None = None
    #: The provider's auth token; comma-separated, at most two while it is rotated (the first
    #: signs API calls, webhooks verify against either). Sandbox: generated per process.
    sms_auth_token: SecretStr | None = None
    #: The number texts come from (E.164), or instead a Twilio messaging service (`MG…`).
    sms_from: str | None = None
    sms_messaging_service_sid: str | None = None
    #: The public URL the provider posts webhooks to (the gateway's); the signature covers it,
    #: so it must be exactly what is configured at the provider, scheme and host included.
    sms_public_url: str = "http://127.0.0.1:8000"
    #: What a HELP text answers with: the district's customer-service phone.
    district_phone: str = "(555) 010-0100"
    #: A balance message's PAY is honoured through this many days after the day it was sent.
    texttopay_reply_days: int = 3
    #: Minutes a text-to-pay confirmation code (or a YES reply) stays valid.
    texttopay_confirm_minutes: int = 60
    # ---- autopay (services/payments/autopay): the district's ACH origination, as its bank
    # set it up, and when debits are scheduled. The demo values are a valid layout, no real bank.
    #: The district's name and the 10-character company id the bank assigned ('1' + its EIN).
    autopay_company_name: str = "Demo Water Dist"
    autopay_company_id: str = "1953123456"
    #: What the customer's statement shows beside the name (10 characters).
    autopay_entry_description: str = "WATER BILL"
    #: The originating bank (ODFI): its routing number starts every trace number.
    autopay_odfi_routing: str = "122000247"
    #: The file header's destination (the bank's routing number) and origin (9-10 characters).
    autopay_immediate_destination: str = "122000247"
    autopay_immediate_destination_name: str = "Demo District Bank"
    autopay_immediate_origin: str = "1953123456"
    autopay_immediate_origin_name: str = "Tapline Demo Water Dist"
    #: A debit is scheduled (and `AutopayDebitScheduled` sent for the pre-notice) this many days
    #: before its debit date.
    autopay_lead_days: int = Field(default=10, ge=1, le=60)
    #: Banking days after a prenote's settlement before live debits (NACHA: at least 3).
    autopay_prenote_days: int = Field(default=3, ge=3, le=30)
    # -- payments: customer portal payments (pay-portal) --
    #: Where the sandbox processor delivers its webhooks (the demo's stand-in for a processor
    #: calling us). Unset: this payments process's own webhook endpoint.
    payments_sandbox_webhook_url: str | None = None
    #: Days the daily recurring run still charges an occurrence it missed (the job did not run
    #: on the day); older ones are not charged.
    payments_recurring_catch_up_days: int = Field(default=5, ge=0, le=27)
    #: The address customers reach Tapline at (`https://pay.example-water.org`): a processor's
    #: own hosted page (Stripe Checkout) returns the customer to a portal path under it. Unset:
    #: the gateway's local address.
    payments_portal_public_url: str | None = None

    #: The collections delinquency policy (TOML); unset: services/collections/config/policy.toml.
    #: Checked against SB 998's floors when loaded: collections refuses to start on a breach.
    collections_policy: Path | None = None

    # ---- collections notices (services/collections/notices): the letterhead ----
    #: The return address printed in the envelope's upper window (lines; JSON list in the
    #: environment). The name is `utility_name`, the phone `district_phone`.
    notices_return_address: list[str] = ["100 Reservoir Road", "Riverbend, CA 95000"]
    #: Office hours printed with the phone number, in English and in Spanish.
    notices_hours_en: str = "Monday to Friday, 8 a.m. to 5 p.m."
    notices_hours_es: str = "lunes a viernes, de 8 a.m. a 5 p.m."
    #: Where the district's policy on discontinuation of residential service is published.
    notices_website: str = "www.example.org/water"

    # ---- payments: returned payments and cash-only (pay-returns) ----
    #: The returned-payment fee assessed with a returned check or ACH return (0 disables it).
    payments_returned_fee: Decimal = Field(default=Decimal("25.00"), ge=0, max_digits=14,
                                           decimal_places=2)
    #: An account is cash-only after this many returns within the window ...
    payments_cash_only_returns: int = Field(default=2, ge=1)
    #: ... of this many months ...
    payments_cash_only_window_months: int = Field(default=12, ge=1, le=120)
    #: ... for this many months after the last of them.
    payments_cash_only_months: int = Field(default=12, ge=1, le=120)

    # ---- e-mail (kernel/mail.py): portal identity's links, later customer notifications ----
    #: Where e-mail goes, as a URL: `smtp://user:password@host:587` (STARTTLS when the server
    #: offers it), `smtp+starttls://…` (STARTTLS required), `smtps://…:465` (TLS from the
    #: start). Unset in demo mode: mail is kept in the development inbox (data_dir/mail, listed
    #: at `/api/mail/dev-inbox`); unset outside demo mode: sending is refused (503).
    smtp_url: SecretStr | None = None
    #: The From of every message Tapline sends.
    mail_from: str = "Tapline Demo Water District <no-reply@example.org>"
    #: Seconds for the SMTP connection and each command.
    smtp_timeout: float = 10.0
    #: Connections a batch of mail (a notification round) is sent over at once.
    smtp_connections: int = Field(default=4, ge=1, le=32)

    # ---- customer notifications (services/accounts/notifications) ----
    #: Days before an autopay debit that the customer is told the amount (NACHA asks for
    #: notice of a debit whose amount changes; 10 days is the rule's default).
    notify_autopay_prenotice_days: int = Field(default=10, ge=0, le=30)
    #: Days before the due date of the due-date reminder (0: none).
    notify_due_reminder_days: int = Field(default=3, ge=0, le=30)
    #: No texts between these local hours (HH:MM; the same value twice: texts at any hour).
    notify_quiet_start: str = "21:00"
    notify_quiet_end: str = "08:00"
    #: Messages the sender claims at once, and seconds between its rounds when idle.
    notify_batch: int = Field(default=200, ge=1, le=5000)
    notify_poll_seconds: float = Field(default=2.0, gt=0)
    #: A folder of the district's own templates (`<lang>/<kind>.j2`), searched before ours.
    notify_templates: Path | None = None

    # ---- billing reports (services/billing/reports): the conservation report ----
    #: Residents of the service area, for residential gallons per capita per day (R-GPCD);
    #: 0: not configured (the report shows the water delivered and no R-GPCD).
    service_area_population: int = Field(default=0, ge=0, le=100_000_000)

    # ---- portal identity (gateway/portal): registration, verification, reset, TOTP ----
    #: Failed registrations (or account links) per account number, and verification resends
    #: or password resets per e-mail, allowed within the window; four times that per address.
    portal_attempts_max: int = Field(default=5, ge=1)
    portal_attempts_window_seconds: int = Field(default=3600, ge=60)
    #: How long a verification link works (hours) and a password-reset link (minutes).
    portal_verify_hours: int = Field(default=48, ge=1, le=24 * 14)
    portal_reset_minutes: int = Field(default=60, ge=5, le=24 * 60)

    upstream_timeout: float = 10.0
    #: The largest request body the gateway and the services accept (kernel/bodylimit.py): the
    #: largest upload is a 32 MiB lockbox file, sent as a form with a few hundred bytes more.
    max_request_bytes: int = Field(default=40 * 1024 * 1024, ge=64 * 1024)
    idempotency_ttl_hours: int = 24
    inbox_max_attempts: int = 8
    inbox_batch: int = 2000
    relay_batch: int = 5000
    relay_poll_seconds: float = 0.5
    #: Seconds an event may wait for the relay before `/api/health` and the relay's metrics
    #: raise the lag alarm (usually a long transaction holding every later event back).
    relay_lag_alarm_seconds: float = 60.0
    log_level: str = "INFO"

    # ---- the nightly update (nightly/, docs/nightly.md) ----
    #: Local time (the utility's time zone) the night's run starts, HH:MM.
    nightly_at: str = Field(default="01:30", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    #: How often the leader looks at the clock and at failed steps due again.
    nightly_poll_seconds: float = 30.0
    #: Seconds one step's call may take (the collections day at 100,000 accounts: about 10).
    nightly_step_timeout: float = 600.0
    #: The gateway the night's calls go through; default: this machine's (`port`).
    nightly_gateway_url: str | None = None

    def url_for(self, name: str) -> str:
        if name in self.service_urls:
            return self.service_urls[name]
        return f"http://127.0.0.1:{DEFAULT_PORTS[name]}"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    def admin_dsn(self) -> str:
        """The admin (migration) connection, as a plain libpq URL."""
        if self.database_url:
            return normalise_url(self.database_url)
        state = self.data_dir / "pg.json"
        if not state.exists():
            raise RuntimeError(
                "No DATABASE_URL and no embedded PostgreSQL yet: run `make run` or "
                "`tapline db start` first."
            )
        info = json.loads(state.read_text())
        return (
            f"postgresql://postgres:{quote(info['password'])}@127.0.0.1:{info['port']}/tapline"
        )

    def role_dsn(self, role: str) -> str:
        """Connection URL for one of Tapline's own login roles (same host and database)."""
        override = os.environ.get(f"TAPLINE_{role.upper()}_DATABASE_URL")
        if override:
            return normalise_url(override)
        parts = urlsplit(self.admin_dsn())
        host = parts.hostname or "127.0.0.1"
        port = f":{parts.port}" if parts.port else ""
        netloc = f"{role}:{quote(role_password(self, role))}@{host}{port}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def normalise_url(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgresql+psycopg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


def async_url(url: str) -> str:
    return "postgresql+asyncpg://" + normalise_url(url)[len("postgresql://") :]


def sync_url(url: str) -> str:
    return "postgresql+psycopg://" + normalise_url(url)[len("postgresql://") :]


def role_password(settings: Settings, role: str) -> str:
    """A login role's password: from the environment, else generated once into data_dir."""
    env = os.environ.get(f"TAPLINE_DB_PASSWORD_{role.upper()}")
    if env:
        return env
    path = settings.data_dir / "secrets.json"
    data: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    if role not in data:
        data[role] = secrets.token_urlsafe(24)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2))
        tmp.chmod(0o600)
        tmp.replace(path)
    return str(data[role])


def service_role(service: str) -> str:
    """The login role a service's process connects as."""
    return f"tapline_{service}"


def owner_role(service: str) -> str:
    """The role that owns a service's schema objects; never used to log in."""
    return f"tapline_{service}_owner"


@lru_cache
def get_settings() -> Settings:
    return Settings()
