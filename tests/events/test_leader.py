"""One active relay among replicas: the leader lock (`kernel.leader`) lets one replica work at a
time, a standby takes over when the leader stops or its database session dies, and the two are
never working at once."""

from __future__ import annotations

import asyncio

import asyncpg

from kernel.leader import Leadership, lead
from tests.events.helpers import role_url


class Replica:
    """A replica whose work records when it ran, and a clock shared with the other."""

    def __init__(self, name: str, log: list[tuple[str, str, float]]) -> None:
        self.name, self.log = name, log
        self.stop = asyncio.Event()
        self.me = Leadership("test-relay")

    async def work(self, halt: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        self.log.append((self.name, "start", loop.time()))
        await halt.wait()
        self.log.append((self.name, "end", loop.time()))


def overlaps(log: list[tuple[str, str, float]]) -> bool:
    running: set[str] = set()
    for name, what, _ in sorted(log, key=lambda x: (x[2], x[1] == "start")):
        if what == "start":
            running.add(name)
            if len(running) > 1:
                return True
        else:
            running.discard(name)
    return False


async def wait_for(condition, seconds: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_one_replica_works_and_a_standby_takes_over_when_it_stops_or_is_cut_off(
        admin_url):
    dsn = role_url(admin_url, "relay")
    log: list[tuple[str, str, float]] = []
    a, b = Replica("a", log), Replica("b", log)
    kw = {"retry_seconds": 0.2, "check_seconds": 0.2}
    ta = asyncio.create_task(lead(dsn, "test-relay", a.stop, a.work, leadership=a.me, **kw))
    await wait_for(lambda: a.me.state == "leader")
    tb = asyncio.create_task(lead(dsn, "test-relay", b.stop, b.work, leadership=b.me, **kw))
    await asyncio.sleep(1.0)
    assert (a.me.state, b.me.state) == ("leader", "standby")

    a.stop.set()  # the leader shuts down: the standby takes over
    await ta
    await wait_for(lambda: any(n == "b" and w == "start" for n, w, _ in log))

    # the new leader's database session is killed: it stops working; a fresh replica leads
    c = Replica("c", log)
    tc = asyncio.create_task(lead(dsn, "test-relay", c.stop, c.work, leadership=c.me, **kw))
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
            "AND objid = (hashtextextended('tapline.leader.test-relay', 0) & 4294967295)::oid "
            "AND granted")
    finally:
        await admin.close()
    await wait_for(lambda: any(n == "b" and w == "end" for n, w, _ in log))
    await wait_for(lambda: sum(w == "start" for _, w, _ in log) >= 3)
    for r in (b, c):
        r.stop.set()
    await asyncio.gather(tb, tc)
    assert not overlaps(log), log
    starts = [n for n, w, _ in log if w == "start"]
    assert starts[:2] == ["a", "b"] and starts[2] in ("b", "c")
