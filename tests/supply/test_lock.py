"""The lock covers pyproject, both lock files agree, and the audit tells "clean" from "unasked"."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

from tapline import audit

ROOT = Path(__file__).resolve().parents[2]
MAIN, DEV = ROOT / "requirements" / "main.txt", ROOT / "requirements" / "dev.txt"


def _pins(path: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes)."""
    pins: dict[str, tuple[str, int]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", path.read_text()):
        m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", block)
        if m:
            name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
            pins[name] = (m.group(2), block.count("--hash=sha256:"))
    return pins


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _check_covered(requirements: list[str], pins: dict[str, tuple[str, int]], lock: str) -> None:
    for line in requirements:
        req = Requirement(line)
        name = re.sub(r"[-_.]+", "-", req.name).lower()
        assert name in pins, f"{req.name} is in pyproject.toml but not in {lock}: run make lock"
        assert req.specifier.contains(pins[name][0], prereleases=True), (
            f"{lock} pins {req.name}=={pins[name][0]}, pyproject wants {req.specifier}: "
            "run make lock")


def test_every_dependency_in_pyproject_is_pinned_in_the_lock_within_its_range():
    project = _project()
    _check_covered(project["dependencies"], _pins(MAIN), "requirements/main.txt")
    _check_covered(project["dependencies"] + project["optional-dependencies"]["dev"],
                   _pins(DEV), "requirements/dev.txt")


def test_the_image_lock_is_the_dev_lock_minus_the_dev_tools_with_the_same_hashes():
    main, dev = _pins(MAIN), _pins(DEV)
    assert main and set(main) < set(dev)
    assert {n: main[n] for n in main} == {n: dev[n] for n in main}
    assert all(hashes >= 1 for _, hashes in dev.values())
    assert "setuptools" in main  # the build backend, so `--no-build-isolation` is locked too


def test_python_jose_and_ecdsa_are_gone_and_tokens_use_cryptography():
    import jwt
    from jwt.algorithms import ECAlgorithm

    import kernel.auth  # noqa: F401

    for lock in (_pins(MAIN), _pins(DEV)):
        assert not {"python-jose", "ecdsa", "rsa"} & set(lock)
    assert isinstance(jwt.get_algorithm_by_name("ES256"), ECAlgorithm)  # needs cryptography
    assert "ecdsa" not in sys.modules and "jose" not in sys.modules


def test_every_ignored_advisory_has_its_decision_in_docs_security():
    doc = (ROOT / "docs" / "security.md").read_text()
    for advisory in audit.ignored_ids():
        assert re.search(rf"^\|[^\n]*{re.escape(advisory)}", doc, re.M), advisory


def _report(*deps: dict) -> str:
    return json.dumps({"dependencies": list(deps), "fixes": []})


def test_an_audit_with_advisories_fails_and_names_them(capsys):
    outcome = audit.parse("pypi", 1, _report(
        {"name": "fastapi", "version": "0.1", "vulns": []},
        {"name": "ecdsa", "version": "0.19.2", "vulns": [
            {"id": "GHSA-wj6h-64fc-37mp", "aliases": ["CVE-2024-23342"], "fix_versions": []}]},
    ), "")
    assert outcome.answered and outcome.audited == 2
    assert audit.report(outcome, {"fastapi"}, []) == audit.FOUND
    out = capsys.readouterr().out
    assert "ecdsa 0.19.2 [dev only]: GHSA-wj6h-64fc-37mp (CVE-2024-23342); fixed in: no fix" in out


def test_a_clean_audit_passes(capsys):
    outcome = audit.parse("osv", 0, _report({"name": "fastapi", "version": "1", "vulns": []}), "")
    assert outcome.answered
    assert audit.report(outcome, set(), ["GHSA-x"]) == 0
    assert "no known vulnerabilities (decided and ignored: GHSA-x)" in capsys.readouterr().out


def test_packages_the_service_could_not_look_up_mean_no_answer_not_a_clean_audit():
    outcome = audit.parse("pypi", 0, _report(
        {"name": "fastapi", "version": "1", "vulns": []},
        {"name": "httpx", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    ), "")
    assert not outcome.answered and outcome.unaudited == ["httpx"]


def test_a_service_that_cannot_be_reached_is_named_plainly():
    stderr = ("Traceback ...\nrequests.exceptions.ConnectionError: HTTPSConnectionPool("
              "host='api.osv.dev', port=443): Max retries exceeded (Caused by NameResolutionError"
              "(\"Failed to resolve 'api.osv.dev'\"))")
    outcome = audit.parse("osv", 1, "", stderr)
    assert not outcome.answered
    assert outcome.error == "cannot connect to api.osv.dev (failed to resolve)"


def test_the_ignore_list_reads_ids_and_drops_comments(tmp_path):
    path = tmp_path / "ignore.txt"
    path.write_text("# header\nGHSA-aaaa-bbbb-cccc  # pkg: accepted\n\nPYSEC-2024-1\n")
    assert audit.ignored_ids(path) == ["GHSA-aaaa-bbbb-cccc", "PYSEC-2024-1"]
