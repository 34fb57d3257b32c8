"""`python -m services.collections.daily [--today YYYY-MM-DD]`: the daily job from a scheduler
(cron, a systemd timer), in one transaction of its own."""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import date
from typing import Any

from kernel.clock import utility_today
from kernel.db import Database
from kernel.settings import get_settings, service_role
from services.collections.daily import service


async def _main(today: date) -> dict[str, Any]:
    settings = get_settings()
    db = Database(settings.role_dsn(service_role("collections")), "collections", settings,
                  "tapline-collections-daily")
    try:
        async with db.session() as session:
            result = await service.run(session, today, "system")
            await session.commit()
            return result
    finally:
        await db.dispose()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--today", type=date.fromisoformat, default=None)
    args = ap.parse_args(argv)
    print(json.dumps(asyncio.run(_main(args.today or utility_today())), default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
