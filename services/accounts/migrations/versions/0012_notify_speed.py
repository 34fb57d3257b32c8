"""Notification messages queue without a foreign-key check per row.

A bill run queues a message per paperless account in one statement (notifications'
`enqueue_emails`), and the two row-by-row foreign-key triggers (account, customer) cost as much
as the insert itself: half of the time to queue 100,000 e-bill notices. Every message row is
made from a join on `accounts` and `customers` in the same statement (or, for texts, from a
read in the same transaction), and neither table ever loses a row (an account closes, a
customer stays), so the checks only ever confirmed what the join had just read. The account
index stays; nothing else changes.

Revision ID: accounts_0011_notify_speed
Revises: accounts_0011_rebates
"""
from alembic import op

revision = "accounts_0011_notify_speed"
down_revision = "accounts_0011_rebates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE notification_messages "
        "DROP CONSTRAINT IF EXISTS notification_messages_account_id_fkey, "
        "DROP CONSTRAINT IF EXISTS notification_messages_customer_id_fkey")


def downgrade() -> None:
    op.execute(
        "ALTER TABLE notification_messages "
        "ADD CONSTRAINT notification_messages_account_id_fkey "
        "FOREIGN KEY (account_id) REFERENCES accounts (id), "
        "ADD CONSTRAINT notification_messages_customer_id_fkey "
        "FOREIGN KEY (customer_id) REFERENCES customers (id)")
