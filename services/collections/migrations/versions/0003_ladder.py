"""The delinquency ladder: each bill's steps (reminder, first notice, second notice, shut-off
notice) as taken, cured or held; the late charges assessed at those steps (once per bill and
step, by a deterministic notice id) and their reversals; the daily job's runs.

Revision ID: collections_0003_ladder
Revises: collections_0003_arrange
"""
from alembic import op

revision = "collections_0003_ladder"
down_revision = "collections_0003_arrange"
branch_labels = None
depends_on = None

DDL = r"""
-- One row per bill and step, never two: a step already taken is never taken again, whatever
-- happens to the bill (a cure, a returned payment, a replay, two daily jobs at once).
CREATE TABLE ladder_steps (
    id              uuid PRIMARY KEY,
    account_id      uuid NOT NULL,
    bill_id         uuid NOT NULL,
    step            text NOT NULL CHECK (step IN ('reminder', 'first_notice', 'second_notice',
                                                  'shutoff_notice')),
    taken_on        date NOT NULL,
    status          text NOT NULL DEFAULT 'taken' CHECK (status IN ('taken', 'cured', 'held')),
    amount_past_due numeric(14,2) NOT NULL,
    disconnect_on   date,
    cured_on        date,
    resumed_on      date,
    UNIQUE (bill_id, step),
    CHECK ((step = 'shutoff_notice') = (disconnect_on IS NOT NULL))
);
CREATE INDEX ladder_steps_account_ix ON ladder_steps (account_id);
CREATE INDEX ladder_steps_live_ix ON ladder_steps (account_id) WHERE status <> 'cured';
CREATE INDEX ladder_steps_taken_on_ix ON ladder_steps (taken_on);

-- notice_id = uuid5(bill_id:step): the reference billing posts the charge under.
CREATE TABLE late_charges (
    notice_id   uuid PRIMARY KEY,
    account_id  uuid NOT NULL,
    bill_id     uuid NOT NULL,
    step        text NOT NULL,
    amount      numeric(14,2) NOT NULL CHECK (amount > 0),
    assessed_on date NOT NULL,
    UNIQUE (bill_id, step)
);
CREATE INDEX late_charges_account_ix ON late_charges (account_id);

-- A charge is reversed at most once (billing posts it as `late-reversal:{notice_id}`); a
-- rejected request leaves room for another.
CREATE TABLE late_charge_reversals (
    id             uuid PRIMARY KEY,
    notice_id      uuid NOT NULL REFERENCES late_charges (notice_id),
    account_id     uuid NOT NULL,
    amount         numeric(14,2) NOT NULL CHECK (amount > 0),
    reason         text NOT NULL,
    status         text NOT NULL CHECK (status IN ('pending', 'reversed', 'rejected')),
    requested_by   text NOT NULL,
    requested_role text NOT NULL,
    requested_on   date NOT NULL,
    decided_by     text,
    decided_on     date,
    decision_note  text
);
CREATE UNIQUE INDEX late_charge_reversals_once_ix ON late_charge_reversals (notice_id)
    WHERE status <> 'rejected';
CREATE INDEX late_charge_reversals_pending_ix ON late_charge_reversals (status)
    WHERE status = 'pending';

-- What is past due, kept between runs: every open debit due before `ladder_computed.computed_on`
-- of every past-due account (bills by id), with what the account's credits leave open of it.
-- A run recomputes only the accounts that changed since (`ladder_dirty`: a bill or an entry
-- arrived; or a bill of theirs fell due), so a day costs what changed, not the district.
CREATE TABLE ladder_open (
    account_id  uuid NOT NULL,
    bill_id     uuid,
    due_date    date NOT NULL,
    open_amount numeric(14,2) NOT NULL,
    past_due    numeric(14,2) NOT NULL,
    prior       numeric(14,2) NOT NULL
);
CREATE INDEX ladder_open_account_ix ON ladder_open (account_id);
CREATE INDEX ladder_open_bill_ix ON ladder_open (bill_id);

-- Accounts whose entries changed since the last run (the ladder's handlers mark them with the
-- date the change counts from, `until`: kept until a run on or after that date).
CREATE TABLE ladder_dirty (
    account_id uuid PRIMARY KEY,
    until      date NOT NULL
);

-- The day `ladder_open` was computed for (one row).
CREATE TABLE ladder_computed (
    one         boolean PRIMARY KEY DEFAULT true CHECK (one),
    computed_on date NOT NULL
);

-- The bills that fell due since the last run, found by their due date (the copy's table).
CREATE INDEX ladder_bills_due_ix ON bills (due_date);

-- The daily job: one row per day it has run; a second run that day answers with this one.
CREATE TABLE daily_runs (
    run_on      date PRIMARY KEY,
    run_by      text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    result      jsonb NOT NULL DEFAULT '{}'
);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ladder_bills_due_ix")
    op.execute("DROP TABLE IF EXISTS daily_runs, ladder_computed, ladder_dirty, ladder_open, "
               "late_charge_reversals, late_charges, ladder_steps")
