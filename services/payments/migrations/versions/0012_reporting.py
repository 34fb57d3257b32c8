"""Reporting views, version 1: what the district's own tools (Metabase, Power BI, Excel) may read.

The `tapline_reporting` login (tapline/bootstrap.py) reads views named `reporting_v1_*` and
nothing else: no raw table, no secret, no bank or card data. A view is a contract: a later
version adds `reporting_v2_*` beside it and keeps v1 until docs/reporting.md retires it.
The views run with their owner's rights, which is how the role reads them without a grant on
the tables beneath.

Revision ID: payments_0012_reporting
Revises: payments_0011_inbox_types
"""
from alembic import op

revision = "payments_0012_reporting"
down_revision = "payments_0011_inbox_types"
branch_labels = None
depends_on = None

VIEWS: dict[str, str] = {
    "reporting_v1_payments": (
        "SELECT id, receipt_number, account_id, account_number, amount, tender, channel, "
        "received_on, status, posted_at FROM payments "
    ),
}


def upgrade() -> None:
    for name, body in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {body}")
        op.execute(f"COMMENT ON VIEW {name} IS 'reporting v1: see docs/reporting.md'")


def downgrade() -> None:
    for name in reversed(list(VIEWS)):
        op.execute(f"DROP VIEW IF EXISTS {name}")
