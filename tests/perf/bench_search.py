"""Search benchmark: p50/p95/p99 of `GET /api/accounts/search` through the gateway.

    python -m tests.perf.bench_search [--accounts 1000000] [--rate 200] [--seconds 30] [--keep]

Starts its own embedded PostgreSQL (the test harness), generates N accounts set-based (customer,
premise, meter, two service agreements each, the search tables), measures 500 queries of the mix
against the database alone, then starts the gateway and the accounts service as uvicorn
processes (as deployed) and sends the mix of CSR queries (misspelt names, partial addresses,
phones, emails, meter serials, APNs, account numbers) open-loop at a fixed arrival rate over
loopback HTTP. It prints latency per kind and CPU milliseconds per request per process, and
writes tests/perf/results/search-<N>.json. The issue's target: p95 <= 15 ms at 200/s, 1M accounts.

The benchmark starts a PostgreSQL of its own (2 GB shared buffers) and removes it afterwards.
Generating 1,000,000 accounts takes about 6 minutes, so against a server you keep
(`TEST_DATABASE_URL`, an admin URL) `--keep` generates into a database named
`bench_search_<N>` and leaves it there; a later run with `--keep` reuses it.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"

SYLLABLES = ("al", "ba", "car", "del", "es", "fer", "gar", "her", "ib", "jo", "ka", "lo", "mar",
             "nu", "or", "pe", "qui", "ro", "san", "to", "u", "vas", "wen", "xi", "yo", "zam")
FIRST = ("maria", "jose", "juan", "linda", "james", "mary", "robert", "patricia", "michael",
         "jennifer", "david", "elizabeth", "william", "susan", "richard", "jessica", "thomas",
         "sarah", "daniel", "karen", "anh", "minh", "priya", "arjun", "mei", "wei", "fatima",
         "omar", "kou", "yer", "gurpreet", "rosa", "luis", "carmen", "jorge", "ana", "miguel",
         "sofia", "alejandro", "thanh", "emily", "joshua", "ashley", "kevin", "brian", "nancy")
STREETS = ("alder", "birch", "cedar", "dogwood", "elm", "fir", "ginkgo", "hawthorn", "ironwood",
           "juniper", "kingsley", "laurel", "magnolia", "nectarine", "olive", "pistachio",
           "quince", "redwood", "sycamore", "tamarack", "valencia", "walnut", "yosemite",
           "zinfandel", "almond", "peach", "plum", "orchard", "vineyard", "riverbend",
           "foothill", "canal", "mission", "ranchero", "sierra", "shaw", "herndon", "barstow")


def surnames() -> list[str]:
    """~2,000 distinct synthetic surnames (two or three syllables)."""
    rnd = random.Random(7)
    out = {a + b for a in SYLLABLES for b in SYLLABLES}
    out |= {rnd.choice(SYLLABLES) + rnd.choice(SYLLABLES) + rnd.choice(SYLLABLES)
            for _ in range(1500)}
    return sorted(out)


GENERATE = r"""
SET search_path = accounts, public;
SET maintenance_work_mem = '1GB';
SET synchronous_commit = off;
CREATE TEMP TABLE g ON COMMIT DROP AS
SELECT i, gen_random_uuid() AS cid, gen_random_uuid() AS aid, gen_random_uuid() AS pid,
       gen_random_uuid() AS mid,
       (%(first)s::text[])[1 + (i * 7919) %% %(nfirst)s] AS first,
       (%(last)s::text[])[1 + (i * 104729) %% %(nlast)s] AS last,
       (%(streets)s::text[])[1 + (i * 31) %% %(nstreets)s] AS street,
       100 + (i * 17) %% 9800 AS house
FROM generate_series(1::bigint, %(n)s::bigint) AS i;
INSERT INTO customers (id, kind, name, mailing_address, phones, emails, language)
SELECT cid, 'person', initcap(first) || ' ' || initcap(last),
       jsonb_build_object('line1', house || ' ' || initcap(street) || ' Ave', 'city', 'Riverbend',
                          'state', 'CA', 'postal_code', '93650'),
       ARRAY['(559) ' || lpad((200 + i / 10000)::text, 3, '0') || '-' ||
             lpad((i %% 10000)::text, 4, '0')],
       ARRAY[first || '.' || last || i || '@example.com'], 'en'
