"""Reports read a month of the ledger, not every year of it (issue 15's speed target).

Every money report selects the ledger entries of its days (`posted_on BETWEEN ...`); without
an index on `posted_on` each one read the whole ledger, a cost that grows with every year kept.
The ledger is append-only and its entries arrive in about the order of their dates (a run posts
on its bill date, a payment on the day it is received), so a BRIN index fits: a few pages for
millions of entries, next to nothing added to a bill run's or a lockbox file's inserts (a
B-tree would add a probe per entry). Pages not summarised yet (the newest) are always read,
which keeps it correct whatever order entries arrive in; `autosummarize` keeps that tail short.

No order is assumed against the other migrations of this wave.

Revision ID: billing_0015_reports
Revises: billing_0011_courtesy
"""
from alembic import op

revision = "billing_0015_reports"
down_revision = "billing_0011_courtesy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ledger_posted_brin ON ledger_entries USING brin "
               "(posted_on) WITH (pages_per_range = 16, autosummarize = on)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ledger_posted_brin")
