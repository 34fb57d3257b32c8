"""Lockbox parsing: how much of the import's budget reading and classifying a file costs.

`python -m tests.perf.bench_lockbox_parse [--lines 100000] [--repeat 3]`

The import target (issue 9) is 100,000 lines imported and posted, ledger entries included, at
≥ 20,000 payments/s: 5 s in all. This measures the part without a database — reading the file
(layout detection, structure, totals, MICR reduction, identity) and classifying every line
against a set of open accounts — for both layouts, so the posting slice knows what is left.
Figures: best of `--repeat` runs, wall and CPU seconds, lines per second.
"""

from __future__ import annotations

import argparse
import time

from services.payments.lockbox.domain import Layout, candidate_accounts, classify
from services.payments.lockbox.reader import read_lockbox
from services.payments.lockbox.sample import sample_accounts, sample_file
from tests.perf.harness import write_result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    accounts = sample_accounts(20_000)
    sample = sample_file(args.lines, accounts=accounts, batch_size=500)
    open_accounts = frozenset(accounts)
    figures: dict[str, object] = {"lines": args.lines}
    for layout in Layout:
        data = sample.render(layout)
        best: dict[str, float] = {}
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            file = read_lockbox(data, secret=b"bench-remitter-key")
            t1, c1 = time.perf_counter(), time.process_time()
            payments = classify(file, open_accounts & candidate_accounts(file))
            t2, c2 = time.perf_counter(), time.process_time()
            assert len(payments) == args.lines
            run = {"read_s": t1 - t0, "classify_s": t2 - t1, "total_s": t2 - t0,
                   "read_cpu_s": c1 - c0, "classify_cpu_s": c2 - c1, "cpu_s": c2 - c0}
            if not best or run["cpu_s"] < best["cpu_s"]:
                best = run
        figures[str(layout)] = {
            "bytes": len(data), **{k: round(v, 3) for k, v in best.items()},
            "lines_per_s_wall": round(args.lines / best["total_s"]),
            "lines_per_s_cpu": round(args.lines / best["cpu_s"]),
            "share_of_5s_budget_cpu": round(best["cpu_s"] / (args.lines / 20_000), 3)}
    write_result("lockbox_parse", figures)


if __name__ == "__main__":
    main()
