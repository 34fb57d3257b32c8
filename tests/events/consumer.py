"""A test consumer: records each applied event in billing's audit trail (transactionally), and
refuses events of type `test.Poison`. Used in-process and by `python -m tapline.worker`."""

from __future__ import annotations

import os
from typing import TextIO

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent


async def record(session: AsyncSession, event: InboxEvent) -> None:
    await session.execute(
        text("INSERT INTO audit_log (actor, action, entity, entity_id, after) "
             "VALUES ('test', 'applied', :key, :eid, "
             "jsonb_build_object('seq', CAST(:seq AS bigint)))"),
        {"key": event.key, "eid": str(event.event_id), "seq": event.key_seq},
    )


async def poison(session: AsyncSession, event: InboxEvent) -> None:
    raise ValueError("this event can never be applied")


def handlers() -> Handlers:
    h = Handlers()
    h.add("test.Counted", record)
    h.add("test.Poison", poison)
    return h


async def record_many(session: AsyncSession, events: list[InboxEvent]) -> None:
    await session.execute(
        text("INSERT INTO audit_log (actor, action, entity, entity_id, after) "
             "SELECT 'test', 'applied', k, e, jsonb_build_object('seq', s) "
             "FROM unnest(CAST(:keys AS text[]), CAST(:ids AS text[]), CAST(:seqs AS bigint[])) "
             "AS t(k, e, s)"),
        {"keys": [e.key for e in events], "ids": [str(e.event_id) for e in events],
         "seqs": [e.key_seq for e in events]},
    )


def batch_handlers() -> Handlers:
    """The same effect as `handlers()`, applied set-based (one statement per wave)."""
    h = Handlers()
    h.add_batch("test.Counted", record_many)
    h.add("test.Poison", poison)
    return h


_attempts: list[TextIO] = []


def _attempt_log() -> TextIO:
    """The file named by TAPLINE_TEST_ATTEMPTS, opened once per process for appending."""
    if not _attempts:
        _attempts.append(open(os.environ["TAPLINE_TEST_ATTEMPTS"], "a", buffering=1))  # noqa: SIM115
    return _attempts[0]


async def record_attempt(session: AsyncSession, event: InboxEvent) -> None:
    """`record`, after writing the attempt to a file outside the transaction: a SIGKILL or a
    rollback undoes the effect, not the line, so the test counts every redelivery."""
    print(event.event_id, file=_attempt_log())
    await record(session, event)


def counting_handlers() -> Handlers:
    h = Handlers()
    h.add("test.Counted", record_attempt)
    return h
