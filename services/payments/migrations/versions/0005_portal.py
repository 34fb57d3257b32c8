"""Customer portal payments: hosted-page and saved-method payments a customer starts, saved
methods (processor tokens only), and recurring or date-scheduled payments with one charge row
per (schedule, date).

Revision ID: payments_0005_portal
Revises: payments_0005_refunds (chained after the returns and refunds migrations merged before it)
"""
from alembic import op

revision = "payments_0005_portal"
down_revision = "payments_0005_autopay"
branch_labels = None
depends_on = None

DDL = r"""
-- A card or bank account saved at the processor: its token, kind and masked display only.
CREATE TABLE saved_methods (
    id          uuid PRIMARY KEY,
    account_id  uuid NOT NULL,
    processor   text NOT NULL,
    token       text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('card', 'us_bank_account')),
    display     text NOT NULL,
    -- the processor's customer the method is attached to (Stripe), for off-session charges
    processor_customer text,
    is_default  boolean NOT NULL DEFAULT false,
    status      text NOT NULL CHECK (status IN ('active', 'removed')),
    saved_by    text NOT NULL,
    idempotency_key text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    removed_at  timestamptz,
    removed_by  text,
    CHECK ((status = 'removed') = (removed_at IS NOT NULL)),
    CHECK (status = 'active' OR NOT is_default)
);
CREATE UNIQUE INDEX saved_methods_key_uq ON saved_methods (saved_by, idempotency_key);
CREATE UNIQUE INDEX saved_methods_token_uq ON saved_methods (account_id, processor, token)
    WHERE status = 'active';
CREATE UNIQUE INDEX saved_methods_default_uq ON saved_methods (account_id) WHERE is_default;

-- A payment a customer started: on the processor's hosted page, or a saved method charged
-- now. It posts when the processor's webhook arrives (channel `processor`, taken by the
-- processor under `processor_key`).
CREATE TABLE portal_payments (
    id            uuid PRIMARY KEY,
    account_id    uuid NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('hosted', 'saved_method')),
    amount        numeric(14,2) NOT NULL CHECK (amount > 0),
    processor     text NOT NULL,
    processor_key text NOT NULL UNIQUE,
    session_id    text,
    url           text,
    method_id     uuid REFERENCES saved_methods (id),
    charge_ref    text,
    charge_status text CHECK (charge_status IN ('succeeded', 'processing', 'failed')),
    failure_code  text,
    requested_by  text NOT NULL,
    idempotency_key text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'hosted') = (session_id IS NOT NULL)),
    CHECK ((kind = 'saved_method') = (method_id IS NOT NULL))
);
CREATE UNIQUE INDEX portal_payments_key_uq ON portal_payments (requested_by, idempotency_key);
CREATE INDEX portal_payments_account_ix ON portal_payments (account_id, created_at);

-- A payment a customer scheduled: once on a date, or monthly on a day; a fixed amount or the
-- balance due on the day.
CREATE TABLE recurring_schedules (
    id            uuid PRIMARY KEY,
    account_id    uuid NOT NULL,
    method_id     uuid NOT NULL REFERENCES saved_methods (id),
    kind          text NOT NULL CHECK (kind IN ('once', 'monthly')),
    day_of_month  smallint CHECK (day_of_month BETWEEN 1 AND 31),
    amount_rule   text NOT NULL CHECK (amount_rule IN ('fixed', 'balance')),
    amount        numeric(14,2) CHECK (amount > 0),
    start_on      date NOT NULL,
    end_on        date,
    status        text NOT NULL CHECK (status IN ('active', 'completed', 'ended', 'cancelled',
                                                  'stopped')),
    stop_reason   text,
    created_by    text NOT NULL,
    idempotency_key text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    ended_at      timestamptz,
    ended_by      text,
    CHECK ((amount_rule = 'fixed') = (amount IS NOT NULL)),
    CHECK ((kind = 'monthly') = (day_of_month IS NOT NULL)),
    CHECK (end_on IS NULL OR end_on >= start_on)
);
CREATE UNIQUE INDEX recurring_schedules_key_uq ON recurring_schedules (created_by, idempotency_key);
CREATE INDEX recurring_schedules_account_ix ON recurring_schedules (account_id);
CREATE INDEX recurring_schedules_active_ix ON recurring_schedules (start_on) WHERE status = 'active';
CREATE INDEX recurring_schedules_method_ix ON recurring_schedules (method_id) WHERE status = 'active';

-- What the daily run did for one schedule on one date: the primary key is the exactly-once
-- guarantee (a second run, or two runs at once, meet here before the processor is called).
CREATE TABLE recurring_charges (
    schedule_id   uuid NOT NULL REFERENCES recurring_schedules (id),
    charge_on     date NOT NULL,
    outcome       text NOT NULL CHECK (outcome IN ('claimed', 'succeeded', 'processing',
                                                   'declined', 'skipped')),
    reason        text,
    amount        numeric(14,2) CHECK (amount > 0),
    processor_key text NOT NULL,
    charge_ref    text,
    run_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (schedule_id, charge_on)
);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS recurring_charges, recurring_schedules, portal_payments, "
               "saved_methods")
