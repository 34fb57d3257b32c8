"""Service requests from the customer portal: start, stop or transfer service, a high-bill
review, contact us. Staff list and work them; the customer sees their status.

Revision ID: accounts_0007_requests
Revises: accounts_0006
"""
from alembic import op

revision = "accounts_0007_requests"
down_revision = "accounts_0006"
branch_labels = None
depends_on = None

DDL = r"""
CREATE TABLE IF NOT EXISTS service_requests (
    id               uuid PRIMARY KEY,
    account_id       uuid NOT NULL REFERENCES accounts (id),
    kind             text NOT NULL CONSTRAINT service_requests_kind_ck CHECK (kind IN
                         ('start', 'stop', 'transfer', 'high_bill_review', 'contact')),
    status           text NOT NULL DEFAULT 'received' CONSTRAINT service_requests_status_ck
                         CHECK (status IN ('received', 'in_progress', 'done', 'declined')),
    preferred_date   date,
    address          jsonb,
    phone            text,
    message          text NOT NULL DEFAULT '',
    bill_id          uuid,
    appeal_id        uuid,
    requested_by     text NOT NULL,
    worked_by        text,
    resolution       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS service_requests_account_ix
    ON service_requests (account_id, created_at DESC);
CREATE INDEX IF NOT EXISTS service_requests_open_ix ON service_requests (created_at)
    WHERE status IN ('received', 'in_progress');
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS service_requests")
