"""Payment arrangements (amortised, alternative schedule, deferral) with their instalments;
the CSR II call list's call outcomes and promises to pay, and each premise's billing cycle (to
filter the call list by cycle).

Revision ID: collections_0003_arrange
Revises: collections_0003_closed
"""
from alembic import op

revision = "collections_0003_arrange"
down_revision = "collections_0003_closed"
branch_labels = None
depends_on = None

DDL = r"""
-- An arrangement spreads `total` (the past-due amount, or what staff chose) over instalments.
-- Credits posted from `made_on` pay it, after whatever new debits have come due meanwhile (the
-- current bill stays due as usual); see arrangements/domain.py.
CREATE TABLE arrangements (
    id              uuid PRIMARY KEY,
    account_id      uuid NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('amortised', 'alternative', 'deferral')),
    status          text NOT NULL CHECK (status IN ('active', 'completed', 'broken',
                                                    'cancelled')),
    total           numeric(14,2) NOT NULL CHECK (total > 0),
    made_on         date NOT NULL,
    completed_on    date,
    broken_on       date,
    cancelled_on    date,
    cancel_reason   text,
    created_by      text NOT NULL,
    created_role    text NOT NULL,
    idempotency_key text NOT NULL,
    changed_by      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (created_by, idempotency_key)
);
CREATE INDEX arrangements_account_ix ON arrangements (account_id, made_on);
-- One arrangement in force per account at a time.
CREATE UNIQUE INDEX arrangements_one_active ON arrangements (account_id)
    WHERE status = 'active';

CREATE TABLE arrangement_instalments (
    arrangement_id uuid NOT NULL REFERENCES arrangements (id),
    seq            integer NOT NULL CHECK (seq >= 1),
    due_on         date NOT NULL,
    amount         numeric(14,2) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (arrangement_id, seq)
);

-- A promise to pay `amount` by `promised_on`, taken on a call: it holds the ladder until its
-- date; kept when credits posted from `made_on` cover it by then, broken after.
CREATE TABLE promises (
    id              uuid PRIMARY KEY,
    account_id      uuid NOT NULL,
    promised_on     date NOT NULL,
    amount          numeric(14,2) NOT NULL CHECK (amount > 0),
    status          text NOT NULL CHECK (status IN ('open', 'kept', 'broken', 'cancelled')),
    made_on         date NOT NULL,
    closed_on       date,
    cancel_reason   text,
    created_by      text NOT NULL,
    changed_by      text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX promises_account_ix ON promises (account_id, made_on);
CREATE UNIQUE INDEX promises_one_open ON promises (account_id) WHERE status = 'open';

-- Each call a CSR made from the call list, with its outcome (and the promise it took).
CREATE TABLE call_outcomes (
    id              uuid PRIMARY KEY,
    account_id      uuid NOT NULL,
    outcome         text NOT NULL CHECK (outcome IN ('reached', 'left_message', 'no_answer',
                                                     'wrong_number', 'promise_made',
                                                     'refused')),
    note            text NOT NULL DEFAULT '',
    phone           text,
    promise_id      uuid REFERENCES promises (id),
    called_on       date NOT NULL,
    called_by       text NOT NULL,
    called_role     text NOT NULL,
    idempotency_key text NOT NULL,
    called_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (called_by, idempotency_key)
);
CREATE INDEX call_outcomes_account_ix ON call_outcomes (account_id, called_at DESC);

-- A premise's billing cycle, from accounts.PremiseChanged (the copy's premises do not keep
-- it), so the call list can be worked cycle by cycle.
CREATE TABLE premise_cycles (
    premise_id uuid PRIMARY KEY,
    cycle      text
);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS premise_cycles, call_outcomes, promises, "
               "arrangement_instalments, arrangements")
