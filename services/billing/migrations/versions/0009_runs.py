"""Partitioned bill runs (issue 13/14): a cycle run split by account hash into parts that
several worker processes claim with `FOR UPDATE SKIP LOCKED` and calculate in transactions of
their own. The run stays unpreparable until every part is calculated.

Revision ID: billing_0009_runs
Revises: billing_0007_statement
"""
from alembic import op

revision = "billing_0009_runs"
down_revision = "billing_0007_statement"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE IF NOT EXISTS bill_run_parts (
            run_id        uuid NOT NULL REFERENCES bill_runs (id),
            part          integer NOT NULL,
            parts         integer NOT NULL CHECK (parts > 0 AND part >= 0 AND part < parts),
            calculated_at timestamptz,
            calculated_by text,
            PRIMARY KEY (run_id, part)
        )""")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS bill_run_parts")
