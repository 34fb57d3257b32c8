"""Text-to-pay: a registered phone per account (confirmed by a texted code or a YES reply), the
balance messages texted to it (one per bill and day) with the PAY each may be answered with, and
every inbound text by the provider's message id (a retried webhook changes nothing).

Revision ID: payments_0005_texttopay
Revises: payments_0005_refunds (written on payments_0004; re-chained after returns and refunds,
which reached main first; it depends on none of their tables)
"""
from alembic import op

revision = "payments_0005_texttopay"
down_revision = "payments_0005_refunds"
branch_labels = None
depends_on = None

DDL = r"""
-- The stored method is the processor's token and what the customer recognises ("visa •••• 4242");
-- the confirmation code is kept only as a hash.
CREATE TABLE texttopay_enrolments (
    id               uuid PRIMARY KEY,
    account_id       uuid NOT NULL,
    phone            text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    method_token     text NOT NULL,
    method_kind      text NOT NULL CHECK (method_kind IN ('card', 'us_bank_account')),
    method_display   text NOT NULL,
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'active', 'cancelled')),
    code_hash        text NOT NULL,
    code_expires_at  timestamptz NOT NULL,
    code_attempts    integer NOT NULL DEFAULT 0,
    requested_by     text NOT NULL,
    requested_role   text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    confirmed_at     timestamptz,
    confirmed_by     text CHECK (confirmed_by IN ('code', 'reply')),
    cancelled_at     timestamptz,
    cancelled_by     text,
    cancel_reason    text,
    CHECK ((status = 'active') = (confirmed_at IS NOT NULL AND cancelled_at IS NULL))
);
-- One registered phone per account, and a phone pays for one account (PAY must not guess).
CREATE UNIQUE INDEX texttopay_enrolments_account_uq ON texttopay_enrolments (account_id)
    WHERE status = 'active';
CREATE UNIQUE INDEX texttopay_enrolments_phone_uq ON texttopay_enrolments (phone)
    WHERE status = 'active';
CREATE INDEX texttopay_enrolments_phone_ix ON texttopay_enrolments (phone, created_at DESC);
CREATE INDEX texttopay_enrolments_account_ix ON texttopay_enrolments (account_id, created_at DESC);

-- A balance message quotes an amount; PAY charges exactly it, once, under `charge_key`.
CREATE TABLE texttopay_messages (
    id                  uuid PRIMARY KEY,
    enrolment_id        uuid NOT NULL REFERENCES texttopay_enrolments (id),
    account_id          uuid NOT NULL,
    bill_id             uuid NOT NULL,
    sent_on             date NOT NULL,
    valid_through       date NOT NULL,
    amount              numeric(14,2) NOT NULL CHECK (amount > 0),
    due_date            date NOT NULL,
    provider            text NOT NULL,
    provider_message_id text,
    status              text NOT NULL,
    error_code          text,
    created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    charge_key          text NOT NULL UNIQUE,
    charge_ref          text,
    charge_status       text CHECK (charge_status IN ('succeeded', 'processing', 'failed')),
    charged_at          timestamptz,
    UNIQUE (account_id, bill_id, sent_on)
);
CREATE UNIQUE INDEX texttopay_messages_provider_uq ON texttopay_messages
    (provider, provider_message_id);
CREATE INDEX texttopay_messages_enrolment_ix ON texttopay_messages
    (enrolment_id, sent_on DESC, created_at DESC);

-- Every inbound text we acted on, by the provider's message id; neither the number nor the words
-- are kept, only what the text was read as and what it did.
CREATE TABLE texttopay_inbound (
    provider            text NOT NULL,
    message_id          text NOT NULL,
    received_at         timestamptz NOT NULL DEFAULT now(),
    keyword             text NOT NULL,
    outcome             text NOT NULL DEFAULT 'received',
    enrolment_id        uuid REFERENCES texttopay_enrolments (id),
    balance_message_id  uuid REFERENCES texttopay_messages (id),
    PRIMARY KEY (provider, message_id)
);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS texttopay_inbound, texttopay_messages, "
               "texttopay_enrolments")
