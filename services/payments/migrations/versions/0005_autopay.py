"""Autopay: enrolments (bank account encrypted, or a processor card token), debits scheduled
from bills, the NACHA files sent to the district's bank, and the bank's returns imported.
Payments learn the `autopay` channel (a bank debit in a NACHA file).

Revision ID: payments_0005_autopay
Revises: payments_0005_refunds (the 0005s are chained in the order they reached main:
returns, refunds, autopay)
"""
from alembic import op

revision = "payments_0005_autopay"
down_revision = "payments_0005_texttopay"
branch_labels = None
depends_on = None

DDL = r"""
-- A debit in the district's NACHA file posts as a payment of its own channel.
ALTER TABLE payments DROP CONSTRAINT payments_channel_check;
ALTER TABLE payments ADD CONSTRAINT payments_channel_check
    CHECK (channel IN ('counter', 'mail', 'lockbox', 'processor', 'autopay'));

-- One enrolment per account at a time. A bank account is kept only as a token encrypted with
-- TAPLINE_BANK_KEYS (kernel/bankaccount.py, the row's id as authenticated context), its masked
-- form and a keyed hash that recognises the same account again; a card only as the
-- processor's token.
CREATE TABLE autopay_enrolments (
    id                  uuid PRIMARY KEY,
    account_id          uuid NOT NULL,
    method              text NOT NULL CHECK (method IN ('bank', 'card')),
    status              text NOT NULL CHECK (status IN ('active', 'cancelled')),
    display             text NOT NULL,
    holder_name         text NOT NULL,
    routing_number      text,
    account_type        text CHECK (account_type IN ('checking', 'savings')),
    account_token       text,
    account_hash        text,
    card_token          text,
    -- Prenote: written in a file (trace, effective date); live debits from `live_from`.
    prenote_required    boolean NOT NULL DEFAULT false,
    prenote_trace       text UNIQUE,
    prenote_file_id     uuid,
    prenote_effective_on date,
    live_from           date,
    enrolled_on         date NOT NULL,
    enrolled_by         text NOT NULL,
    enrolled_at         timestamptz NOT NULL DEFAULT now(),
    cancelled_on        date,
    cancelled_by        text,
    cancel_reason       text,
    return_code         text,
    CHECK ((method = 'bank') = (account_token IS NOT NULL AND routing_number IS NOT NULL
                                AND account_type IS NOT NULL AND account_hash IS NOT NULL)),
    CHECK ((method = 'card') = (card_token IS NOT NULL)),
    CHECK ((status = 'cancelled') = (cancelled_on IS NOT NULL))
);
CREATE UNIQUE INDEX autopay_enrolments_one_active_uq ON autopay_enrolments (account_id)
    WHERE status = 'active';
CREATE INDEX autopay_enrolments_hash_ix ON autopay_enrolments (account_hash)
    WHERE account_hash IS NOT NULL;

-- The NACHA files cut, one per day; the text is kept (the bank may ask for it again) with its
-- SHA-256. It holds account numbers in the clear, so it is kept sealed like an enrolment's
-- number (TAPLINE_BANK_KEYS, the file's id as context) and opened only by the download.
CREATE TABLE autopay_files (
    id              uuid PRIMARY KEY,
    cut_on          date NOT NULL UNIQUE,
    effective_on    date NOT NULL,
    file_id_modifier text NOT NULL,
    content_sealed  text NOT NULL,
    sha256          text NOT NULL UNIQUE,
    entry_count     integer NOT NULL,
    debit_count     integer NOT NULL,
    prenote_count   integer NOT NULL,
    total           numeric(14,2) NOT NULL,
    entry_hash      bigint NOT NULL,
    block_count     integer NOT NULL,
    first_trace_seq integer NOT NULL,
    last_trace_seq  integer NOT NULL,
    cut_by          text NOT NULL,
    cut_at          timestamptz NOT NULL DEFAULT now()
);

-- A debit per bill (per enrolment): its amount is decided when it is created from the
-- balance due then, re-examined when the file is cut or the card charged.
CREATE TABLE autopay_debits (
    id              uuid PRIMARY KEY,
    enrolment_id    uuid NOT NULL REFERENCES autopay_enrolments (id),
    account_id      uuid NOT NULL,
    bill_id         uuid NOT NULL,
    method          text NOT NULL CHECK (method IN ('bank', 'card')),
    amount          numeric(14,2) NOT NULL CHECK (amount > 0),
    due_date        date NOT NULL,
    debit_on        date NOT NULL,
    scheduled_on    date NOT NULL,
    status          text NOT NULL CHECK (status IN ('scheduled', 'sent', 'charged', 'failed',
                                                    'dropped', 'returned')),
    drop_reason     text,
    file_id         uuid REFERENCES autopay_files (id),
    trace_number    text UNIQUE,
    sent_amount     numeric(14,2),
    payment_id      uuid REFERENCES payments (id),
    processor_payment_ref text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX autopay_debits_bill_uq ON autopay_debits (bill_id)
    WHERE status <> 'dropped';
CREATE INDEX autopay_debits_due_ix ON autopay_debits (method, debit_on)
    WHERE status = 'scheduled';
CREATE INDEX autopay_debits_account_ix ON autopay_debits (account_id);

-- The bank's return files: the same file (by SHA-256) answers with its first import.
CREATE TABLE autopay_return_imports (
    id              uuid PRIMARY KEY,
    sha256          text NOT NULL UNIQUE,
    received_on     date NOT NULL,
    return_count    integer NOT NULL,
    change_count    integer NOT NULL,
    applied_count   integer NOT NULL,
    unmatched_count integer NOT NULL,
    imported_by     text NOT NULL,
    imported_at     timestamptz NOT NULL DEFAULT now()
);

-- Each return or notification of change, once per original trace number and kind.
CREATE TABLE autopay_returns (
    original_trace  text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('return', 'change')),
    import_id       uuid NOT NULL REFERENCES autopay_return_imports (id),
    code            text NOT NULL,
    outcome         text NOT NULL,
    debit_id        uuid REFERENCES autopay_debits (id),
    enrolment_id    uuid REFERENCES autopay_enrolments (id),
    payment_id      uuid,
    amount          numeric(14,2),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (original_trace, kind)
);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS autopay_returns, autopay_return_imports, autopay_debits, "
               "autopay_files, autopay_enrolments")
    op.execute("DELETE FROM payments WHERE channel = 'autopay'")
    op.execute("ALTER TABLE payments DROP CONSTRAINT payments_channel_check")
    op.execute("ALTER TABLE payments ADD CONSTRAINT payments_channel_check "
               "CHECK (channel IN ('counter', 'mail', 'lockbox', 'processor'))")
