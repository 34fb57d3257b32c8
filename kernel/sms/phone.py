"""Phone numbers as providers take them: E.164 (`+15415550123`).

Staff type numbers as customers say them; a ten-digit North American number (with any
punctuation, optionally a leading 1) is read as +1, anything else must already carry its `+`
and country code. Only the shape is checked (NANP area and exchange codes start 2–9); whether
a number takes texts is the provider's answer when the confirmation code is sent.
"""

from __future__ import annotations

import re

from kernel.sms.base import InvalidPhone

_E164 = re.compile(r"\+[1-9][0-9]{7,14}")
_NANP = re.compile(r"1?([2-9][0-9]{2}[2-9][0-9]{6})")
_PUNCTUATION = re.compile(r"[\s().\-]")


def e164(text: str, field: str = "phone") -> str:
    raw = _PUNCTUATION.sub("", text or "")
    if raw.startswith("+"):
        if not _E164.fullmatch(raw):
            raise InvalidPhone(field=field)
        if raw.startswith("+1") and not _NANP.fullmatch(raw[1:]):
            raise InvalidPhone(field=field)
        return raw
    m = _NANP.fullmatch(raw)
    if m is None:
        raise InvalidPhone(field=field)
    return "+1" + m.group(1)


def mask(phone: str) -> str:
    """What a letter, a log or an event for staff shows: the last four digits."""
    return "••" + phone[-4:] if len(phone) >= 4 else "••"