FROM g;
CREATE FUNCTION pg_temp.luhn(base text) RETURNS text LANGUAGE sql AS $$
    SELECT base || ((10 - sum(CASE WHEN k %% 2 = 0
                                   THEN (CASE WHEN d * 2 > 9 THEN d * 2 - 9 ELSE d * 2 END)
                                   ELSE d END) %% 10) %% 10)::text
    FROM (SELECT substr(reverse(base), k + 1, 1)::int AS d, k
          FROM generate_series(0, length(base) - 1) AS k) s
$$;
INSERT INTO accounts (id, number, customer_id, status, opened_on)
SELECT aid, pg_temp.luhn(lpad((20000000 + i)::text, 8, '0')), cid, 'active',
       date '2020-01-01' + (i %% 2000)::int
FROM g;
INSERT INTO premises (id, address, apn, kind, dwelling_units, cycle, route)
SELECT pid, jsonb_build_object('line1', house || ' ' || initcap(street) || ' Ave', 'city',
       'Riverbend', 'state', 'CA', 'postal_code', '93650'),
       lpad((100 + i / 100000)::text, 3, '0') || '-' || lpad(((i / 100) %% 1000)::text, 3, '0')
       || '-' || lpad((i %% 100)::text, 2, '0'),
       'single_family', 1, 'C' || (1 + i %% 4), 'R' || lpad((1 + i %% 24)::text, 2, '0')
FROM g;
INSERT INTO meters (id, serial, size, dials, unit, status, premise_id, installed_at, install_read)
SELECT mid, 'TL' || (40000000 + i), '5/8', 6, 'HCF', 'installed', pid, date '2019-01-01', 0
FROM g;
INSERT INTO service_agreements (id, account_id, premise_id, service, rate_class, meter_id,
                                start_date, status)
SELECT gen_random_uuid(), aid, pid, s.service, 'RES', mid, date '2020-01-01' + (i %% 2000)::int,
       'active'
FROM g CROSS JOIN (VALUES ('water'), ('wastewater')) AS s(service);
-- Statistics before the search build: without them its per-account lookups were planned as
-- scans (57 s for 10,000 accounts instead of under one).
ANALYZE customers, accounts, premises, meters, service_agreements;
"""


async def generate(admin_url: str, n: int) -> float:
    import psycopg

    started = time.perf_counter()
    last = surnames()
    with psycopg.connect(admin_url) as conn, psycopg.ClientCursor(conn) as cur:
        cur.execute(GENERATE, {"first": list(FIRST), "nfirst": len(FIRST), "last": last,
                               "nlast": len(last), "streets": list(STREETS),
                               "nstreets": len(STREETS), "n": n})
        conn.commit()
    await build_search(admin_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        # Every generated table, so autovacuum does not wake up during the measurement.
        conn.execute("VACUUM ANALYZE accounts.customers, accounts.accounts, accounts.premises, "
                     "accounts.meters, accounts.service_agreements, accounts.search_index, "
                     "accounts.search_keys, accounts.search_words")
        conn.execute("CHECKPOINT")  # the generated gigabytes flushed now, not mid-measurement
    return time.perf_counter() - started


async def build_search(admin_url: str) -> None:
    """Fill the search tables with the service's own refresh SQL, set-based, with the indexes
    dropped during the load and built afterwards (as a bulk import would)."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlmodel.ext.asyncio.session import AsyncSession

    from kernel.settings import async_url
    from services.accounts.search import repository

    engine = create_async_engine(async_url(admin_url), connect_args={
        "server_settings": {"search_path": "accounts,public"}})
    async with AsyncSession(engine) as s:
        await s.execute(text("SET maintenance_work_mem = '1GB'"))
        await s.execute(text("DROP INDEX search_keys_entity_ix, search_index_words_gin, "
                             "search_words_trgm, search_words_sound"))
        await s.execute(text("ALTER TABLE search_keys DROP CONSTRAINT search_keys_pkey"))
        for table, sql in (("accounts", repository._REFRESH_ACCOUNTS),
                           ("premises", repository._REFRESH_PREMISES)):
            ids = [str(r[0]) for r in await s.execute(text(f"SELECT id FROM {table}"))]
            for i in range(0, len(ids), 100_000):
                await s.execute(sql, {"ids": ids[i:i + 100_000]})
        await s.execute(text(
            "INSERT INTO search_keys (key, entity, entity_id) "
            "SELECT DISTINCT unnest(keys), entity, entity_id FROM search_index"))
        await s.execute(text("ALTER TABLE search_keys ADD PRIMARY KEY (key, entity, entity_id)"))
        await s.execute(text("CREATE INDEX search_keys_entity_ix ON search_keys (entity_id)"))
        await s.execute(text(
            "INSERT INTO search_words (word) SELECT DISTINCT w FROM search_index, unnest(words) w "
            "WHERE w <> '' ON CONFLICT DO NOTHING"))
        await s.execute(text("CREATE INDEX search_index_words_gin ON search_index "
                             "USING gin (words) WITH (fastupdate = off)"))
        await s.execute(text("CREATE INDEX search_words_trgm ON search_words "
                             "USING gin (word gin_trgm_ops) WITH (fastupdate = off)"))
        await s.execute(text("CREATE INDEX search_words_sound ON search_words (sound)"))
        await s.commit()
    await engine.dispose()


