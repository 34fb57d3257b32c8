"""What follows from a change is settled before the commit: every fact once, in recording order,
and a failure leaves nothing pending behind it."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.auth import Principal
from kernel.inbox import Handlers, InboxEvent, InboxProcessor
from kernel.outbox import Event
from kernel.reactions import (
    MAX_ROUNDS,
    Announced,
    Happened,
    Reactions,
    announcing,
    attach,
    record,
    settle,
)

CLERK = Principal(sub="clerk", role="csr1")


@dataclass(frozen=True)
class Started:
    n: int


@dataclass(frozen=True)
class Followed:
    n: int


def _session(reactions: Reactions) -> AsyncSession:
    session = AsyncSession()  # no statement is run: the facts live in `session.info`
    attach(session, reactions)
    return session


async def test_a_reactions_own_facts_settle_in_the_next_round_after_the_use_cases():
    seen: list[list[object]] = []
    reactions = Reactions()

    @reactions.on(Started)
    async def follow(session: AsyncSession, happened: list[Happened]) -> None:
        seen.append([h.fact for h in happened])
        record(session, CLERK, *(Followed(h.fact.n) for h in happened
                                 if isinstance(h.fact, Started)))

    @reactions.on(Started, Followed)
    async def watch(session: AsyncSession, happened: list[Happened]) -> None:
        seen.append([h.fact for h in happened])

    session = _session(reactions)
    record(session, CLERK, Started(1), Started(2))
    settled = await settle(session)

    assert seen == [[Started(1), Started(2)], [Started(1), Started(2)],
                    [Followed(1), Followed(2)]]
    assert [h.fact for h in settled] == [Started(1), Started(2), Followed(1), Followed(2)]
    assert {h.who for h in settled} == {CLERK}
    assert await settle(session) == []  # each fact is settled once


async def test_a_fact_recorded_where_nothing_would_settle_it_is_refused_not_lost():
    with pytest.raises(RuntimeError, match="would be lost"):
        record(AsyncSession(), CLERK, Started(1))


async def test_a_failing_reaction_leaves_nothing_pending():
    reactions = Reactions()

    @reactions.on(Started)
    async def fail(session: AsyncSession, happened: list[Happened]) -> None:
        record(session, CLERK, Followed(0))
        raise ValueError("letter template missing")

    session = _session(reactions)
    record(session, CLERK, Started(1))
    with pytest.raises(ValueError):
        await settle(session)
    assert await settle(session) == []


async def test_reactions_that_keep_causing_each_other_are_stopped():
    reactions = Reactions()

    @reactions.on(Started)
    async def again(session: AsyncSession, happened: list[Happened]) -> None:
        record(session, CLERK, Started(len(happened)))

    session = _session(reactions)
    record(session, CLERK, Started(0))
    with pytest.raises(RuntimeError, match=f"after {MAX_ROUNDS} rounds"):
        await settle(session)


def test_a_standalone_worker_settles_what_accounts_handlers_record():
    from tapline.worker import load_handlers

    handlers, reactions = load_handlers("services.accounts.app:handlers")
    assert handlers.handles("billing.ServiceOrderRequested")
    assert reactions is not None


@dataclass(frozen=True)
class Noted(Announced):
    n: int

    def event(self) -> Event:
        return Event("test.Noted", f"account:{self.n}", {"n": self.n})


async def test_an_event_whose_reaction_fails_is_parked_and_nothing_it_caused_is_published(
        bound, service_apps):
    """The inbox settles each event's facts in its savepoint: the failing one leaves no trace,
    the others' reactions (here, the outbox) stand."""
    handlers = Handlers()

    @handlers.on("test.Note")
    async def note(session: AsyncSession, event: InboxEvent) -> None:
        record(session, Principal(sub="test-events", role="system"), Noted(event.payload["n"]))

    reactions = Reactions()

    @reactions.on(Noted)
    async def refuse_thirteen(session: AsyncSession, happened: list[Happened]) -> None:
        if any(isinstance(h.fact, Noted) and h.fact.n == 13 for h in happened):
            raise ValueError("thirteen")

    conn = bound["accounts"]
    for n in (12, 13, 14):
        await conn.execute(text(
            "INSERT INTO inbox (event_id, source, type, version, key, key_seq, payload, "
            "occurred_at) VALUES (:e, 'test', 'test.Note', 1, :k, 1, CAST(:p AS jsonb), now())"),
            {"e": uuid.uuid4(), "k": f"account:{n}", "p": json.dumps({"n": n})})
    processor = InboxProcessor(service_apps["accounts"].state.db, handlers, max_attempts=1,
                               reactions=reactions.merge(announcing()))
    await processor.drain()

    published = (await conn.execute(text(
        "SELECT payload->>'n' FROM outbox WHERE type = 'test.Noted' ORDER BY 1"))).scalars().all()
    assert published == ["12", "14"]
    parked = (await conn.execute(text(
        "SELECT key FROM inbox WHERE status = 'parked'"))).scalars().all()
    assert parked == ["account:13"]
