"""Benchmark: rendering a run's statements for the print vendor, pages per second across cores.

    python -m tests.perf.bench_statements --statements 100000   # the target: >= 500 pages/s
    python -m tests.perf.bench_statements --statements 2000     # a shared machine

Statements are composed (statement_compose.compose) from rows shaped as the repository returns
them — a residential tiered bill with water and wastewater, reads, a year of history, payments
and an adjustment; one in four in Spanish, one in ten on autopay, one in twelve on budget
billing — and drawn into batch PDFs of `--chunk` statements (statement_pdf.render_batch, the
print batch's unit), one worker process per core, each chunk's PDF written out in full (to
memory, then dropped). The figure is pages of finished PDF per wall-clock second; on a shared
machine the CPU-time figure (pages per CPU second of the workers, times the workers) says
what the cores deliver when they are not shared, and the load average says how shared they
were. The rows' loading (five set-based queries per chunk, statement_repository.load) is not
in it.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from decimal import Decimal
from typing import Any


def _chunk(args: tuple[int, int]) -> tuple[int, int, int, float]:
    from services.billing.bills import statement_pdf
    from services.billing.bills.statement_compose import compose
    from services.billing.config.statement import District, with_defaults
    from tests.billing.statement_helpers import bill_data

    start, count = args
    cpu = time.process_time()
    dist = with_defaults(District())
    statements = []
    for n in range(start, start + count):
        lang = "es" if n % 4 == 0 else "en"
        statements.append(compose(bill_data(
            n, language=lang, autopay="checking ****6789" if n % 10 == 0 else None,
            budget=Decimal("80.00") if n % 12 == 0 else None,
            postal=str(95000 + n % 40)), dist))
    out = io.BytesIO()
    index = statement_pdf.render_batch(statements, date(2026, 2, 2), out)
    return count, sum(pages for _, _, pages in index), out.tell(), time.process_time() - cpu


def bench(statements: int, workers: int, chunk: int) -> dict[str, Any]:
    jobs = [(s, min(chunk, statements - s)) for s in range(0, statements, chunk)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_chunk, jobs))
    seconds = time.perf_counter() - started
    pages = sum(r[1] for r in results)
    size = sum(r[2] for r in results)
    cpu = sum(r[3] for r in results)
    return {"statements": statements, "workers": workers, "chunk": chunk,
            "pages": pages, "seconds": round(seconds, 2),
            "pages_per_s": round(pages / seconds, 1),
            "statements_per_s": round(statements / seconds, 1),
            # what the cores deliver when the machine is not shared: CPU seconds, not wall
            "pages_per_cpu_s": round(pages / cpu, 1),
            "pages_per_s_all_cores_idle": round(pages / cpu * workers, 1),
            "load_average_1m": round(os.getloadavg()[0], 1),
            "bytes_per_page": size // max(pages, 1),
            "peak_rss_mb_per_worker": resource.getrusage(
                resource.RUSAGE_CHILDREN).ru_maxrss // 1024}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--statements", type=int, default=100_000)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--chunk", type=int, default=500)
    a = p.parse_args()
    r = bench(a.statements, a.workers, a.chunk)
    for k, v in r.items():
        print(f"{k:>28}: {v}")
    target = 500
    print(f"{'target':>28}: >= {target} pages/s: wall clock "
          f"{'met' if r['pages_per_s'] >= target else 'NOT met'}, cores' CPU time "
          f"{'met' if r['pages_per_s_all_cores_idle'] >= target else 'NOT met'}")


if __name__ == "__main__":
    main()
