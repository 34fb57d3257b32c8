"""Rebate programmes (issue 15, "Conservation"): applications with their scanned forms,
eligibility, approval within dollar authority, payment as a bill credit (billing posts it from
`accounts.RebateApproved`) or a check request for accounts payable, handed over in batches.

A reporting view, `reporting_v1_rebate_applications`, for the district's own tools.

One live (pending or approved) application per premise and programme: a partial unique index,
so two clerks taking in the same form at once cannot both succeed. A denied one blocks nothing.

Revision ID: accounts_0011_rebates
Revises: accounts_0009_reporting
"""
from alembic import op

revision = "accounts_0011_rebates"
down_revision = "accounts_0009_reporting"
branch_labels = None
depends_on = None

DDL = r"""
CREATE TABLE IF NOT EXISTS rebate_applications (
    id            uuid PRIMARY KEY,
    account_id    uuid NOT NULL REFERENCES accounts (id),
    premise_id    uuid NOT NULL REFERENCES premises (id),
    programme     text NOT NULL,
    units         numeric(12,2) NOT NULL CONSTRAINT rebate_units_ck CHECK (units > 0),
    amount        numeric(14,2) NOT NULL CONSTRAINT rebate_amount_ck CHECK (amount >= 0),
    payment       text NOT NULL CONSTRAINT rebate_payment_ck
                      CHECK (payment IN ('credit', 'check')),
    status        text NOT NULL DEFAULT 'pending' CONSTRAINT rebate_status_ck
                      CHECK (status IN ('pending', 'approved', 'denied')),
    received_on   date NOT NULL,
    installed_on  date,
    note          text,
    requested_by  text NOT NULL,
    decided_by    text,
    decided_on    date,
    reason        text,
    letter_id     uuid,
    form_ids      uuid[] NOT NULL DEFAULT '{}',
    check_batch   uuid,
    check_batched_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT rebate_decided_ck CHECK ((status = 'pending') = (decided_by IS NULL)),
    CONSTRAINT rebate_own_ck CHECK (status <> 'approved' OR decided_by <> requested_by),
    CONSTRAINT rebate_batch_ck CHECK (check_batch IS NULL
                                      OR (status = 'approved' AND payment = 'check'))
);
CREATE UNIQUE INDEX IF NOT EXISTS rebate_one_live_per_premise_ux
    ON rebate_applications (premise_id, programme) WHERE status <> 'denied';
CREATE INDEX IF NOT EXISTS rebate_account_ix ON rebate_applications (account_id, created_at DESC);
CREATE INDEX IF NOT EXISTS rebate_status_ix ON rebate_applications (status, created_at DESC);
CREATE INDEX IF NOT EXISTS rebate_checks_open_ix ON rebate_applications (decided_on)
    WHERE status = 'approved' AND payment = 'check' AND check_batch IS NULL;
"""

#: For the district's own tools (docs/reporting.md, version 1): what was applied for, decided and
#: paid, without notes or scans.
VIEW = (
    "CREATE VIEW reporting_v1_rebate_applications AS SELECT id, account_id, premise_id, "
    "programme, units, amount, payment, status, received_on, installed_on, decided_on, "
    "check_batch, created_at FROM rebate_applications"
)


def upgrade() -> None:
    op.execute(DDL)
    op.execute(VIEW)
    op.execute("COMMENT ON VIEW reporting_v1_rebate_applications IS "
               "'reporting v1: see docs/reporting.md'")


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS reporting_v1_rebate_applications")
    op.execute("DROP TABLE IF EXISTS rebate_applications")
