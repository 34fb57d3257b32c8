"""The returned-payment fee: a ledger kind of its own (`returned_payment_fee`), posted when
payments announces a returned check or ACH return with a fee (`payments.PaymentReturned`).

Revision ID: billing_0004
Revises: billing_0003
"""
from alembic import op

revision = "billing_0004"
down_revision = "billing_0003"
branch_labels = None
depends_on = None

KINDS = ("'bill', 'bill_cancel', 'payment', 'payment_reversal', 'adjustment', 'late_charge', "
         "'deposit', 'deposit_applied', 'refund', 'transfer_out', 'transfer_in', 'leak_credit', "
         "'budget_deferral', 'budget_settlement'")


def upgrade() -> None:
    op.execute("ALTER TABLE ledger_entries DROP CONSTRAINT ledger_kind_ck")
    op.execute("ALTER TABLE ledger_entries ADD CONSTRAINT ledger_kind_ck "
               f"CHECK (kind IN ({KINDS}, 'returned_payment_fee'))")


def downgrade() -> None:
    op.execute("ALTER TABLE ledger_entries DROP CONSTRAINT ledger_kind_ck")
    op.execute(f"ALTER TABLE ledger_entries ADD CONSTRAINT ledger_kind_ck CHECK (kind IN ({KINDS}))")
