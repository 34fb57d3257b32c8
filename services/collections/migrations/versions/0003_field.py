"""Field work of collections (issue 10): the SB 998 protections of a household (medical
certification, financial inability, willingness to arrange, low-income status, a customer
reached by phone), and collections' field orders (door tags, disconnects for non-payment,
reconnects) with their approval, guardrail checks, completion and reconnection fee.

No foreign key to another helper's table: the 0003 migrations of the second wave are re-chained
at the merge and assume no order among themselves.

Revision ID: collections_0003_field
Revises: collections_0003_ladder
"""
from alembic import op

revision = "collections_0003_field"
down_revision = "collections_0003_ladder"
branch_labels = None
depends_on = None

DDL = r"""
-- One row per account: the facts SB 998 protects a household by, each with its dates and who
-- recorded it (a fact withdrawn is set back to null; the audit log keeps the history).
CREATE TABLE protections (
    account_id            uuid PRIMARY KEY,
    medical_certified_on  date,
    medical_expires_on    date,
    medical_certifier     text,
    medical_recorded_by   text,
    financial_basis       text CHECK (financial_basis IN (
                              'calworks', 'calfresh', 'general_assistance', 'medi_cal',
                              'ssi_ssp', 'wic', 'income_below_200_fpl')),
    financial_on          date,
    financial_recorded_by text,
    willing_on            date,
    willing_recorded_by   text,
    low_income_basis      text,
    low_income_on         date,
    low_income_until      date,
    low_income_recorded_by text,
    interest_waived_on    date,
    reached_on            date,
    reached_how           text CHECK (reached_how IN ('phone', 'in_person', 'email')),
    reached_recorded_by   text,
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CHECK (medical_expires_on IS NULL OR medical_certified_on IS NULL
           OR medical_expires_on >= medical_certified_on),
    CHECK (low_income_until IS NULL OR low_income_on IS NULL OR low_income_until >= low_income_on)
);

-- Door tags, disconnects for non-payment and reconnects. A released order is sent to accounts
-- (`collections.ServiceOrderRequested`, reference `collections:{id}`), which answers with its
-- own order's events. `step_id` is the ladder's shut-off step the order follows.
CREATE TABLE field_orders (
    id                uuid PRIMARY KEY,
    account_id        uuid NOT NULL,
    premise_id        uuid,
    kind              text NOT NULL CHECK (kind IN ('door_tag', 'disconnect', 'reconnect')),
    status            text NOT NULL CHECK (status IN (
                          'awaiting_approval', 'created', 'released', 'completed', 'cancelled')),
    scheduled_on      date NOT NULL,
    disconnect_on     date,
    step_id           uuid,
    reconnects        uuid,
    created_on        date NOT NULL,
    requested_by      text NOT NULL,
    approved_by       text,
    released_on       date,
    accounts_order_id uuid,
    completed_at      timestamptz,
    completed_on      date,
    completed_by      text,
    cancelled_on      date,
    cancel_reason     text,
    after_hours       boolean NOT NULL DEFAULT false,
    low_income        boolean,
    fee               numeric(14,2),
    notes             text,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX field_orders_account_ix ON field_orders (account_id, kind, status);
CREATE INDEX field_orders_completed_ix ON field_orders (kind, completed_on)
    WHERE status = 'completed';
-- One door tag per shut-off step; one open disconnect and one open reconnect per account.
CREATE UNIQUE INDEX field_orders_door_tag_step_ux ON field_orders (step_id)
    WHERE kind = 'door_tag' AND status <> 'cancelled';
CREATE UNIQUE INDEX field_orders_open_ux ON field_orders (account_id, kind)
    WHERE kind IN ('disconnect', 'reconnect') AND status IN ('created', 'released');
-- A disconnect is reconnected once.
CREATE UNIQUE INDEX field_orders_reconnects_ux ON field_orders (reconnects)
    WHERE reconnects IS NOT NULL AND status <> 'cancelled';
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS field_orders, protections")
