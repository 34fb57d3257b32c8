"""Portal identity's copy of each bill's total (from `billing.BillIssued`), so a customer who
registers can prove they hold the account with the amount of their last bill.

Revision ID: accounts_0007_portal
Revises: accounts_0006
"""
from alembic import op

revision = "accounts_0007_portal"
down_revision = "accounts_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        -- One row per bill billing announced. A bill cancelled (or replaced by a rebill) is
        -- kept, marked, so a cancellation that arrives before its bill still wins; total is
        -- null until the bill itself has arrived.
        CREATE TABLE IF NOT EXISTS bill_facts (
            bill_id     uuid PRIMARY KEY,
            account_id  uuid NOT NULL,
            bill_date   date,
            total       numeric(14,2),
            cancelled   boolean NOT NULL DEFAULT false,
            updated_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX IF NOT EXISTS bill_facts_last_ix
            ON bill_facts (account_id, bill_date DESC, bill_id DESC)
            WHERE NOT cancelled AND total IS NOT NULL;
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS bill_facts")
