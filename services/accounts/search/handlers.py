"""Search consumes no events: it is refreshed in the transaction of each change."""

from __future__ import annotations

from kernel.inbox import Handlers

handlers = Handlers()
