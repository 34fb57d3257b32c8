"""Backflow consumes no events."""

from __future__ import annotations

from kernel.inbox import Handlers

handlers = Handlers()
