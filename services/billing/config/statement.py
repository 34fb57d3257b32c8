"""What a district prints on its statements: identity, logo, late-charge wording, messages.

Saved under the billing config key `statements.district` (one JSON document, edited by a
supervisor through `PUT /api/billing/statements/config`); anything not saved falls back to the
settings the collections letterhead already uses (`utility_name`, `district_phone`,
`notices_return_address`, `notices_hours_*`, `notices_website`), so a new district gets a
complete statement before it configures anything (docs/statements.md).
"""

from __future__ import annotations

import base64
import binascii
import io
from decimal import Decimal
from typing import Literal

from PIL import Image
from pydantic import BaseModel, Field, StrictBool, StrictInt, field_validator
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.clock import Day
from kernel.settings import get_settings
from services.billing.config import service as config

KEY = "statements.district"
#: A logo is printed 1.6" wide at most; 256 KB of PNG or JPEG is far more than that needs.
MAX_LOGO_BYTES = 256 * 1024


class Message(BaseModel):
    """A district message, printed on the statements it targets while it is in force.

    `cycles` / `rate_classes` empty means every cycle / class; both set means both must hold.
    The Spanish text is printed for Spanish-language customers (the English one if it is empty).
    """

    en: str = Field(min_length=1, max_length=600)
    es: str = Field(default="", max_length=600)
    kind: Literal["drought", "rate_change", "conservation", "general"] = "general"
    cycles: list[str] = []
    rate_classes: list[str] = []
    starts: Day | None = None
    ends: Day | None = None


class LateCharge(BaseModel):
    """What happens after the due date, as the statement says it (collections assesses it)."""

    percent: Decimal = Field(default=Decimal("10"), ge=0, le=100, decimal_places=2)
    minimum: Decimal = Field(default=Decimal("0"), ge=0, decimal_places=2)
    grace_days: StrictInt = Field(default=0, ge=0, le=60)


class District(BaseModel):
    """The statement's letterhead and everything around the charges."""

    name: str = ""
    address: list[str] = []
    phone: str = ""
    hours_en: str = ""
    hours_es: str = ""
    website: str = ""
    portal: str = ""
    #: The remittance address in the stub's window (where the lockbox bank receives mail).
    remit_to: list[str] = []
    #: PNG or JPEG, base64; printed top left, 1.6" wide at most.
    logo_base64: str = ""
    late_charge: LateCharge = LateCharge()
    messages: list[Message] = []
    #: Account messages: shown when they apply (autopay, past due, paperless offer).
    paperless_offer: StrictBool = True

    @field_validator("logo_base64")
    @classmethod
    def _logo(cls, v: str) -> str:
        if not v:
            return v
        try:
            raw = base64.b64decode(v, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("logo_base64 is not base64") from None
        if len(raw) > MAX_LOGO_BYTES:
            raise ValueError(f"the logo is over {MAX_LOGO_BYTES // 1024} KB")
        if not (raw.startswith(b"\x89PNG\r\n\x1a\n") or raw.startswith(b"\xff\xd8\xff")):
            raise ValueError("the logo must be a PNG or JPEG image")
        try:  # decoded once here, so a broken file is refused now, not at every statement
            with Image.open(io.BytesIO(raw)) as im:
                im.load()
        except (OSError, SyntaxError, ValueError):
            raise ValueError("the logo is not a readable PNG or JPEG image") from None
        return v

    def logo(self) -> bytes | None:
        return base64.b64decode(self.logo_base64) if self.logo_base64 else None


def with_defaults(d: District) -> District:
    """Blank fields take the district's settings (the same letterhead as notices)."""
    s = get_settings()
    address = d.address or list(s.notices_return_address)
    return d.model_copy(update={
        "name": d.name or s.utility_name, "address": address,
        "phone": d.phone or s.district_phone, "hours_en": d.hours_en or s.notices_hours_en,
        "hours_es": d.hours_es or s.notices_hours_es, "website": d.website or s.notices_website,
        "portal": d.portal or s.payments_portal_public_url or s.notices_website,
        "remit_to": d.remit_to or [d.name or s.utility_name, "Payment Processing", *address]})


async def load(s: AsyncSession) -> District:
    """The saved district (as saved, without defaults: what the editor shows)."""
    return await config.load(s, KEY, District)


async def effective(s: AsyncSession) -> District:
    return with_defaults(await load(s))


async def save(s: AsyncSession, d: District) -> None:
    await config.save(s, KEY, d)
