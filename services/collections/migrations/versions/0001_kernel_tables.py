"""Kernel tables: outbox, inbox, idempotency keys, audit trail.

Revision ID: collections_0001
Revises:
"""
from alembic import op

from kernel.schema import kernel_tables_down, kernel_tables_up

revision = "collections_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    kernel_tables_up(op)


def downgrade() -> None:
    kernel_tables_down(op)
