"""Accessibility in the browser tests: axe-core over the page as the user sees it.

Every browser flow ends with `assert_accessible(page, "<flow>")`: it runs axe-core (the copy the
frontend's lock file pins, `frontend/node_modules/axe-core/axe.min.js`) in the page, fails on any
serious or critical violation, naming each rule, its impact, the elements it found and axe's
help link, and keeps a full-page screenshot of that last step under `results_dir()` (also when
the check fails, so the picture shows what axe saw).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from kernel.settings import REPO_ROOT
from tests.artifacts import artifacts

AXE_JS = REPO_ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"

#: Impacts that fail a test; "moderate" and "minor" are reported by axe but are not defects here.
BLOCKING = frozenset({"serious", "critical"})

# WCAG 2.1 A/AA plus axe's best practices: what issue 11 asks ("zero serious or critical").
_RUN = """async () => axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations"],
})"""


def results_dir() -> Path:
    """Screenshots of each flow's screens (tests/artifacts.py: kept for CI's artifacts)."""
    return artifacts("browser")


def _file_name(name: str) -> str:
    slug = re.sub(r"[^0-9a-z]+", "-", name.lower()).strip("-")
    return f"{slug or 'page'}.png"


def blocking_violations(violations: list[dict[str, Any]]) -> list[str]:
    """One line per serious or critical violation: rule, impact, targets, help link."""
    lines = []
    for v in violations:
        if v.get("impact") not in BLOCKING:
            continue
        nodes = v.get("nodes", [])
        targets = [" ".join(map(str, n.get("target", []))) for n in nodes]
        lines.append(f"{v['id']} ({v['impact']}): {v.get('help', '')} — "
                     f"{len(targets)} element(s): {'; '.join(targets[:8])}"
                     f"{' …' if len(targets) > 8 else ''} [{v.get('helpUrl', '')}]")
        for n in nodes[:3]:  # what the first few look like, and axe's reason (a ratio, a name)
            why = " ".join(str(n.get("failureSummary", "")).split())
            lines.append(f"    {str(n.get('html', ''))[:160]}  {why[:240]}")
    return lines


#: True once no CSS transition or animation is running on the page.
_SETTLED = ("() => document.getAnimations().every("
            "a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)")


def assert_accessible(page: Page, name: str) -> None:
    """Axe over the whole page; screenshot saved as `<name>.png`; serious/critical → failure."""
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run `npm ci` in frontend/")
    page.wait_for_load_state("networkidle")
    # A drawer or modal still fading in is drawn half-transparent over its overlay: axe would
    # measure the contrast of a frame nobody reads (3:1 mid-transition, 7:1 once open).
    page.wait_for_function(_SETTLED, timeout=10_000)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(_RUN)
    page.screenshot(path=str(results_dir() / _file_name(name)), full_page=True)
    problems = blocking_violations(result["violations"])
    count = sum(not line.startswith(" ") for line in problems)
    assert not problems, (
        f"{count} serious or critical accessibility violation(s) on {name!r} "
        f"({page.url}):\n" + "\n".join(problems))
