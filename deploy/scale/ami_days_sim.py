"""Simulate AMI storage for SCALE.md: load N meter-days into billing's `ami_days` shape (one row
per meter and day, 24 hourly values in an array), range-partitioned by month, and report the
load rate, the bytes per meter-day (heap + primary key) and the cost of dropping a month.

    .venv/bin/python deploy/scale/ami_days_sim.py --meters 100000 --days 10

Runs on a throwaway embedded PostgreSQL (fsync on, as in production); prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import psycopg

from tapline.pgserver import EmbeddedPostgres, free_port

DDL = """
CREATE TABLE ami_days (
    meter_id uuid NOT NULL,
    day      date NOT NULL,
    hourly   numeric(12,3)[] NOT NULL,
    total    numeric(14,3) NOT NULL,
    PRIMARY KEY (meter_id, day)
) PARTITION BY RANGE (day);
CREATE TABLE ami_days_2026_01 PARTITION OF ami_days
    FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE TABLE ami_days_2026_02 PARTITION OF ami_days
    FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
CREATE TABLE meters AS SELECT gen_random_uuid() AS id FROM generate_series(1, %(meters)s);
"""

LOAD = """
INSERT INTO ami_days (meter_id, day, hourly, total)
SELECT m.id, %(day)s::date, h.a, (SELECT sum(x) FROM unnest(h.a) x)
FROM meters m
CROSS JOIN LATERAL (SELECT array_agg(round((random() * 20)::numeric, 3)) AS a
                    FROM generate_series(1, 24) WHERE m.id IS NOT NULL) h
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--meters", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="tapline-ami-sim-") as tmp:
        pg = EmbeddedPostgres(Path(tmp), free_port())
        pg.start()
        try:
            with psycopg.connect(pg.admin_url("postgres"), autocommit=True) as conn:
                conn.execute(DDL % {"meters": args.meters})
                per_day = []
                for d in range(args.days):
                    t = time.perf_counter()
                    conn.execute(LOAD, {"day": f"2026-01-{d + 1:02d}"})
                    per_day.append(time.perf_counter() - t)
                conn.execute("VACUUM ANALYZE ami_days")
                row = conn.execute(
                    "SELECT pg_total_relation_size('ami_days_2026_01'), "
                    "pg_relation_size('ami_days_2026_01'), "
                    "pg_total_relation_size('ami_days_2026_01_pkey')").fetchone()
                assert row is not None
                rows = args.meters * args.days
                t = time.perf_counter()
                conn.execute("ALTER TABLE ami_days DETACH PARTITION ami_days_2026_01")
                conn.execute("DROP TABLE ami_days_2026_01")
                drop_s = time.perf_counter() - t
        finally:
            pg.stop()
    best = min(per_day)
    print(json.dumps({
        "meters": args.meters, "days": args.days, "meter_days": rows,
        "hourly_values": rows * 24,
        "load_s_per_day": [round(x, 2) for x in per_day],
        "meter_days_per_s_best": round(args.meters / best),
        "meter_days_per_s_mean": round(rows / sum(per_day)),
        "bytes_per_meter_day_total": round(row[0] / rows),
        "bytes_per_meter_day_heap": round(row[1] / rows),
        "bytes_per_meter_day_pkey": round(row[2] / rows),
        "drop_month_partition_s": round(drop_s, 3),
    }, indent=1))


if __name__ == "__main__":
    main()
