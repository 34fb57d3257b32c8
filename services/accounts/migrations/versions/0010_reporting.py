"""Reporting views, version 1: what the district's own tools (Metabase, Power BI, Excel) may read.

The `tapline_reporting` login (tapline/bootstrap.py) reads views named `reporting_v1_*` and
nothing else: no raw table, no secret, no bank or card data. A view is a contract: a later
version adds `reporting_v2_*` beside it and keeps v1 until docs/reporting.md retires it.
The views run with their owner's rights, which is how the role reads them without a grant on
the tables beneath.

Revision ID: accounts_0009_reporting
Revises: accounts_0009_notifications
"""
from alembic import op

revision = "accounts_0009_reporting"
down_revision = "accounts_0009_notifications"
branch_labels = None
depends_on = None

VIEWS: dict[str, str] = {
    "reporting_v1_customers": (
        "SELECT id, kind, name, language, paperless, created_at FROM customers "
    ),
    "reporting_v1_accounts": (
        "SELECT id, number, customer_id, status, opened_on, closed_on, language, paperless, "
        "deposit_held, deposit_held_since FROM accounts "
    ),
    "reporting_v1_premises": (
        "SELECT id, kind, dwelling_units, cycle, route, apn, address, owner_account_id FROM "
        "premises "
    ),
    "reporting_v1_meters": (
        "SELECT id, serial, size, kind, unit, multiplier, status, premise_id, installed_at, "
        "removed_at FROM meters "
    ),
    "reporting_v1_service_agreements": (
        "SELECT id, account_id, premise_id, service, rate_class, meter_id, start_date, stop_date, "
        "status FROM service_agreements "
    ),
    "reporting_v1_deposit_transactions": (
        "SELECT id, account_id, kind, amount, on_date, reason, at FROM deposit_transactions "
    ),
}


def upgrade() -> None:
    for name, body in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {body}")
        op.execute(f"COMMENT ON VIEW {name} IS 'reporting v1: see docs/reporting.md'")


def downgrade() -> None:
    for name in reversed(list(VIEWS)):
        op.execute(f"DROP VIEW IF EXISTS {name}")
