"""Statements (issue 17): billing's copy of each account's autopay, from payments'
`AutopayEnrolled` / `AutopayCancelled`, so a statement can say "Autopay will draw ... on the due
date" and its stub "do not pay" without asking payments while printing a run.

Revision ID: billing_0007_statement
Revises: billing_0006
"""
from alembic import op

revision = "billing_0007_statement"
down_revision = "billing_0007_usage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE IF NOT EXISTS statement_autopay (
            account_id uuid PRIMARY KEY,
            display    text NOT NULL DEFAULT '',
            active     boolean NOT NULL
        )""")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS statement_autopay")
