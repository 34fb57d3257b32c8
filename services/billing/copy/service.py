"""Use cases of the accounts copy: apply events, rebuild from the start, compare with the source."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import copy
from kernel.auth import Principal
from services.billing.copy import repository as repo
from services.billing.copy.schemas import CheckResult, RebuildResult, TableFingerprint


async def rebuild(session: AsyncSession, who: Principal, mode: str) -> RebuildResult:
    """Clear the copy and the inbox progress for `accounts`, then let the events apply again
    (`kernel.copy.rebuild`, shared with collections' copy).

    `mode="local"` puts billing's own stored accounts events back in line (no relay needed);
    `mode="relay"` deletes them too, and the operator rewinds the relay cursor
    (`relay.core.Relay.rewind("accounts", "billing")`) so the relay copies the whole history.
    """
    return await copy.rebuild(session, who, ("accounts",), repo.clear_copy, mode)


async def check(session: AsyncSession) -> CheckResult:
    prints = await repo.fingerprints(session)
    return CheckResult(tables=[TableFingerprint(table=t, rows=n, md5=h)
                               for t, (n, h) in prints.items()])
