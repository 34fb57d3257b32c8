"""The nightly update's service token: a short-lived access token for a `system` principal
named `nightly`, signed with the gateway's key, that the gateway lets through only to the
routes of the night's steps (`ROUTES`) and refuses everywhere else, so a leaked token can run
the night's work and nothing more. The target routes accept the `system` role; docs/nightly.md.
"""

from __future__ import annotations

from kernel.auth import Principal, issue_access_token
from kernel.keys import private_key
from kernel.settings import Settings

SUB = "nightly"
ROLE = "system"

#: (method, path prefix) the token may be used on.
ROUTES: tuple[tuple[str, str], ...] = (
    ("POST", "/api/collections/daily"),
    ("POST", "/api/payments/autopay/run"),
    ("POST", "/api/accounts/deposits/review"),
    ("POST", "/api/billing/usage/leaks/detect"),
    ("GET", "/api/accounts/reports"),
    ("GET", "/api/billing/reports"),
    ("GET", "/api/payments/reports"),
    ("GET", "/api/collections/reports"),
)


def mint(settings: Settings, minutes: int = 15) -> str:
    token, _ = issue_access_token(private_key(settings), settings, SUB, ROLE, "Nightly update",
                                  minutes=minutes)
    return token


def is_night(who: Principal) -> bool:
    return who.sub == SUB and who.role == ROLE


def allowed(method: str, path: str) -> bool:
    """Whether the night's token may make this request: a listed route or one below it."""
    return any(method == m and (path == p or path.startswith((p + "/", p + ".", p + "?")))
               for m, p in ROUTES)
