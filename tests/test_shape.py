"""The shape every service keeps (docs/conventions.md): one owner per table, routers that only
route, features that reach each other through services (never another feature's repository),
domain modules without I/O. One test for all services, so a new service is held to it by adding
its table owners here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Which feature's repository may write each table, per service.
OWNERS: dict[str, dict[str, set[str]]] = {
    "accounts": {
        "customers": {"customers", "accounts"},
        "premises": {"premises"},
        "meters": {"meters", "meter_history"},
        "agreements": {"service_agreements"},
        "orders": {"service_orders"},
        "backflow": {"backflow_devices", "backflow_tests"},
        "deposits": {"deposit_transactions", "deposit_marks"},
        "contacts": {"contact_log", "documents"},
        "requests": {"service_requests"},
        "notifications": {"notification_messages", "notification_preferences",
                          "notification_suppressions"},
        "search": {"search_index", "search_keys", "search_words"},
        # portal identity's copy of bill totals, written only from billing's events
        "portal": {"bill_facts"},
        "reports": set(),  # reads only (issue 15)
        "rebates": {"rebate_applications"},  # rebates (issue 15)
    },
    "billing": {
        "adjustments": {"adjustments"},
        "appeals": {"appeals"},
        "bills": {"statement_autopay"},
        "config": {"config"},
        # the copy's tables are written only from events
        "copy": {"accounts", "customers", "meters", "premises", "service_agreements"},
        "courtesy": {"courtesy_calls"},  # high-usage courtesy calls (issue 15)
        "ledger": {"budget_plans", "ledger_entries"},
        "rates": {
            "rate_blocks", "rate_classes", "rate_fees", "rate_fixed", "rate_surcharges",
            "rate_versions", "winter_averages",
        },
        "reads": {
            "ami_days", "read_exceptions", "read_imports", "reads", "reads_awaiting_meter",
        },
        "reports": set(),  # reads only (issue 15, reports-billing)
        "runs": {"bill_lines", "bill_run_parts", "bill_runs", "bills"},
        "usage": {"leak_alerts", "usage_alert_prefs"},
    },
    "payments": {
        "copy": {"accounts", "customers", "bills", "balances", "ledger_payment_entries"},
        "posting": {"payments"},
        "counter": {"drawers"},
        "batches": {"batches"},
        "webhooks": {"processor_deliveries", "processor_payments", "processor_reversals"},
        "lockbox": {"lockbox_imports", "lockbox_suspense"},
        "bankdeposits": {"bank_deposits", "bank_deposit_sources", "bank_deposit_items"},
        "dayend": set(),
        "texttopay": {"texttopay_enrolments", "texttopay_messages", "texttopay_inbound"},
        "portal": {"portal_payments"},
        "methods": {"saved_methods"},
        "recurring": {"recurring_schedules", "recurring_charges"},
        "returns": {"payment_returns", "cash_only_accounts"},
        "autopay": {"autopay_enrolments", "autopay_debits", "autopay_files",
                    "autopay_return_imports", "autopay_returns"},
        "transfers": {"transfers"},
        "refunds": {"refunds", "check_requests", "deposit_releases"},
        "reports": set(),  # reads only (issue 15)
    },
    "collections": {
        # the copy's tables are written only from events
        "copy": {"accounts", "customers", "premises", "service_agreements", "bills",
                 "ledger_entries", "balances", "appeals"},
        "aging": set(),
        "arrangements": {"arrangements", "arrangement_instalments"},
        "worklists": {"call_outcomes", "promises", "premise_cycles"},
        # the ladder (with its scratch table of a run), late charges, the daily job
        "ladder": {"ladder_steps", "ladder_open", "ladder_dirty", "ladder_computed"},
        "latecharges": {"late_charges", "late_charge_reversals"},
        "daily": {"daily_runs"},
        "notices": {"notices", "notice_batches"},
        "protections": {"protections"},
        "guardrails": set(),
        "field": {"field_orders"},
        "closed": {"closed_cases", "balance_transfers", "agency_referrals", "agency_payments",
                   "write_offs"},
        "liens": {"liens", "lien_lists"},
        "reports": set(),  # reads only (issue 15)
    },
}
_WRITE = re.compile(r"\b(?:INSERT INTO|UPDATE|DELETE FROM)\s+([a-z_]+)")
_COMMENT = re.compile(r"^\s*#.*$", re.M)
_IO = {"sqlalchemy", "sqlmodel", "httpx", "aiohttp", "asyncpg", "psycopg", "fastapi"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{a.name}" for a in node.names)
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def _service(name: str) -> Path:
    return ROOT / "services" / name


@pytest.mark.parametrize("service", sorted(OWNERS))
def test_each_table_is_written_by_its_own_features_repository_only(service: str) -> None:
    owners = OWNERS[service]
    features = {p.parent.name for p in _service(service).glob("*/repository.py")}
    assert features == set(owners), "a new feature: name the tables it owns in OWNERS"
    for feature, tables in owners.items():
        # a comment ("FOR UPDATE to judge") is not a write
        sql = _COMMENT.sub("", (_service(service) / feature / "repository.py").read_text())
        written = set(_WRITE.findall(sql))
        assert written <= tables, f"{service}.{feature} writes {sorted(written - tables)}"


def _routers() -> list[Path]:
    return sorted([*ROOT.glob("services/*/*/router.py"), *ROOT.glob("gateway/**/router.py")])


@pytest.mark.parametrize("router", _routers(), ids=lambda p: str(p.relative_to(ROOT)))
def test_routers_call_services_and_never_repositories_or_sql(router: Path) -> None:
    imports = _imports(router)
    assert not [m for m in imports if m.endswith("repository")]
    assert not {m.split(".")[0] for m in imports} & {"sqlalchemy", "sqlmodel"}
    assert ".execute(" not in router.read_text()


@pytest.mark.parametrize("service", sorted(p.name for p in (ROOT / "services").iterdir()
                                           if (p / "app.py").exists()))
def test_a_feature_reaches_another_through_its_service_never_its_repository(service: str) -> None:
    for path in _service(service).glob("*/*.py"):
        feature = path.parent.name
        for module in _imports(path):
            m = re.match(rf"services\.{service}\.(\w+)\.repository", module)
            assert m is None or m.group(1) == feature, f"{path} uses {module}"


def test_domain_modules_do_no_io() -> None:
    domains = sorted(ROOT.glob("services/*/*/domain.py"))
    assert domains
    for path in domains:
        assert not {m.split(".")[0] for m in _imports(path)} & _IO, path
