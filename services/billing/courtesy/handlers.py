"""Courtesy calls consume no events: the worklist is derived from billing's own reads and their
`high` exceptions (raised by `reads`, judged again when the copy catches up), and the copy of
accounts that `copy/handlers.py` keeps."""

from __future__ import annotations

from kernel.inbox import Handlers

handlers = Handlers()