def typo(word: str, rnd: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rnd.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1:] if rnd.random() < 0.5 else word[:i] + word[i] * 2 + word[i:]


def queries(n: int, count: int, rnd: random.Random) -> list[tuple[str, str]]:
    last = surnames()
    out = []
    for _ in range(count):
        i = rnd.randint(1, n)
        first = FIRST[(i * 7919) % len(FIRST)]
        sur = last[(i * 104729) % len(last)]
        street = STREETS[(i * 31) % len(STREETS)]
        house = 100 + (i * 17) % 9800
        kind = rnd.random()
        if kind < 0.30:
            out.append(("name", f"{first} {typo(sur, rnd)}"))
        elif kind < 0.40:
            out.append(("surname", typo(sur, rnd)))
        elif kind < 0.60:
            out.append(("address", f"{house} {street[: max(4, len(street) - 2)]}"))
        elif kind < 0.70:
            out.append(("phone", f"559-{200 + i // 10000:03d}-{i % 10000:04d}"))
        elif kind < 0.80:
            out.append(("serial", f"TL{40000000 + i}"))
        elif kind < 0.90:
            out.append(("email", f"{first}.{sur}{i}@exam"))
        else:
            out.append(("apn", f"{100 + i // 100000:03d}-{(i // 100) % 1000:03d}-{i % 100:02d}"))
    return out


def _pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return round(v[max(0, int(len(v) * p) - 1)], 2)


async def measure(target: Any, headers: dict[str, str], qs: list[tuple[str, str]], rate: float,
                  seconds: float) -> dict[str, Any]:
    """Open-loop load at `rate` per second; `target` is the gateway app or its base URL."""
    if isinstance(target, str):
        return await measure_http(target, headers, qs, rate, seconds)
    import httpx

    from tests.perf.loadgen import Outcome

    out = Outcome()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=target),
                                 base_url="http://bench", timeout=30) as client:
        for _, q in qs[:20]:  # warm up
            await client.get("/api/accounts/search", params={"q": q}, headers=headers)

        async def one(kind: str, q: str) -> None:
            t0 = time.perf_counter()
            r = await client.get("/api/accounts/search", params={"q": q}, headers=headers)
            out.latencies_ms.append((time.perf_counter() - t0) * 1000)
            out.tags.append(kind)
            out.statuses[r.status_code] = out.statuses.get(r.status_code, 0) + 1

        tasks = []
        start = time.perf_counter()
        for k in range(int(rate * seconds)):
            delay = start + k / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(*qs[k % len(qs)])))
        await asyncio.gather(*tasks)
        out.elapsed_s = time.perf_counter() - start
    return figures(out)


def figures(out: Any) -> dict[str, Any]:
    lat = out.latencies_ms
    by_kind: dict[str, list[float]] = {}
    for tag, ms in zip(out.tags, lat, strict=True):
        by_kind.setdefault(tag, []).append(ms)
    return {"requests": len(lat), "errors": sum(n for s, n in out.statuses.items() if s != 200),
            "statuses": {str(s): n for s, n in sorted(out.statuses.items())},
            "achieved_rate": round(len(lat) / out.elapsed_s, 1),
            "p50_ms": round(statistics.median(lat), 2), "p95_ms": _pct(lat, 0.95),
            "p99_ms": _pct(lat, 0.99), "max_ms": round(max(lat), 2),
            "p95_by_kind_ms": {k: _pct(v, 0.95) for k, v in sorted(by_kind.items())}}


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


