"""Transfers of misapplied payments between accounts, refunds of credit balances and deposits
with their check-request exports, and the payee's mailing address in the copy.

Revision ID: payments_0005_refunds
Revises: payments_0005_returns (written against payments_0004, independent of it; chained
after the returns migration, which reached main first)
"""
from alembic import op

revision = "payments_0005_refunds"
down_revision = "payments_0005_returns"
branch_labels = None
depends_on = None

DDL = r"""
-- The payee's mailing address for a refund check: the account's effective address as accounts
-- announces it (`AccountChanged.account.mailing_address`), the customer's as a fallback.
ALTER TABLE accounts ADD COLUMN mailing_address jsonb;
ALTER TABLE customers ADD COLUMN mailing_address jsonb;

-- A posted payment (or part of it) moved from the account it was applied to, to another.
CREATE TABLE transfers (
    id               uuid PRIMARY KEY,
    payment_id       uuid NOT NULL REFERENCES payments (id),
    receipt_number   bigint NOT NULL,
    from_account_id  uuid NOT NULL,
    from_number      text NOT NULL,
    to_account_id    uuid NOT NULL,
    to_number        text NOT NULL,
    amount           numeric(14,2) NOT NULL CHECK (amount > 0),
    reason           text NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'transferred', 'rejected')),
    requested_by     text NOT NULL,
    requested_role   text NOT NULL,
    idempotency_key  text NOT NULL,
    approved_by      text,
    rejected_by      text,
    rejection_reason text,
    transferred_on   date,
    -- billing's transfer_out entry seen in the copy's balance (until then it claims the credit)
    out_posted       boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    decided_at       timestamptz,
    CHECK (from_account_id <> to_account_id)
);
CREATE UNIQUE INDEX transfers_idempotency_uq ON transfers (requested_by, idempotency_key);
CREATE INDEX transfers_payment_ix ON transfers (payment_id);
CREATE INDEX transfers_from_ix ON transfers (from_account_id);
CREATE INDEX transfers_to_ix ON transfers (to_account_id);

-- One check-request export for accounts payable: the CSV exactly as it was handed over.
CREATE TABLE check_requests (
    id              uuid PRIMARY KEY,
    requested_by    text NOT NULL,
    idempotency_key text NOT NULL,
    refund_count    integer NOT NULL CHECK (refund_count > 0),
    total           numeric(14,2) NOT NULL CHECK (total > 0),
    filename        text NOT NULL,
    content         text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX check_requests_idempotency_uq ON check_requests (requested_by,
                                                                     idempotency_key);

-- A refund of an account's credit: requested (by staff, or by accounts' deposit release),
-- approved by a supervisor, issued by a check-request export, possibly voided before the check.
CREATE TABLE refunds (
    id               uuid PRIMARY KEY,
    account_id       uuid NOT NULL,
    account_number   text NOT NULL,
    amount           numeric(14,2) NOT NULL CHECK (amount > 0),
    source           text NOT NULL CHECK (source IN ('credit_balance', 'deposit')),
    reason           text NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected',
                                                     'issued', 'voided')),
    requested_by     text NOT NULL,
    requested_role   text NOT NULL,
    idempotency_key  text,
    deposit_event_id uuid UNIQUE,
    approved_by      text,
    approved_at      timestamptz,
    rejected_by      text,
    rejection_reason text,
    check_request_id uuid REFERENCES check_requests (id),
    issued_on        date,
    ledger_posted    boolean NOT NULL DEFAULT false,
    voided_by        text,
    void_reason      text,
    voided_at        timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((source = 'deposit') = (deposit_event_id IS NOT NULL)),
    CHECK ((status IN ('issued', 'voided')) = (check_request_id IS NOT NULL))
);
CREATE UNIQUE INDEX refunds_idempotency_uq ON refunds (requested_by, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX refunds_account_ix ON refunds (account_id);
CREATE INDEX refunds_open_ix ON refunds (status) WHERE status IN ('pending', 'approved');

-- A released deposit, met from both sides: accounts' `DepositDueForRefund` (amount, method)
-- and billing's `deposit_applied` entry (`LedgerEntryPosted`, reference `deposit:<event id>`).
-- Either may arrive first; the refund is sized only when both have.
CREATE TABLE deposit_releases (
    deposit_event_id uuid PRIMARY KEY,
    account_id       uuid NOT NULL,
    amount           numeric(14,2),
    method           text,
    reason           text,
    ledger_entry_id  uuid,
    status           text NOT NULL CHECK (status IN ('awaiting_ledger', 'awaiting_deposit',
                                                     'credited', 'refund_requested',
                                                     'nothing_to_refund')),
    refund_id        uuid REFERENCES refunds (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    decided_at       timestamptz
);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS deposit_releases, refunds, check_requests, transfers")
    op.execute("ALTER TABLE customers DROP COLUMN IF EXISTS mailing_address")
    op.execute("ALTER TABLE accounts DROP COLUMN IF EXISTS mailing_address")
