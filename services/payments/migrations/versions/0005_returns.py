"""Returned payments (a check the bank sent back, an ACH return of an autopay debit): one
return per payment, once per return key, with the returned-payment fee assessed or waived; and
payments' own cash-only state per account (after returns, or set by a supervisor).

Revision ID: payments_0005_returns
Revises: payments_0004
"""
from alembic import op

revision = "payments_0005_returns"
down_revision = "payments_0004"
branch_labels = None
depends_on = None

DDL = r"""
-- A returned payment reverses the whole payment: one return per payment; the caller's key
-- (a staff member's Idempotency-Key, a NACHA return entry) makes a retry return the first.
CREATE TABLE payment_returns (
    id                uuid PRIMARY KEY,
    payment_id        uuid NOT NULL REFERENCES payments (id),
    account_id        uuid NOT NULL,
    amount            numeric(14,2) NOT NULL CHECK (amount > 0),
    reason            text NOT NULL CHECK (reason IN ('returned_check', 'ach_return')),
    return_code       text NOT NULL,
    returned_on       date NOT NULL,
    return_key        text NOT NULL,
    note              text,
    fee               numeric(14,2) CHECK (fee > 0),
    fee_waived_by     text,
    fee_waived_reason text,
    returned_by       text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payment_returns_waiver_ck
        CHECK ((fee_waived_by IS NULL) = (fee_waived_reason IS NULL)
               AND (fee_waived_by IS NULL OR fee IS NULL))
);
CREATE UNIQUE INDEX payment_returns_key_uq ON payment_returns (return_key);
CREATE UNIQUE INDEX payment_returns_payment_uq ON payment_returns (payment_id);
CREATE INDEX payment_returns_account_ix ON payment_returns (account_id, returned_on);
CREATE INDEX payment_returns_returned_on_ix ON payment_returns (returned_on);

-- Payments' own cash-only state of an account (accounts' `cash_only` is kept in the copy and
-- ORed with this); the state itself is derived from the returns and the manual flag. `manual`
-- is a supervisor's last word: 'set' on `manual_on` (until `manual_until`, or until cleared)
-- or 'cleared' (returns on or before `cleared_on` no longer count). `announced` .. `until`
-- are what payments last published in `payments.CashOnlyChanged`.
CREATE TABLE cash_only_accounts (
    account_id    uuid PRIMARY KEY,
    manual        text CHECK (manual IN ('set', 'cleared')),
    manual_on     date,
    manual_until  date,
    manual_reason text,
    manual_by     text,
    cleared_on    date,
    announced     boolean NOT NULL DEFAULT false,
    reason        text CHECK (reason IN ('returns', 'manual')),
    since         date,
    until         date,
    changed_by    text NOT NULL,
    changed_at    timestamptz NOT NULL DEFAULT now()
);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS cash_only_accounts, payment_returns")
