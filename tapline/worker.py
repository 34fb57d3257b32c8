"""`python -m tapline.worker SERVICE [--handlers module:function]`: a service's inbox processor
as a process of its own (the service process also runs one; the advisory lock keeps one active).
The handlers' module may also define `reactions()`: what follows from the facts the handlers
record is settled with each event, as in the service process.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import signal

from kernel.db import Database
from kernel.inbox import Handlers, InboxProcessor
from kernel.logs import configure_logging
from kernel.reactions import Reactions
from kernel.settings import SERVICES, get_settings, service_role


def load_handlers(spec: str) -> tuple[Handlers, Reactions | None]:
    module_name, _, fn = spec.partition(":")
    module = importlib.import_module(module_name)
    handlers: Handlers = getattr(module, fn or "handlers")()
    make_reactions = getattr(module, "reactions", None)
    reactions: Reactions | None = make_reactions() if callable(make_reactions) else None
    return handlers, reactions


async def main(service: str, spec: str, poll: float) -> None:
    settings = get_settings()
    configure_logging(f"{service}-worker", settings.log_level)
    db = Database(settings.role_dsn(service_role(service)), service, settings,
                  f"tapline-{service}-worker")
    handlers, reactions = load_handlers(spec)
    processor = InboxProcessor(db, handlers, settings.inbox_max_attempts, settings.inbox_batch,
                               reactions=reactions)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await processor.run_forever(stop, poll)
    finally:
        await db.dispose()


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("service", choices=SERVICES)
    p.add_argument("--handlers", help="module:function returning Handlers")
    p.add_argument("--poll", type=float, default=1.0)
    a = p.parse_args()
    asyncio.run(main(a.service, a.handlers or f"services.{a.service}.app:handlers", a.poll))
