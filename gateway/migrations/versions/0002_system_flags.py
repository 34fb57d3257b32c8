"""System flags (e.g. demo data loaded), so one-time setup steps run once per database.

Revision ID: gateway_0002
Revises: gateway_0001
"""
from alembic import op

revision = "gateway_0002"
down_revision = "gateway_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TABLE system_flags (name text PRIMARY KEY, set_at timestamptz NOT NULL "
        "DEFAULT now())"
    )


def downgrade() -> None:
    op.execute("DROP TABLE system_flags")
