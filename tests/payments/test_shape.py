"""The shape the payments service keeps: one owner per table, routers that only route, features
that reach each other through services (never another feature's repository)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAYMENTS = ROOT / "services" / "payments"

#: Which feature's repository may write each table (the copy's tables only from events).
OWNERS = {
    "copy": {"accounts", "customers", "bills", "balances"},
    "posting": {"payments"},
    "counter": {"drawers"},
    "batches": {"batches"},
}
_WRITE = re.compile(r"\b(?:INSERT INTO|UPDATE|DELETE FROM)\s+([a-z_]+)")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{a.name}" for a in node.names)
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_each_table_is_written_by_its_own_features_repository_only():
    features = {p.parent.name for p in PAYMENTS.glob("*/repository.py")}
    assert features == set(OWNERS), "a new feature: name the tables it owns"
    for feature, tables in OWNERS.items():
        sql = (PAYMENTS / feature / "repository.py").read_text()
        written = set(_WRITE.findall(sql))
        assert written <= tables, f"{feature} writes {sorted(written - tables)}"
        # COPY_TABLES are cleared by name in a loop: they are the copy's own
        assert "DELETE FROM {table}" not in sql or feature == "copy"


def test_routers_call_services_and_never_repositories_or_sql():
    routers = list(PAYMENTS.glob("*/router.py"))
    assert len(routers) == 4
    for router in routers:
        imports = _imports(router)
        assert not [m for m in imports if m.endswith("repository")], router
        assert "sqlalchemy" not in {m.split(".")[0] for m in imports}, router
        assert ".execute(" not in router.read_text(), router


def test_a_feature_reaches_another_through_its_service_never_its_repository():
    for path in PAYMENTS.glob("*/*.py"):
        feature = path.parent.name
        for module in _imports(path):
            m = re.match(r"services\.payments\.(\w+)\.repository", module)
            assert m is None or m.group(1) == feature, f"{path} uses {module}"


def test_domain_modules_do_no_io():
    for path in PAYMENTS.glob("*/domain.py"):
        roots = {m.split(".")[0] for m in _imports(path)}
        assert not roots & {"sqlalchemy", "sqlmodel", "httpx", "asyncpg", "fastapi"}, path
