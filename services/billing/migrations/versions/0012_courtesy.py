"""High-usage courtesy calls: one row per call made about a read flagged high (issue 15).

The worklist itself is derived (reads with a `high` exception); only the calls are stored.
No order is assumed against the other 0011 migrations of this wave.

Revision ID: billing_0011_courtesy
Revises: billing_0011_rebates
"""
from alembic import op

revision = "billing_0011_courtesy"
down_revision = "billing_0011_rebates"
branch_labels = None
depends_on = None

DDL = r"""
CREATE TABLE courtesy_calls (
    id                   uuid PRIMARY KEY,
    read_id              uuid NOT NULL,
    account_id           uuid NOT NULL,
    outcome              text NOT NULL CONSTRAINT courtesy_calls_outcome_ck CHECK (outcome IN (
        'spoke_with_customer', 'left_message', 'no_answer', 'wrong_number',
        'leak_check_ordered')),
    note                 text,
    service_order_id     uuid,
    service_order_number integer,
    called_by            text NOT NULL,
    called_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT courtesy_calls_order_ck CHECK (
        (outcome = 'leak_check_ordered') = (service_order_id IS NOT NULL))
);
CREATE INDEX courtesy_calls_read_ix ON courtesy_calls (read_id, called_at DESC);
CREATE INDEX courtesy_calls_account_ix ON courtesy_calls (account_id, called_at DESC);
CREATE INDEX read_exceptions_high_ix ON read_exceptions (read_id) WHERE code = 'high';
COMMENT ON TABLE courtesy_calls IS
    'A call to a customer about a read flagged high (who, when, outcome, note); a leak check '
    'ordered from the call names the accounts service order.';
-- reporting v1 (docs/reporting.md): the calls without their free-text note
CREATE VIEW reporting_v1_courtesy_calls AS
    SELECT id, read_id, account_id, outcome, service_order_id, service_order_number, called_by,
           called_at FROM courtesy_calls;
COMMENT ON VIEW reporting_v1_courtesy_calls IS 'reporting v1: see docs/reporting.md';
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP VIEW reporting_v1_courtesy_calls; DROP INDEX read_exceptions_high_ix; "
               "DROP TABLE courtesy_calls")
