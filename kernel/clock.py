"""Time: instants are UTC; service dates are in the utility's configured zone.

`Day` and `Instant` are the only types a date or an instant comes in as (query, path, header or
body). They take ISO 8601 text and nothing else: `2026-01-05` for a day, a timestamp with its
offset (`2026-01-05T08:30:00-08:00`, `...Z`) for an instant. Pydantic alone would also read
`0` as 1970-01-01 and a naive timestamp as whatever zone the server is in; a client that sends
either has a bug we want to tell it about, not guess around. `kernel.app` refuses to build a
service whose routes take a plain `date` or `datetime`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from kernel.settings import get_settings

#: Business dates (periods, reads, effective dates, "today") outside this range are typos.
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)

_DAY_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
# RFC 3339 `date-time`, which is what OpenAPI's `format: date-time` means: seconds and an offset.
_INSTANT_TEXT = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})")


def utc_now() -> datetime:
    return datetime.now(UTC)


def utility_today() -> date:
    """Today's date where the utility is; business rules take it as a parameter."""
    return datetime.now(ZoneInfo(get_settings().timezone)).date()


def _day_text(value: object) -> object:
    if isinstance(value, datetime):
        raise PydanticCustomError("date_format",
                                  "Input should be a date (YYYY-MM-DD), not a timestamp")
    if isinstance(value, date):  # built in Python (demo data, tests), not read from a client
        return value
    if isinstance(value, str) and _DAY_TEXT.fullmatch(value):
        return value
    raise PydanticCustomError("date_format", "Input should be an ISO 8601 date, YYYY-MM-DD")


def _day_range(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise PydanticCustomError(
            "date_range", "Input should be a date between {earliest} and {latest}",
            {"earliest": str(EARLIEST), "latest": str(LATEST)})
    return value


def _instant_text(value: object) -> object:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str) and _INSTANT_TEXT.fullmatch(value):
        return value
    raise PydanticCustomError(
        "datetime_format",
        "Input should be an ISO 8601 timestamp with its offset, e.g. 2026-01-05T08:30:00Z")


def _instant_utc(value: datetime) -> datetime:
    if value.tzinfo is None:  # only reachable from Python code
        raise PydanticCustomError("datetime_format", "Input should have a time zone offset")
    return value.astimezone(UTC)


# Kept as objects so the build-time check (`kernel.app`) recognises the types by identity.
DAY_CHECK = BeforeValidator(_day_text)
INSTANT_CHECK = BeforeValidator(_instant_text)

#: A date as a client sends it: `YYYY-MM-DD`, 1900-2999. OpenAPI: `string`, `format: date`.
Day = Annotated[date, DAY_CHECK, AfterValidator(_day_range)]
#: An instant as a client sends it: RFC 3339 with an offset, kept in UTC. `format: date-time`.
Instant = Annotated[datetime, INSTANT_CHECK, AfterValidator(_instant_utc)]
