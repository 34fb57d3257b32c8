"""The accessibility harness itself: it must fail on what it is there to catch."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.frontend.axe import AXE_JS, assert_accessible, blocking_violations, results_dir

pytestmark = pytest.mark.slow


@pytest.fixture
def page(tmp_path, monkeypatch) -> Iterator[Page]:
    chromium = shutil.which("chromium")
    if chromium is None or not AXE_JS.exists():
        why = "Debian's chromium or frontend/node_modules/axe-core is missing"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    monkeypatch.setenv("TAPLINE_DATA_DIR", str(tmp_path))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            yield browser.new_page()
        finally:
            browser.close()


GOOD = """<!doctype html><html lang="en"><head><title>Fine</title></head><body><main>
<h1>Account</h1><label for="n">Note</label><input id="n"><button>Save</button>
</main></body></html>"""

# An unlabelled input and a button with no name: both "critical" in axe.
BAD = """<!doctype html><html lang="en"><head><title>Broken</title></head><body><main>
<h1>Account</h1><input id="n"><button></button></main></body></html>"""


def test_a_page_with_an_unlabelled_field_and_a_nameless_button_fails_naming_both(page):
    page.set_content(BAD)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "Broken page")
    message = str(failure.value)
    assert "button-name (critical)" in message
    assert "label (critical)" in message
    assert (results_dir() / "broken-page.png").stat().st_size > 0  # kept when it fails


def test_a_labelled_page_passes_and_leaves_its_screenshot(page):
    page.set_content(GOOD)
    assert_accessible(page, "good")
    assert (results_dir() / "good.png").stat().st_size > 0


def test_moderate_and_minor_findings_are_not_failures():
    violations = [
        {"id": "region", "impact": "moderate", "help": "h", "nodes": [{"target": ["div"]}]},
        {"id": "color-contrast", "impact": "serious", "help": "Contrast", "helpUrl": "u",
         "nodes": [{"target": ["#a"]}, {"target": ["#b"]}]},
    ]
    assert blocking_violations(violations)[0] == ("color-contrast (serious): Contrast — "
                                                  "2 element(s): #a; #b [u]")
    assert not any("region" in line for line in blocking_violations(violations))
