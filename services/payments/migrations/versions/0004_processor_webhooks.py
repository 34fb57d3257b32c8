"""Processor webhooks: deliveries deduplicated by the processor's event id, the processor's
payments mapped to ours, and their reversals (refunds, chargebacks, ACH returns), kept even when
they arrive before the payment they reverse.

Revision ID: payments_0004
Revises: payments_0003
"""
from alembic import op

revision = "payments_0004"
down_revision = "payments_0003"
branch_labels = None
depends_on = None

DDL = r"""
-- A payment taken by a processor is neither at the counter nor in the mail.
ALTER TABLE payments DROP CONSTRAINT payments_channel_check;
ALTER TABLE payments ADD CONSTRAINT payments_channel_check
    CHECK (channel IN ('counter', 'mail', 'lockbox', 'processor'));

-- One row per processor event we acted on, written in the transaction of its effect: a retry,
-- a duplicate or a concurrent delivery of the same event conflicts here and changes nothing.
CREATE TABLE processor_deliveries (
    processor    text NOT NULL,
    event_id     text NOT NULL,
    event_type   text NOT NULL,
    payment_ref  text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (processor, event_id)
);

-- The processor's payment (pi_...) and the payment we posted for it.
CREATE TABLE processor_payments (
    processor    text NOT NULL,
    payment_ref  text NOT NULL,
    payment_id   uuid NOT NULL REFERENCES payments (id),
    account_id   uuid NOT NULL,
    amount       numeric(14,2) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (processor, payment_ref)
);
CREATE UNIQUE INDEX processor_payments_payment_uq ON processor_payments (payment_id);

-- Refunds, chargebacks and ACH returns, by the processor's idempotency key (two events about
-- one refund reverse once). `applied_at` is null while the payment's success has not arrived.
CREATE TABLE processor_reversals (
    processor       text NOT NULL,
    idempotency_key text NOT NULL,
    payment_ref     text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('refund', 'chargeback', 'ach_return')),
    amount          numeric(14,2) NOT NULL CHECK (amount > 0),
    detail          jsonb NOT NULL DEFAULT '{}',
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    applied_at      timestamptz,
    PRIMARY KEY (processor, idempotency_key)
);
CREATE INDEX processor_reversals_pending_ix ON processor_reversals (processor, payment_ref)
    WHERE applied_at IS NULL;
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS processor_reversals, processor_payments, "
               "processor_deliveries")
    op.execute("DELETE FROM payments WHERE channel = 'processor'")
    op.execute("ALTER TABLE payments DROP CONSTRAINT payments_channel_check")
    op.execute("ALTER TABLE payments ADD CONSTRAINT payments_channel_check "
               "CHECK (channel IN ('counter', 'mail', 'lockbox'))")
