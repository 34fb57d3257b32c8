"""`make audit`: every locked package against a public vulnerability database.

pip-audit reads the lock (`--disable-pip --require-hashes`: exactly the pinned versions, no
resolution) and asks PyPI's advisory API, then OSV's. Advisories we decided to accept are
listed in requirements/audit-ignore.txt, each with its reason in docs/security.md.

pip-audit reports success when the service could not be asked about a package (it skips
it), so an unreachable service would look like a clean audit. Here it does not: the exit
status is 0 only when every package was looked up and nothing undecided was found, 1 when
advisories were found, 2 when no service answered for every package (nothing was audited).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "dev.txt"
RUNTIME_LOCK = ROOT / "requirements" / "main.txt"
IGNORE = ROOT / "requirements" / "audit-ignore.txt"
SERVICES = {"pypi": "PyPI's advisory API (pypi.org/pypi/<name>/<version>/json)",
            "osv": "OSV (api.osv.dev)"}
FOUND, UNREACHABLE = 1, 2


@dataclass(frozen=True)
class Advisory:
    package: str
    version: str
    id: str
    aliases: tuple[str, ...]
    fixed_in: tuple[str, ...]


@dataclass
class Outcome:
    """What one vulnerability service said about the lock."""

    service: str
    audited: int = 0
    unaudited: list[str] = field(default_factory=list)
    advisories: list[Advisory] = field(default_factory=list)
    error: str = ""

    @property
    def answered(self) -> bool:
        return not self.error and not self.unaudited and self.audited > 0


def ignored_ids(path: Path = IGNORE) -> list[str]:
    """Advisory ids, one a line; `#` starts a comment (the package and the reason)."""
    if not path.exists():
        return []
    ids = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [i for i in ids if i]


def locked_names(path: Path) -> set[str]:
    pins = re.findall(r"(?m)^([A-Za-z0-9][A-Za-z0-9._-]*)==", path.read_text())
    return {re.sub(r"[-_.]+", "-", p).lower() for p in pins}


def parse(service: str, returncode: int, stdout: str, stderr: str) -> Outcome:
    """pip-audit's JSON report (or its failure) as an Outcome."""
    outcome = Outcome(service)
    try:
        report = json.loads(stdout)
    except ValueError:
        outcome.error = _failure(returncode, stderr)
        return outcome
    for dep in report.get("dependencies", []):
        if dep.get("skip_reason"):
            outcome.unaudited.append(dep["name"])
            continue
        outcome.audited += 1
        for v in dep.get("vulns", []):
            outcome.advisories.append(Advisory(
                dep["name"], dep.get("version", ""), v["id"], tuple(v.get("aliases", ())),
                tuple(v.get("fix_versions", ()))))
    return outcome


def _failure(returncode: int, stderr: str) -> str:
    """pip-audit's last words, shortened to the reason when it could not connect."""
    host = re.search(r"host='([^']+)'", stderr)
    for reason in ("Failed to resolve", "timed out", "Connection refused", "Network is unreachable",
                   "SSLError"):
        if host and reason in stderr:
            return f"cannot connect to {host.group(1)} ({reason.lower()})"
    last = (stderr.strip().splitlines() or [f"pip-audit exited with {returncode}"])[-1]
    return last[:200]


def run_pip_audit(service: str, lock: Path, ignore: list[str]) -> Outcome:
    cmd = [sys.executable, "-m", "pip_audit", "--disable-pip", "--require-hashes",
           "-r", str(lock), "-s", service, "-f", "json", "--progress-spinner", "off",
           *(arg for i in ignore for arg in ("--ignore-vuln", i))]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return Outcome(service, error="no answer within 10 minutes")
    return parse(service, done.returncode, done.stdout, done.stderr)


def report(outcome: Outcome, runtime: set[str], ignore: list[str]) -> int:
    name = SERVICES.get(outcome.service, outcome.service)
    if not outcome.advisories:
        print(f"{outcome.audited} locked packages checked against {name}: no known "
              f"vulnerabilities (decided and ignored: {', '.join(ignore) or 'none'}).")
        return 0
    print(f"{len(outcome.advisories)} advisories in {outcome.audited} locked packages "
          f"({name}); decide each in docs/security.md:")
    for a in sorted(outcome.advisories, key=lambda a: (a.package, a.id)):
        where = "runtime" if a.package.lower() in runtime else "dev only"
        fixed = ", ".join(a.fixed_in) or "no fix"
        also = f" ({', '.join(a.aliases)})" if a.aliases else ""
        print(f"  {a.package} {a.version} [{where}]: {a.id}{also}; fixed in: {fixed}")
    return FOUND


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    lock = Path(args[0]) if args else LOCK
    ignore = ignored_ids()
    runtime = locked_names(RUNTIME_LOCK) if RUNTIME_LOCK.exists() else set()
    why: list[str] = []
    for service in SERVICES:
        outcome = run_pip_audit(service, lock, ignore)
        if outcome.answered:
            return report(outcome, runtime, ignore)
        if outcome.error:
            why.append(f"{SERVICES[service]}: {outcome.error}")
        else:
            why.append(f"{SERVICES[service]}: no answer for {len(outcome.unaudited)} of "
                       f"{len(outcome.unaudited) + outcome.audited} packages")
    print("make audit could not reach a vulnerability service, so nothing was audited "
          f"({'; '.join(why)}).")
    return UNREACHABLE


if __name__ == "__main__":
    raise SystemExit(main())
