"""`make bench`: run every benchmark in tests/perf (each `bench_*.py`) at its default scale.

Name some to run only those: `python -m tests.perf outbox search`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
wanted = set(sys.argv[1:])
failed = []
for path in sorted(here.glob("bench_*.py")):
    name = path.stem.removeprefix("bench_")
    if wanted and name not in wanted:
        continue
    print(f"== {name}", flush=True)
    if subprocess.run([sys.executable, "-m", f"tests.perf.{path.stem}"]).returncode:
        failed.append(name)
if failed:
    print(f"failed: {', '.join(failed)}")
    sys.exit(1)
