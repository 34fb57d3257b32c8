"""The gateway's routers route: they call a service, never a repository or SQL."""

from __future__ import annotations

import ast
from pathlib import Path

GATEWAY = Path(__file__).resolve().parents[2] / "gateway"


def test_gateway_routers_call_services_and_never_repositories_or_sql():
    routers = list(GATEWAY.glob("**/router.py"))
    assert routers
    for path in routers:
        tree = ast.parse(path.read_text())
        modules = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        assert not [m for m in modules | names if m.endswith("repository")], path
        assert not [m for m in modules if m.startswith("sqlalchemy")], path
        assert ".execute(" not in path.read_text(), path
