"""The sender: a loop in the accounts process that sends what is due, round after round.

Several accounts processes may run it at once: claims are SKIP LOCKED with a lease, so each
message is taken by one; a process that dies mid-send leaves its claims to expire and be sent
by another (at-least-once: the Message-ID is the record's, so a resent e-mail is recognisable).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from kernel.db import Database
from kernel.settings import get_settings
from kernel.sms.configured import from_settings
from services.accounts.notifications import service

log = logging.getLogger("tapline.notifications")


async def run(db: Database, stop: asyncio.Event) -> None:
    settings = get_settings()
    channels = service.Channels(settings, from_settings(settings))
    while not stop.is_set():
        claimed = 0
        try:
            claimed = await service.send_round(db.session, channels)
        except Exception:  # noqa: BLE001 - the sender must outlive a bad round
            log.exception("notifications: a sending round failed")
        if claimed < settings.notify_batch:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=settings.notify_poll_seconds)
