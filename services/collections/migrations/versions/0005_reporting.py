"""Reporting views, version 1: what the district's own tools (Metabase, Power BI, Excel) may read.

The `tapline_reporting` login (tapline/bootstrap.py) reads views named `reporting_v1_*` and
nothing else: no raw table, no secret, no bank or card data. A view is a contract: a later
version adds `reporting_v2_*` beside it and keeps v1 until docs/reporting.md retires it.
The views run with their owner's rights, which is how the role reads them without a grant on
the tables beneath.

Revision ID: collections_0005_reporting
Revises: collections_0004_waiver
"""
from alembic import op

revision = "collections_0005_reporting"
down_revision = "collections_0004_waiver"
branch_labels = None
depends_on = None

VIEWS: dict[str, str] = {
    "reporting_v1_balances": (
        "SELECT account_id, balance, as_of FROM balances "
    ),
    "reporting_v1_notices": (
        "SELECT id, account_id, kind, addressee, status, created_on, released_on, amount, "
        "action_on, delivery, language FROM notices "
    ),
    "reporting_v1_field_orders": (
        "SELECT id, account_id, premise_id, kind, status, scheduled_on, disconnect_on, "
        "completed_on, cancelled_on, cancel_reason, low_income, after_hours, fee FROM "
        "field_orders "
    ),
}


def upgrade() -> None:
    for name, body in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {body}")
        op.execute(f"COMMENT ON VIEW {name} IS 'reporting v1: see docs/reporting.md'")


def downgrade() -> None:
    for name in reversed(list(VIEWS)):
        op.execute(f"DROP VIEW IF EXISTS {name}")
