"""Events consumed by the adjustments feature: none yet (registered for a uniform layout)."""

from __future__ import annotations

from kernel.inbox import Handlers

handlers = Handlers()
