"""Portal identity's rules, no I/O: link tokens, attempt keys, the second factor, the mails.

Links carry their token after `#` (`/portal/verify#token=…`): a browser never sends the
fragment to a server, so the token is in no access log or proxy log on the way; the portal
page posts it in a body.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from html import escape

import pyotp
import segno

#: What a link does, and how long it works.
VERIFY, RESET = "verify", "reset"
#: Kinds of rate-limited attempts besides logins (which gateway/auth limits).
REGISTER, LINK, RESEND, FORGOT = "register", "link", "resend", "forgot"

TOTP_PERIOD = 30


def new_link_token() -> tuple[str, str]:
    """An unguessable link token and the hash kept of it (never the token)."""
    token = secrets.token_urlsafe(32)
    return token, link_hash(token)


def link_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def attempt_key(kind: str, value: str) -> str:
    """What an attempt is counted by, kept as a hash: the account number or e-mail tried is
    personal data, and the limit only needs to know two attempts tried the same one."""
    normal = "".join(value.split()).replace("-", "").lower() if kind in (REGISTER, LINK) \
        else value.strip().lower()
    return hashlib.sha256(f"{kind}:{normal}".encode()).hexdigest()


def is_limited(by_key: int, by_ip: int, limit: int) -> bool:
    """Too many attempts at one key, or many more from one address (as logins)."""
    return by_key >= limit or by_ip >= limit * 4


def normalise_email(email: str) -> str:
    return email.strip()


def username_for(email: str) -> str:
    """A portal login's username is its e-mail, compared without case."""
    return email.strip().lower()


# ---- the second factor (RFC 6238, 30-second steps, 6 digits) --------------------------------

def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_data_uri(uri: str) -> str:
    """The set-up URI as a QR code an authenticator app scans: an SVG data URI, drawn here so
    the seed never goes to a third-party QR service or a script on the page."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=4))


def totp_step(at: datetime) -> int:
    return int(at.timestamp()) // TOTP_PERIOD


def accepted_step(secret: str, code: str, at: datetime, last_step: int | None) -> int | None:
    """The time step `code` belongs to (this one or a neighbour, for a clock a little off), or
    None: a wrong code, or one already used (a step at or before the last one accepted)."""
    totp = pyotp.TOTP(secret)
    now = totp_step(at)
    for step in (now, now - 1, now + 1):
        if secrets.compare_digest(totp.at(step * TOTP_PERIOD), code):
            return step if last_step is None or step > last_step else None
    return None


# ---- the mails ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Wording:
    subject: str
    lines: tuple[str, ...]
    action: str


_VERIFY = {
    "en": Wording("Confirm your e-mail for {utility}",
                  ("Thank you for registering for {utility}'s customer portal.",
                   "Open this link to confirm your e-mail address (it works for {hours} hours):"),
                  "Confirm my e-mail"),
    "es": Wording("Confirme su correo electrónico para {utility}",
                  ("Gracias por registrarse en el portal de clientes de {utility}.",
                   "Abra este enlace para confirmar su correo (es válido por {hours} horas):"),
                  "Confirmar mi correo"),
}
_RESET = {
    "en": Wording("Reset your {utility} portal password",
                  ("Someone asked to reset the password of your {utility} portal login.",
                   "Open this link to choose a new one (it works for {minutes} minutes). If it "
                   "was not you, ignore this message: your password stays as it is."),
                  "Choose a new password"),
    "es": Wording("Restablezca su contraseña del portal de {utility}",
                  ("Alguien pidió restablecer la contraseña de su acceso al portal de {utility}.",
                   "Abra este enlace para elegir una nueva (es válido por {minutes} minutos). Si "
                   "no fue usted, ignore este mensaje: su contraseña no cambia."),
                  "Elegir una contraseña nueva"),
}
_ALREADY = {
    "en": Wording("Your {utility} portal login",
                  ("Someone tried to register this e-mail address for {utility}'s customer "
                   "portal, but it already has a login.",
                   "If it was you and you forgot your password, choose a new one here (the link "
                   "works for {minutes} minutes). If not, ignore this message."),
                  "Choose a new password"),
    "es": Wording("Su acceso al portal de {utility}",
                  ("Alguien intentó registrar este correo en el portal de clientes de "
                   "{utility}, pero ya tiene un acceso.",
                   "Si fue usted y olvidó su contraseña, elija una nueva aquí (el enlace es "
                   "válido por {minutes} minutos). Si no, ignore este mensaje."),
                  "Elegir una contraseña nueva"),
}
_TEMPLATES = {"verify": _VERIFY, "reset": _RESET, "already": _ALREADY}


def link_url(base: str, purpose: str, token: str) -> str:
    return f"{base.rstrip('/')}/portal/{purpose}#token={token}"


def link_message(kind: str, language: str, to: str, url: str, utility: str,
                 hours: int = 0, minutes: int = 0) -> EmailMessage:
    """A plain-text and HTML mail carrying one link (`kind`: verify, reset, already)."""
    words = _TEMPLATES[kind].get(language) or _TEMPLATES[kind]["en"]
    fill = {"utility": utility, "hours": hours, "minutes": minutes}
    lines = [line.format(**fill) for line in words.lines]
    msg = EmailMessage()
    msg["To"] = to
    msg["Subject"] = words.subject.format(**fill)
    msg.set_content("\n\n".join([*lines, url, utility]) + "\n")
    html_lines = "".join(f"<p>{escape(line)}</p>" for line in lines)
    msg.add_alternative(
        f"<!doctype html><html lang=\"{language}\"><body>{html_lines}"
        f"<p><a href=\"{escape(url)}\">{escape(words.action)}</a></p>"
        f"<p>{escape(utility)}</p></body></html>", subtype="html")
    return msg

