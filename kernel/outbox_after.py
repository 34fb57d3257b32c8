"""Publishing what a data-modifying statement just wrote, in that same statement.

`kernel.outbox.publishing` takes a SELECT of events; PostgreSQL allows a data-modifying CTE only
at the top of a statement, so that SELECT cannot itself insert. A bulk use case that writes rows
and announces each one (a lockbox file: 100,000 payments) would then send the new rows' ids back
and forth between two statements. `publishing_after` puts the writing CTEs first and lets the
event source read their RETURNING rows: one statement, nothing shipped back but a count. The
numbering of the events is the kernel's one publishing statement, unchanged.
"""

from __future__ import annotations

from sqlalchemy import TextClause, text

from kernel.outbox import publishing

_OPENING = "WITH ev AS MATERIALIZED ("
_BASE = publishing("{source}").text
if _OPENING not in _BASE:  # pragma: no cover - guards the kernel's template shape at import
    raise RuntimeError("kernel.outbox's publishing statement no longer opens with its events")


def publishing_after(ctes: str, source: str) -> TextClause:
    """The statement that runs `ctes` (e.g. `ins AS (INSERT ... RETURNING ...)`) and publishes
    the events `source` selects (it may read those CTEs), for `kernel.outbox.publish_batch`,
    which then returns the number of events. `source` yields the columns `publishing` asks for;
    bind parameters must not be named `request_id` or `actor`. Build it once, at import time."""
    head, _, tail = _BASE.partition(_OPENING)
    return text(head + "WITH " + ctes + ", " + _OPENING.removeprefix("WITH ")
                + tail.replace("{source}", source))


_INSERT = "INSERT INTO outbox ("
if _INSERT not in _BASE:  # pragma: no cover - guards the kernel's template shape at import
    raise RuntimeError("kernel.outbox's publishing statement no longer ends in its INSERT")


def publishing_within(ctes: str, source: str, result: str) -> TextClause:
    """`publishing_after`, but the outbox INSERT becomes the CTE `published` (its RETURNING is
    the events' ids) and the statement answers with `result`, a SELECT that may read every CTE:
    a use case that must learn what its writing CTEs did (a duplicate, a missing row) and
    publish in the same statement, one round trip in all. Bind `request_id` and `actor` as
    `publish_batch` does. Build it once, at import time."""
    head, _, tail = _BASE.partition(_OPENING)
    events, _, insert = tail.replace("{source}", source).partition(_INSERT)
    return text(head + "WITH " + ctes + ", " + _OPENING.removeprefix("WITH ") + events.rstrip()
                + ", published AS (" + _INSERT + insert.rstrip() + " RETURNING event_id) "
                + result)