async def measure_http(url: str, headers: dict[str, str], qs: list[tuple[str, str]],
                       rate: float, seconds: float, pids: dict[str, int] | None = None
                       ) -> dict[str, Any]:
    from tests.perf.loadgen import LoadClient, open_loop

    client = LoadClient(url, headers)
    requests = [(kind, client.request("/api/accounts/search", {"q": q})) for kind, q in qs]
    # Warm up as a running system is warm: pooled connections open (bursts of 16) and each
    # connection's prepared statements planned.
    for k in range(0, 320, 16):
        await asyncio.gather(*(client.send(raw) for _, raw in requests[k:k + 16]))
    from tests.perf.cpu_per_request import cpu_ms, postmaster_pid

    procs = dict(pids or {})
    if (pg := postmaster_pid(os.environ["TAPLINE_DATABASE_URL"])) is not None:
        procs["postgres"] = pg

    def cpu() -> dict[str, float]:
        return {name: sum(cpu_ms(pid)) for name, pid in procs.items()}

    # No collector pauses in the load generator while it measures (seen: 20-100 ms each,
    # counted as the servers' latency); a few MB of garbage is fine for half a minute.
    gc.collect()
    gc.freeze()
    gc.disable()
    cpu0, busy0, own0 = cpu(), _machine_busy(), time.process_time()
    out = await open_loop(client, requests, rate, seconds)
    cpu1, busy1, own1 = cpu(), _machine_busy(), time.process_time()
    gc.enable()
    gc.unfreeze()
    await client.close()
    result = figures(out)
    n = len(out.latencies_ms)
    result["cpu_ms_per_request"] = {
        **{name: round((cpu1[name] - cpu0[name]) / n, 2) for name in procs},
        "load_generator": round((own1 - own0) * 1000 / n, 2),
        "machine_busy_percent": round(
            100 * (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]), 1)}
    return result


async def sql_only(admin_url: str, qs: list[tuple[str, str]]) -> dict[str, Any]:
    """The same queries straight against the database (no HTTP), sequentially."""
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlmodel.ext.asyncio.session import AsyncSession

    from kernel.settings import async_url
    from services.accounts.search import service

    engine = create_async_engine(async_url(admin_url), connect_args={
        "server_settings": {"search_path": "accounts,public"}})
    lat = []
    by_kind: dict[str, list[float]] = {}
    async with AsyncSession(engine) as s:
        for kind, q in qs:
            t0 = time.perf_counter()
            await service.search(s, q)
            ms = (time.perf_counter() - t0) * 1000
            lat.append(ms)
            by_kind.setdefault(kind, []).append(ms)
            await s.rollback()
    await engine.dispose()
    lat.sort()
    return {"queries": len(lat), "p50_ms": round(statistics.median(lat), 2),
            "p95_ms": round(lat[int(len(lat) * 0.95) - 1], 2), "max_ms": round(lat[-1], 2),
            "p95_by_kind_ms": {k: round(sorted(v)[max(0, int(len(v) * 0.95) - 1)], 2)
                               for k, v in sorted(by_kind.items())}}


