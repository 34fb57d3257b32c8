"""Collections' copy of accounts and billing data: accounts, customers, premises and service
agreements from accounts; bills (with due dates, budget deferrals and cancellations), ledger
entries, billing's announced balances and appeals from billing. Fed only by events, rebuilt by
replay (`POST /api/collections/copy/rebuild`).

Revision ID: collections_0002
Revises: collections_0001
"""
from alembic import op

revision = "collections_0002"
down_revision = "collections_0001"
branch_labels = None
depends_on = None

DDL = r"""
-- ---- from accounts ----------------------------------------------------------------------------
CREATE TABLE customers (
    id       uuid PRIMARY KEY,
    kind     text NOT NULL DEFAULT 'person',
    name     text NOT NULL DEFAULT '',
    language text NOT NULL DEFAULT 'en',
    mailing  jsonb NOT NULL DEFAULT '{}',
    phones   jsonb NOT NULL DEFAULT '[]',
    emails   jsonb NOT NULL DEFAULT '[]'
);

CREATE TABLE accounts (
    id          uuid PRIMARY KEY,
    number      text NOT NULL,
    customer_id uuid,
    status      text NOT NULL,
    language    text,
    mailing     jsonb NOT NULL DEFAULT '{}',
    paperless   boolean NOT NULL DEFAULT false,
    opened_on   date,
    closed_on   date
);
CREATE INDEX accounts_customer_ix ON accounts (customer_id);
CREATE INDEX accounts_number_ix ON accounts (number);

CREATE TABLE premises (
    id               uuid PRIMARY KEY,
    kind             text NOT NULL,
    dwelling_units   integer NOT NULL DEFAULT 1,
    address          jsonb NOT NULL DEFAULT '{}',
    apn              text,
    owner_account_id uuid
);

-- Which premise an account is served at (its service address) and since when.
CREATE TABLE service_agreements (
    id         uuid PRIMARY KEY,
    account_id uuid NOT NULL,
    premise_id uuid NOT NULL,
    service    text NOT NULL,
    status     text NOT NULL,
    start_date date,
    stop_date  date
);
CREATE INDEX service_agreements_account_ix ON service_agreements (account_id);
CREATE INDEX service_agreements_premise_ix ON service_agreements (premise_id);

-- ---- from billing -----------------------------------------------------------------------------
-- A bill as BillIssued announced it. A BillCancelled that arrives before its BillIssued (a
-- replay from a later point) leaves a row with no total yet: it counts once the bill arrives.
CREATE TABLE bills (
    id              uuid PRIMARY KEY,
    account_id      uuid NOT NULL,
    bill_date       date,
    due_date        date,
    total           numeric(14,2),
    budget_deferral numeric(14,2),
    status          text NOT NULL CHECK (status IN ('open', 'cancelled')),
    cancelled_on    date,
    replaces        uuid,
    replaced_by     uuid
);
CREATE INDEX bills_account_ix ON bills (account_id, due_date);

-- Every ledger entry billing announces with LedgerEntryPosted (payments, returns, adjustments,
-- late charges, transfers, deposits applied, refunds, budget settlements), by billing's id.
CREATE TABLE ledger_entries (
    id         uuid PRIMARY KEY,
    account_id uuid NOT NULL,
    kind       text NOT NULL,
    amount     numeric(14,2) NOT NULL,
    posted_on  date NOT NULL,
    reference  text,
    corrects   uuid
);
CREATE INDEX ledger_entries_account_ix ON ledger_entries (account_id, posted_on);

-- The account's balance as billing last announced it (BillIssued, LedgerEntryPosted): a check
-- on the copy, never the source of collections' figures.
CREATE TABLE balances (
    account_id uuid PRIMARY KEY,
    balance    numeric(14,2) NOT NULL,
    as_of      timestamptz NOT NULL
);

CREATE TABLE appeals (
    id         uuid PRIMARY KEY,
    account_id uuid NOT NULL,
    bill_id    uuid,
    status     text NOT NULL,
    opened_on  date,
    decision   text,
    credit     numeric(14,2)
);
CREATE INDEX appeals_account_ix ON appeals (account_id) WHERE status <> 'decided';

-- The receivable as billing's ledger has it, one row per entry: each bill and its budget
-- deferral on the bill date (due on the due date), their reversal when the bill is cancelled,
-- and every announced entry. Aging reads this and nothing else.
CREATE VIEW receivable AS
    SELECT account_id, 'bill' AS kind, total AS amount, bill_date AS posted_on, due_date
    FROM bills WHERE total IS NOT NULL
    UNION ALL
    SELECT account_id, 'budget_deferral', budget_deferral, bill_date, due_date
    FROM bills WHERE total IS NOT NULL AND budget_deferral IS NOT NULL
    UNION ALL
    SELECT account_id, 'bill_cancel', -total, coalesce(cancelled_on, bill_date), NULL
    FROM bills WHERE status = 'cancelled' AND total IS NOT NULL
    UNION ALL
    SELECT account_id, 'budget_deferral', -budget_deferral, coalesce(cancelled_on, bill_date),
           NULL
    FROM bills WHERE status = 'cancelled' AND total IS NOT NULL AND budget_deferral IS NOT NULL
    UNION ALL
    SELECT account_id, kind, amount, posted_on, NULL FROM ledger_entries;
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS receivable")
    op.execute("DROP TABLE IF EXISTS appeals, balances, ledger_entries, bills, "
               "service_agreements, premises, accounts, customers")
