"""What follows from a change, done in the change's own transaction.

A use case records what happened: past-tense facts such as `ServiceStarted` or `MeterExchanged`,
plain dataclasses (`record(session, who, fact)`). Before the transaction commits, `settle` hands
the facts to the reactions registered for their types: a read model refreshed, a letter sent,
another feature's follow-up (whose own facts are settled in turn), and the announced facts
published to the outbox. Work that follows from a change is then written once, where it belongs,
rather than by hand in every use case that makes the change; and since it runs in the same
transaction, a change never commits without what follows from it, nor the other way round.

`TxRoute` settles before the request's one commit, the inbox before an event counts as applied.
A use case that answers with something a reaction made (the id of the letter it caused) settles
first itself. Kept in the kernel because every service records facts the same way.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from itertools import groupby

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.auth import Principal
from kernel.outbox import Event, publish

_REACTIONS = "tapline.reactions"
_PENDING = "tapline.pending_facts"
#: Reactions recording facts that cause reactions...: more rounds than this is a loop.
MAX_ROUNDS = 8


@dataclass(frozen=True, slots=True)
class Happened:
    """A recorded fact and who caused it (reactions audit and publish in their name)."""

    fact: object
    who: Principal


Reaction = Callable[[AsyncSession, list[Happened]], Awaitable[None]]


class Reactions:
    """Fact types -> what follows from them, run in registration order.

    A reaction receives, at once and in recording order, every pending fact that is an instance
    of one of its types, so it can do its work set-based (one search refresh per request).
    """

    def __init__(self) -> None:
        self._reactions: list[tuple[tuple[type, ...], Reaction]] = []

    def on(self, *fact_types: type) -> Callable[[Reaction], Reaction]:
        def register(fn: Reaction) -> Reaction:
            self._reactions.append((fact_types, fn))
            return fn

        return register

    def merge(self, other: Reactions) -> Reactions:
        self._reactions.extend(other._reactions)
        return self

    async def run(self, session: AsyncSession, happened: list[Happened]) -> None:
        for fact_types, reaction in self._reactions:
            mine = [h for h in happened if isinstance(h.fact, fact_types)]
            if mine:
                await reaction(session, mine)


def attach(session: AsyncSession, reactions: Reactions) -> None:
    """The session's facts will be settled by `reactions` (done where sessions are opened)."""
    session.info[_REACTIONS] = reactions
    session.info[_PENDING] = []


def record(session: AsyncSession, who: Principal, *facts: object) -> None:
    pending: list[Happened] | None = session.info.get(_PENDING)
    if pending is None:
        raise RuntimeError("No reactions attached to this session: these facts would be lost")
    pending.extend(Happened(f, who) for f in facts)


async def settle(session: AsyncSession) -> list[Happened]:
    """Run the reactions to every pending fact, and to the facts they record, until none is
    left; returns every fact settled, in recording order. A failure discards what is pending:
    the caller rolls the transaction (or savepoint) back, so none of it happened."""
    reactions: Reactions | None = session.info.get(_REACTIONS)
    pending: list[Happened] = session.info.get(_PENDING, [])
    if reactions is None or not pending:
        return []
    settled: list[Happened] = []
    try:
        for _ in range(MAX_ROUNDS):
            batch = pending[:]
            pending.clear()
            await reactions.run(session, batch)
            settled.extend(batch)
            if not pending:
                return settled
        raise RuntimeError(f"Reactions still recording facts after {MAX_ROUNDS} rounds")
    except BaseException:
        pending.clear()
        raise


def discard(session: AsyncSession) -> None:
    """Forget pending facts (their savepoint was rolled back)."""
    pending: list[Happened] | None = session.info.get(_PENDING)
    if pending is not None:
        pending.clear()


class Announced(ABC):
    """A fact other services hear of: published as the outbox event that `event` makes."""

    @abstractmethod
    def event(self) -> Event: ...


async def _publish_announced(session: AsyncSession, happened: list[Happened]) -> None:
    """One outbox statement per actor (normally one per round), in recording order."""
    for actor, group in groupby(happened, key=lambda h: h.who.sub):
        await publish(session, [h.fact.event() for h in group
                                if isinstance(h.fact, Announced)], actor)


def announcing() -> Reactions:
    """The reaction that publishes every `Announced` fact to the service's outbox."""
    reactions = Reactions()
    reactions.on(Announced)(_publish_announced)
    return reactions
