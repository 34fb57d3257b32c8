"""Relay filters: a subscriber is copied only the event types it declared (its
`inbox_types`), each from the cursor position at which the relay adopted it.

`cursors.filter_txid/filter_id`: the cursor when the relay first saw the subscriber's types;
NULL while it has declared none (everything is copied, as before). `filters`: per pair, each
declared type and the cursor position from which it is copied. Both are what the relay needs to
compute, from the outbox alone, which earlier events of a key it copied (or will copy) to a
subscriber: the inbox waits for exactly those (docs/events.md, "Delivery").

Revision ID: relay_0002
Revises: relay_0001
"""
from alembic import op

revision = "relay_0002"
down_revision = "relay_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE cursors ADD COLUMN filter_txid xid8, ADD COLUMN filter_id bigint;
        CREATE TABLE filters (
            source      text NOT NULL,
            subscriber  text NOT NULL,
            type        text NOT NULL,
            since_txid  xid8 NOT NULL,
            since_id    bigint NOT NULL,
            adopted_at  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (source, subscriber, type),
            FOREIGN KEY (source, subscriber) REFERENCES cursors (source, subscriber)
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE filters; ALTER TABLE cursors DROP COLUMN filter_txid, "
               "DROP COLUMN filter_id")
