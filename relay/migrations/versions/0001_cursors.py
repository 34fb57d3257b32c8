"""Relay cursors: how far each subscriber has been fed from each source's outbox.

Revision ID: relay_0001
Revises:
"""
from alembic import op

revision = "relay_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE cursors (
            source      text NOT NULL,
            subscriber  text NOT NULL,
            last_txid   xid8 NOT NULL DEFAULT '0',
            last_id     bigint NOT NULL DEFAULT 0,
            copied      bigint NOT NULL DEFAULT 0,
            updated_at  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (source, subscriber)
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE cursors")
