"""Kernel tables, second step: the types this service handles (`inbox_types`, written at
start-up, read by the relay) and each inbox row's `prev_seq`, so the relay copies only those
types and the inbox still applies each key in order (docs/events.md, "Delivery").

Revision ID: accounts_0006
Revises: accounts_0005
"""
from alembic import op

from kernel.schema import inbox_filter_down, inbox_filter_up

revision = "accounts_0006"
down_revision = "accounts_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inbox_filter_up(op)


def downgrade() -> None:
    inbox_filter_down(op)
