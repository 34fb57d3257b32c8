"""Rebate credits (issue 15, "Conservation"): a ledger kind of its own, `rebate_credit`, posted
once per approved rebate paid as a bill credit (`accounts.RebateApproved`, reference
`rebate:<application id>`).

The kind check is rebuilt from the kinds already allowed (read from the catalogue), so this
migration makes no assumption about which other migration ran before it.

Revision ID: billing_0011_rebates
Revises: billing_0009_reporting
"""
from alembic import op

revision = "billing_0011_rebates"
down_revision = "billing_0009_reporting"
branch_labels = None
depends_on = None

_REBUILD = r"""
DO $$
DECLARE
    kinds text[];
BEGIN
    SELECT array_agg(DISTINCT m[1]) INTO kinds
    FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g') m
    WHERE c.conname = 'ledger_kind_ck' AND c.conrelid = 'ledger_entries'::regclass;
    kinds := array(SELECT DISTINCT k FROM unnest(kinds || %s) k WHERE k <> ALL(%s));
    ALTER TABLE ledger_entries DROP CONSTRAINT ledger_kind_ck;
    EXECUTE format('ALTER TABLE ledger_entries ADD CONSTRAINT ledger_kind_ck '
                   'CHECK (kind = ANY (%%L::text[]))', kinds);
END $$;
"""


def upgrade() -> None:
    op.execute(_REBUILD % ("ARRAY['rebate_credit']", "ARRAY[]::text[]"))


def downgrade() -> None:
    op.execute(_REBUILD % ("ARRAY[]::text[]", "ARRAY['rebate_credit']"))
