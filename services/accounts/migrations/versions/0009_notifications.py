"""Customer notifications: every message a record, each customer's choices, the addresses and
phones that may not be used (a hard bounce, a STOP).

A message is queued by an event (or a workflow) under a key made of what caused it, its kind and
its channel, so a redelivered event or a retried job queues nothing new; the sender claims due
messages with SKIP LOCKED, sends, and records the outcome with retries and backoff.

Revision ID: accounts_0009_notifications
Revises: accounts_0007_requests
"""
from alembic import op

revision = "accounts_0009_notifications"
down_revision = "accounts_0007_requests"
branch_labels = None
depends_on = None

DDL = r"""
CREATE TABLE notification_messages (
    id               uuid PRIMARY KEY,
    dedupe_key       text NOT NULL CONSTRAINT notification_messages_key_uq UNIQUE,
    account_id       uuid NOT NULL REFERENCES accounts (id),
    customer_id      uuid NOT NULL REFERENCES customers (id),
    kind             text NOT NULL,
    channel          text NOT NULL CONSTRAINT notification_messages_channel_ck
                         CHECK (channel IN ('email', 'text')),
    language         text NOT NULL,
    recipient        text NOT NULL,
    facts            jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'queued' CONSTRAINT notification_messages_status_ck
                         CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'bounced',
                                           'failed', 'cancelled')),
    attempts         integer NOT NULL DEFAULT 0,
    not_before       timestamptz NOT NULL DEFAULT now(),
    claimed_until    timestamptz,
    subject          text,
    body_text        text,
    body_html        text,
    provider_id      text,
    last_error       text,
    source_event_id  uuid,
    queued_at        timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    delivered_at     timestamptz,
    failed_at        timestamptz
);
CREATE INDEX notification_messages_due_ix ON notification_messages (not_before)
    WHERE status = 'queued';
CREATE INDEX notification_messages_account_ix ON notification_messages (account_id, queued_at);
CREATE INDEX notification_messages_provider_ix ON notification_messages (provider_id)
    WHERE provider_id IS NOT NULL;
COMMENT ON TABLE notification_messages IS
    'every e-mail and text sent to a customer: queued, sent, delivered, bounced or failed';

CREATE TABLE notification_preferences (
    customer_id  uuid NOT NULL REFERENCES customers (id),
    kind         text NOT NULL,
    channels     text NOT NULL CONSTRAINT notification_preferences_ck
                     CHECK (channels IN ('email', 'text', 'both', 'none')),
    changed_by   text NOT NULL,
    changed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, kind)
);

CREATE TABLE notification_suppressions (
    channel      text NOT NULL CHECK (channel IN ('email', 'text')),
    address      text NOT NULL,
    reason       text NOT NULL CHECK (reason IN ('hard_bounce', 'stop', 'complaint')),
    detail       text,
    since        timestamptz NOT NULL DEFAULT now(),
    message_id   uuid,
    PRIMARY KEY (channel, address)
);
COMMENT ON TABLE notification_suppressions IS
    'addresses that bounced hard and phones that texted STOP: nothing more is sent to them';
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS notification_suppressions, notification_preferences, "
               "notification_messages")
