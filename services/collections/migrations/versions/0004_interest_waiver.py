"""SB 998's low-income interest waiver: what each late charge left out as interest.

A late charge's percentages of a past-due amount are interest; a low-income household has it
waived once in the policy's months (12). The charge keeps the waived amount beside the amount
charged, and the household's protections row keeps the day of its last waiver.

Revision ID: collections_0004_waiver
Revises: collections_0003_field
"""
from alembic import op

revision = "collections_0004_waiver"
down_revision = "collections_0003_field"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE late_charges ADD COLUMN waived_interest numeric(14,2) NOT NULL "
               "DEFAULT 0 CHECK (waived_interest >= 0)")


def downgrade() -> None:
    op.execute("ALTER TABLE late_charges DROP COLUMN waived_interest")
