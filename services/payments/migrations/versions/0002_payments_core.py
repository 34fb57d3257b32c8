"""Payments core: the copy of accounts and billing data, cash drawers, mail check batches,
payments with their receipt numbers.

Revision ID: payments_0002
Revises: payments_0001
"""
from alembic import op

revision = "payments_0002"
down_revision = "payments_0001"
branch_labels = None
depends_on = None

DDL = r"""
-- ---- copy of accounts and billing data (fed by events, rebuilt by replay) --------------------
CREATE TABLE accounts (
    id          uuid PRIMARY KEY,
    number      text NOT NULL,
    customer_id uuid,
    name        text NOT NULL DEFAULT '',
    status      text NOT NULL,
    cash_only   boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX accounts_number_uq ON accounts (number);
CREATE INDEX accounts_customer_ix ON accounts (customer_id);

CREATE TABLE customers (
    id   uuid PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE bills (
    id         uuid PRIMARY KEY,
    account_id uuid NOT NULL,
    bill_date  date NOT NULL,
    due_date   date NOT NULL,
    total      numeric(14,2) NOT NULL,
    status     text NOT NULL CHECK (status IN ('open', 'cancelled'))
);
CREATE INDEX bills_account_ix ON bills (account_id, due_date);

-- The account's balance as billing last announced it (BillIssued, LedgerEntryPosted).
CREATE TABLE balances (
    account_id uuid PRIMARY KEY,
    balance    numeric(14,2) NOT NULL,
    as_of      timestamptz NOT NULL
);

-- ---- cash drawers -----------------------------------------------------------------------------
CREATE TABLE drawers (
    id             uuid PRIMARY KEY,
    cashier        text NOT NULL,
    status         text NOT NULL CHECK (status IN ('open', 'closed', 'signed_off')),
    opened_at      timestamptz NOT NULL DEFAULT now(),
    opened_on      date NOT NULL,
    float_amount   numeric(14,2) NOT NULL CHECK (float_amount >= 0),
    closed_at      timestamptz,
    closed_by      text,
    counted        jsonb,
    counted_cash   numeric(14,2),
    expected_cash  numeric(14,2),
    over_short     numeric(14,2),
    signed_off_by  text,
    signed_off_at  timestamptz,
    sign_off_note  text
);
CREATE UNIQUE INDEX drawers_one_open_uq ON drawers (cashier) WHERE status = 'open';

-- ---- mail check batches -----------------------------------------------------------------------
CREATE TABLE batches (
    id            uuid PRIMARY KEY,
    keyed_by      text NOT NULL,
    received_on   date NOT NULL,
    control_total numeric(14,2) NOT NULL CHECK (control_total > 0),
    control_count integer NOT NULL CHECK (control_count > 0),
    status        text NOT NULL CHECK (status IN ('open', 'posted')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    posted_at     timestamptz,
    posted_by     text
);

-- ---- payments ---------------------------------------------------------------------------------
CREATE SEQUENCE receipt_number_seq START 100001;

CREATE TABLE payments (
    id                uuid PRIMARY KEY,
    receipt_number    bigint NOT NULL UNIQUE DEFAULT nextval('receipt_number_seq'),
    account_id        uuid NOT NULL,
    account_number    text NOT NULL,
    amount            numeric(14,2) NOT NULL CHECK (amount > 0),
    tender            text NOT NULL CHECK (tender IN ('cash', 'check', 'money_order', 'card',
                                                      'bank')),
    check_number      text,
    bank              text,
    money_order_number text,
    processor_token   text,
    received_on       date NOT NULL,
    channel           text NOT NULL CHECK (channel IN ('counter', 'mail')),
    drawer_id         uuid REFERENCES drawers (id),
    batch_id          uuid REFERENCES batches (id),
    status            text NOT NULL CHECK (status IN ('keyed', 'posted')),
    taken_by          text NOT NULL,
    idempotency_key   text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    posted_at         timestamptz,
    CHECK ((channel = 'counter') = (drawer_id IS NOT NULL)),
    CHECK ((channel = 'mail') = (batch_id IS NOT NULL))
);
CREATE UNIQUE INDEX payments_idempotency_uq ON payments (taken_by, idempotency_key);
CREATE INDEX payments_drawer_ix ON payments (drawer_id) WHERE drawer_id IS NOT NULL;
CREATE INDEX payments_batch_ix ON payments (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX payments_account_ix ON payments (account_id, received_on);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS payments, batches, drawers, balances, bills, customers, "
               "accounts")
    op.execute("DROP SEQUENCE IF EXISTS receipt_number_seq")
