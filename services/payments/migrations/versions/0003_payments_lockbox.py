"""Lockbox imports and the suspense queue; payments learn the lockbox channel.

Revision ID: payments_0003
Revises: payments_0002
"""
from alembic import op

revision = "payments_0003"
down_revision = "payments_0002"
branch_labels = None
depends_on = None

DDL = r"""
-- A lockbox payment belongs to no drawer and no batch; its line key is unique on its own
-- (whoever imported it), so a re-sent file never posts a check twice, even racing.
ALTER TABLE payments DROP CONSTRAINT payments_channel_check;
ALTER TABLE payments ADD CONSTRAINT payments_channel_check
    CHECK (channel IN ('counter', 'mail', 'lockbox'));
CREATE UNIQUE INDEX payments_lockbox_key_uq ON payments (idempotency_key)
    WHERE channel = 'lockbox';

-- One row per imported bank file; the file itself is not kept (docs/lockbox.md), only the
-- three identities that recognise it again.
CREATE TABLE lockbox_imports (
    id             uuid PRIMARY KEY,
    content_hash   text NOT NULL UNIQUE,
    fingerprint    text NOT NULL UNIQUE,
    bank_key       text UNIQUE,
    layout         text NOT NULL CHECK (layout IN ('fixed', 'csv')),
    origin         text NOT NULL,
    file_id        text NOT NULL,
    created        date NOT NULL,
    line_count     integer NOT NULL,
    total          numeric(14,2) NOT NULL,
    posted_count   integer NOT NULL,
    posted_total   numeric(14,2) NOT NULL,
    suspense_count integer NOT NULL,
    suspense_total numeric(14,2) NOT NULL,
    imported_by    text NOT NULL,
    imported_at    timestamptz NOT NULL DEFAULT now()
);

-- Deposited checks we could not apply; staff resolve each to an account or return it.
CREATE TABLE lockbox_suspense (
    id              uuid PRIMARY KEY,
    import_id       uuid NOT NULL REFERENCES lockbox_imports (id),
    line_key        text NOT NULL UNIQUE,
    line_no         integer NOT NULL,
    batch           integer NOT NULL,
    item            integer NOT NULL,
    deposit_date    date NOT NULL,
    reason          text NOT NULL,
    amount          numeric(16,4) NOT NULL,
    account_as_read text NOT NULL,
    check_number    text NOT NULL,
    routing         text,
    last4           text,
    remitter_key    text,
    status          text NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'resolved', 'returned')),
    payment_id      uuid,
    resolved_by     text,
    resolved_at     timestamptz,
    note            text,
    CHECK ((status = 'open') = (resolved_by IS NULL))
);
CREATE INDEX lockbox_suspense_open_ix ON lockbox_suspense (import_id) WHERE status = 'open';
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS lockbox_suspense, lockbox_imports")
    op.execute("DROP INDEX IF EXISTS payments_lockbox_key_uq")
    op.execute("ALTER TABLE payments DROP CONSTRAINT payments_channel_check")
    op.execute("ALTER TABLE payments ADD CONSTRAINT payments_channel_check "
               "CHECK (channel IN ('counter', 'mail'))")