def start_processes(admin_url: str, workers: int) -> tuple[list[Any], str]:
    """The gateway and the accounts service as uvicorn processes on loopback ports."""
    import subprocess
    import sys

    from tapline.pgserver import free_port, port_open

    gw_port, acc_port = free_port(), free_port()
    env = {**os.environ, "TAPLINE_DATABASE_URL": admin_url, "TAPLINE_LOG_LEVEL": "WARNING",
           "TAPLINE_SERVICE_URLS": json.dumps({"accounts": f"http://127.0.0.1:{acc_port}"})}
    procs = [subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", app, "--host", "127.0.0.1", "--port",
         str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        env=env) for app, port in (("services.accounts.app:create_app", acc_port),
                                   ("gateway.app:create_app", gw_port))]
    deadline = time.time() + 60
    while not (port_open(gw_port) and port_open(acc_port)):
        if time.time() > deadline:
            raise RuntimeError("processes did not start")
        time.sleep(0.2)
    time.sleep(2)
    return procs, f"http://127.0.0.1:{gw_port}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--in-process", action="store_true",
                        help="run gateway and accounts in this process over ASGI (otherwise as "
                        "uvicorn processes loaded over loopback HTTP, as deployed)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers each (HTTP mode)")
    parser.add_argument("--db-only", action="store_true",
                        help="measure the search queries against the database only")
    parser.add_argument("--keep", action="store_true",
                        help="generate into database bench_search_<N> and keep it; reuse it if "
                        "it is already there")
    args = parser.parse_args()

    own = None if os.environ.get("TEST_DATABASE_URL") else start_server()
    from tests import conftest as harness  # migrates, clones `tapline`

    try:
        url, gen_s = harness.ADMIN_URL, 0.0
        if args.keep:
            url, reuse = kept_database(harness, args.accounts)
        if not (args.keep and reuse):
            gen_s = await generate(url, args.accounts)
            print(f"generated {args.accounts} accounts in {gen_s:.1f}s")
        rnd = random.Random(42)
        qs = queries(args.accounts, 2000, rnd)
        direct = await sql_only(url, qs[:500])
        print("database only:", direct)
        results: dict[str, Any] = {}
        if args.db_only:
            write(args, gen_s, direct, results)
            return

        import httpx

        from gateway.app import create_app as gateway_app
        from services.accounts.app import create_app as accounts_app

        headers = {"Authorization": f"Bearer {harness.mint_token('csr1', minutes=60)}"}
        if args.in_process:
            accounts = accounts_app()
            transports: dict[str, httpx.AsyncBaseTransport] = {
                "accounts": httpx.ASGITransport(app=accounts)}
            gateway = gateway_app(transports=transports)
            results["in_process"] = await measure(gateway, headers, qs, args.rate, args.seconds)
            print("through the gateway (in-process ASGI):", results["in_process"])
        else:
            procs, url = start_processes(url, args.workers)
            try:
                results[f"http_x{args.workers}"] = await measure_http(
                    url, headers, qs, args.rate, args.seconds,
                    {"accounts": procs[0].pid, "gateway": procs[1].pid})
            finally:
                for p in procs:
                    p.terminate()
                    p.wait(10)
            print(f"through the gateway (HTTP, {args.workers} worker(s) each):",
                  results[f"http_x{args.workers}"])
        write(args, gen_s, direct, results)
    finally:
        if own is not None:
            own.stop()
            shutil.rmtree(own.data_dir, ignore_errors=True)


def start_server() -> Any:
    """A PostgreSQL of the benchmark's own, sized for a million accounts: 2 GB of shared
    buffers hold the search tables and indexes (the test suite's 256 MB would have every search
    copy pages in from the OS cache). Durability is off: the data is generated."""
    import tempfile

    from tapline.pgserver import EmbeddedPostgres, free_port

    pg = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="tapline-bench-search-")), free_port(),
                          settings={"fsync": "off", "synchronous_commit": "off",
                                    "full_page_writes": "off", "shared_buffers": "2GB",
                                    "max_wal_size": "8GB"})
    pg.start()
    os.environ["TEST_DATABASE_URL"] = pg.admin_url("postgres")
    return pg


def kept_database(harness: Any, n: int) -> tuple[str, bool]:
    """The URL of `bench_search_<n>` and whether it already holds the generated accounts; the
    services of this process are pointed at it."""

    import psycopg

    from kernel.settings import get_settings

    name = f"bench_search_{n}"
    url = harness._admin_url(harness._SERVER_URL, name)
    with psycopg.connect(harness._admin_url(harness._SERVER_URL, "postgres")) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    reuse = False
    if exists:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT count(*) FROM accounts.accounts").fetchone()
            reuse = row is not None and row[0] >= n
    if not reuse:
        harness.clone_database(name)
    os.environ["TAPLINE_DATABASE_URL"] = url
    get_settings.cache_clear()
    print(f"{'reusing' if reuse else 'generating into'} {name}")
    return url, reuse


def write(args: Any, gen_s: float, direct: dict[str, Any], results: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"search-{args.accounts}.json"
    out.write_text(json.dumps({"accounts": args.accounts, "rate": args.rate,
                               "seconds": args.seconds, "generate_seconds": round(gen_s, 1),
                               "database_only": direct, "gateway": results}, indent=2))
    print(f"wrote {out}")


def _exit_on_term(signum: int, frame: Any) -> None:
    raise SystemExit(1)  # so the embedded PostgreSQL is stopped by `main`'s finally


if __name__ == "__main__":
    import signal

    import uvloop  # as the servers run: the load generator should cost little CPU

    signal.signal(signal.SIGTERM, _exit_on_term)
    uvloop.install()
    asyncio.run(main())
