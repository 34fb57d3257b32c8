"""`python -m relay`: the relay loop alone, without its HTTP health server."""

from __future__ import annotations

import asyncio
import signal

import asyncpg

from kernel.logs import configure_logging
from kernel.settings import get_settings, service_role
from relay.app import run_loop
from relay.core import Relay


async def main() -> None:
    settings = get_settings()
    configure_logging("relay", settings.log_level)
    dsn = settings.role_dsn(service_role("relay"))
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4)  # pairs copy at once
    relay = Relay(pool, batch=settings.relay_batch)
    await relay.ensure_cursors()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await run_loop(relay, dsn, stop, settings.relay_poll_seconds)
    finally:
        await pool.close()


if __name__ == "__main__":
    asyncio.run(main())
