"""Where tests keep what people look at after a run: the browser flows' screenshots and the
reference statements' pictures. `tests/results/<kind>/` (or `$TAPLINE_TEST_RESULTS/<kind>/`),
kept after a green run too (unlike the run's data), so CI can collect them as artifacts."""

from __future__ import annotations

import os
from pathlib import Path

from kernel.settings import REPO_ROOT


def artifacts(kind: str) -> Path:
    root = Path(os.environ.get("TAPLINE_TEST_RESULTS") or REPO_ROOT / "tests" / "results")
    folder = root / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder
