"""Ledger kinds that collections' events post (issue 10): `reconnection_fee` (a reconnect after
a disconnection for non-payment), `collection_fee` (a fee the policy adds when an account is
referred to the collection agency), `agency_payment` (money the agency collected, a credit) and
`write_off` (a closed account's uncollectable balance written off with a supervisor's approval,
a credit). Late-charge reversals stay `late_charge` entries of the opposite sign that point at
the charge they correct; closed-account balance transfers are `transfer_out` / `transfer_in`.

Revision ID: billing_0005
Revises: billing_0004
"""
from alembic import op

revision = "billing_0005"
down_revision = "billing_0004"
branch_labels = None
depends_on = None

KINDS = ("'bill', 'bill_cancel', 'payment', 'payment_reversal', 'adjustment', 'late_charge', "
         "'deposit', 'deposit_applied', 'refund', 'transfer_out', 'transfer_in', 'leak_credit', "
         "'budget_deferral', 'budget_settlement', 'returned_payment_fee'")
NEW = "'reconnection_fee', 'collection_fee', 'agency_payment', 'write_off'"


def upgrade() -> None:
    op.execute("ALTER TABLE ledger_entries DROP CONSTRAINT ledger_kind_ck")
    op.execute("ALTER TABLE ledger_entries ADD CONSTRAINT ledger_kind_ck "
               f"CHECK (kind IN ({KINDS}, {NEW}))")


def downgrade() -> None:
    op.execute("ALTER TABLE ledger_entries DROP CONSTRAINT ledger_kind_ck")
    op.execute(f"ALTER TABLE ledger_entries ADD CONSTRAINT ledger_kind_ck CHECK (kind IN ({KINDS}))")
