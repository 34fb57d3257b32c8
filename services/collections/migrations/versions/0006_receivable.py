"""The receivable's rare branches read through partial indexes.

`receivable` (0002) is a union of five reads: bills, their budget deferrals, the reversals of
cancelled bills and of their deferrals, and the ledger's entries. Few bills are cancelled or
budget-billed, yet each of those three branches scanned every bill: at 100,000 accounts with a
year of bills that was about 40 % of an aging of the district. With these indexes the planner
reads just the rows those branches return.

Revision ID: collections_0006_receivable
Revises: collections_0005_reporting
"""
from alembic import op

revision = "collections_0006_receivable"
down_revision = "collections_0005_reporting"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX bills_cancelled_ix ON bills (account_id) "
               "WHERE status = 'cancelled' AND total IS NOT NULL")
    op.execute("CREATE INDEX bills_budget_ix ON bills (account_id) "
               "WHERE budget_deferral IS NOT NULL AND total IS NOT NULL")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS bills_budget_ix, bills_cancelled_ix")
