"""Bank deposits made of closed drawers and posted mail batches, and the copy of billing's
payment entries the end-of-day report ties out against.

Revision ID: payments_0005_deposits
Revises: payments_0005_portal (chained after the 0005s main took first; written on payments_0004)
"""
from alembic import op

revision = "payments_0005_deposits"
down_revision = "payments_0005_portal"
branch_labels = None
depends_on = None

DDL = r"""
CREATE SEQUENCE bank_deposit_number_seq START 5001;

-- One bag to the bank: the cash of closed drawers (counted less the float that stays) and the
-- checks and money orders of those drawers and of posted mail batches, item by item.
CREATE TABLE bank_deposits (
    id              uuid PRIMARY KEY,
    number          bigint NOT NULL UNIQUE DEFAULT nextval('bank_deposit_number_seq'),
    status          text NOT NULL CHECK (status IN ('prepared', 'signed_off', 'deposited')),
    prepared_on     date NOT NULL,
    prepared_by     text NOT NULL,
    prepared_at     timestamptz NOT NULL DEFAULT now(),
    idempotency_key text NOT NULL,
    cash_counts     jsonb NOT NULL,
    cash_total      numeric(14,2) NOT NULL CHECK (cash_total >= 0),
    checks_count    integer NOT NULL CHECK (checks_count >= 0),
    checks_total    numeric(14,2) NOT NULL CHECK (checks_total >= 0),
    total           numeric(14,2) NOT NULL CHECK (total > 0),
    note            text,
    signed_off_by   text,
    signed_off_at   timestamptz,
    sign_off_note   text,
    bank_reference  text,
    deposited_on    date,
    confirmed_by    text,
    confirmed_at    timestamptz,
    CHECK (total = cash_total + checks_total),
    -- nobody signs off a deposit they prepared
    CHECK (signed_off_by IS NULL OR signed_off_by <> prepared_by),
    CHECK ((status = 'prepared') = (signed_off_by IS NULL)),
    CHECK ((status = 'deposited') = (bank_reference IS NOT NULL))
);
CREATE UNIQUE INDEX bank_deposits_key_uq ON bank_deposits (prepared_by, idempotency_key);
CREATE INDEX bank_deposits_prepared_on_ix ON bank_deposits (prepared_on);

-- A drawer or a batch is in at most one deposit: the primary key decides between two
-- concurrent preparations (the second waits for the first, conflicts, and is refused).
CREATE TABLE bank_deposit_sources (
    source         text NOT NULL CHECK (source IN ('drawer', 'batch')),
    source_id      uuid NOT NULL,
    deposit_id     uuid NOT NULL REFERENCES bank_deposits (id),
    worked_by      text NOT NULL,
    taken_on       date NOT NULL,
    cash           numeric(14,2) NOT NULL CHECK (cash >= 0),
    cash_counts    jsonb NOT NULL DEFAULT '{}',
    float_kept     numeric(14,2) NOT NULL DEFAULT 0,
    kept_counts    jsonb NOT NULL DEFAULT '{}',
    checks_count   integer NOT NULL,
    checks_total   numeric(14,2) NOT NULL,
    PRIMARY KEY (source, source_id)
);
CREATE INDEX bank_deposit_sources_deposit_ix ON bank_deposit_sources (deposit_id);

-- The checks and money orders on the slip; a payment is deposited once.
CREATE TABLE bank_deposit_items (
    payment_id     uuid PRIMARY KEY,
    deposit_id     uuid NOT NULL REFERENCES bank_deposits (id),
    line           integer NOT NULL,
    source         text NOT NULL,
    source_id      uuid NOT NULL,
    tender         text NOT NULL CHECK (tender IN ('check', 'money_order')),
    item_number    text NOT NULL,
    bank           text,
    amount         numeric(14,2) NOT NULL CHECK (amount > 0),
    account_number text NOT NULL,
    receipt_number bigint NOT NULL,
    UNIQUE (deposit_id, line)
);

-- Payments' copy of billing's payment and payment_reversal entries, from
-- billing.LedgerEntryPosted (an entry is never edited: first heard is kept; rebuilt by replay).
-- Ids are kept as billing wrote them (text): the copy never refuses what billing announced.
CREATE TABLE ledger_payment_entries (
    entry_id   text PRIMARY KEY,
    account_id text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('payment', 'payment_reversal')),
    amount     numeric(14,2) NOT NULL,
    posted_on  date NOT NULL,
    reference  text,
    corrects   text,
    posted_at  timestamptz NOT NULL
);
CREATE INDEX ledger_payment_entries_day_ix ON ledger_payment_entries (posted_on, kind);
CREATE INDEX ledger_payment_entries_ref_ix ON ledger_payment_entries (reference);

-- The end-of-day report reads a day's payments.
CREATE INDEX IF NOT EXISTS payments_received_on_ix ON payments (received_on);
-- ... and the returns payments announced for it (every returning feature announces them).
CREATE INDEX outbox_returned_date_ix ON outbox ((payload->>'date'))
    WHERE type = 'payments.PaymentReturned';
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS payments_received_on_ix")
    op.execute("DROP INDEX IF EXISTS outbox_returned_date_ix")
    op.execute("DROP TABLE IF EXISTS ledger_payment_entries, bank_deposit_items, "
               "bank_deposit_sources, bank_deposits")
    op.execute("DROP SEQUENCE IF EXISTS bank_deposit_number_seq")
