"""What follows from a change is settled before the commit: every fact once, in recording order,
and a failure leaves nothing pending behind it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.auth import Principal
from kernel.reactions import MAX_ROUNDS, Happened, Reactions, attach, record, settle

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
