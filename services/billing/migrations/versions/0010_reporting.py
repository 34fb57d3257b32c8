"""Reporting views, version 1: what the district's own tools (Metabase, Power BI, Excel) may read.

The `tapline_reporting` login (tapline/bootstrap.py) reads views named `reporting_v1_*` and
nothing else: no raw table, no secret, no bank or card data. A view is a contract: a later
version adds `reporting_v2_*` beside it and keeps v1 until docs/reporting.md retires it.
The views run with their owner's rights, which is how the role reads them without a grant on
the tables beneath.

Revision ID: billing_0009_reporting
Revises: billing_0009_runs
"""
from alembic import op

revision = "billing_0009_reporting"
down_revision = "billing_0009_runs"
branch_labels = None
depends_on = None

VIEWS: dict[str, str] = {
    "reporting_v1_bill_runs": (
        "SELECT id, cycle, kind, period_start, period_end, bill_date, due_date, status, "
        "finalised_at FROM bill_runs "
    ),
    "reporting_v1_bills": (
        "SELECT id, run_id, account_id, period_start, period_end, bill_date, due_date, status, "
        "total, replaces, replaced_by FROM bills "
    ),
    "reporting_v1_bill_lines": (
        "SELECT bill_id, sa_id, service, rate_class, kind, description, seg_start, seg_end, "
        "quantity, unit_price, tier, amount FROM bill_lines "
    ),
    "reporting_v1_ledger_entries": (
        "SELECT id, seq, account_id, kind, amount, posted_on, due_date, reference, corrects, "
        "created_at FROM ledger_entries "
    ),
    "reporting_v1_reads": (
        "SELECT id, meter_id, read_on, value, usage, days, source, kind, status FROM reads "
    ),
    "reporting_v1_adjustments": (
        "SELECT id, account_id, amount, reason_code, status, source, requested_by, approved_by, "
        "created_at, decided_at FROM adjustments "
    ),
}


def upgrade() -> None:
    for name, body in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {body}")
        op.execute(f"COMMENT ON VIEW {name} IS 'reporting v1: see docs/reporting.md'")


def downgrade() -> None:
    for name in reversed(list(VIEWS)):
        op.execute(f"DROP VIEW IF EXISTS {name}")
