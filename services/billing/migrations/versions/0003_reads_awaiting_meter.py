"""Reads of a route file for a meter serial billing's copy has not heard of yet: kept until the
meter's `accounts.MeterChanged` arrives, then recorded and judged (docs/events.md,
"Decisions on a copy").

Revision ID: billing_0003
Revises: billing_0002
"""
from alembic import op

revision = "billing_0003"
down_revision = "billing_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
CREATE TABLE reads_awaiting_meter (
    id         uuid PRIMARY KEY,
    serial     text NOT NULL,
    read_on    date NOT NULL,
    value      numeric(14,4) NOT NULL,
    source     text NOT NULL,
    import_id  uuid,
    line_no    integer,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reads_awaiting_meter_uq UNIQUE (serial, read_on, value, source)
);
COMMENT ON TABLE reads_awaiting_meter IS
    'reads for a meter serial the copy does not hold yet; moved into reads when it does';
""")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS reads_awaiting_meter")
