"""Billing core: accounts copy, reads, rates, bill runs and bills, ledger, adjustments, appeals.

Revision ID: billing_0002
Revises: billing_0001
"""
from alembic import op

revision = "billing_0002"
down_revision = "billing_0001"
branch_labels = None
depends_on = None

DDL = r"""
-- ---- copy of accounts data (fed by accounts events) -----------------------------------------
CREATE TABLE accounts (
    id          uuid PRIMARY KEY,
    number      text NOT NULL,
    customer_id uuid,
    name        text NOT NULL DEFAULT '',
    status      text NOT NULL,
    mailing     jsonb NOT NULL DEFAULT '{}'::jsonb,
    language    text NOT NULL DEFAULT 'en',
    paperless   boolean NOT NULL DEFAULT false
);
CREATE INDEX accounts_customer_ix ON accounts (customer_id);

CREATE TABLE customers (
    id        uuid PRIMARY KEY,
    name      text NOT NULL,
    emails    jsonb NOT NULL DEFAULT '[]'::jsonb,
    paperless boolean NOT NULL DEFAULT false
);

CREATE TABLE premises (
    id             uuid PRIMARY KEY,
    kind           text NOT NULL,
    dwelling_units integer NOT NULL DEFAULT 1,
    cycle          text NOT NULL,
    route          text NOT NULL DEFAULT '',
    address        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX premises_cycle_ix ON premises (cycle, route);

CREATE TABLE meters (
    id           uuid PRIMARY KEY,
    serial       text NOT NULL,
    size         text NOT NULL,
    dials        integer NOT NULL,
    multiplier   numeric(12,4) NOT NULL DEFAULT 1,
    unit         text NOT NULL DEFAULT 'HCF',
    endpoint_id  text,
    status       text NOT NULL,
    premise_id   uuid,
    installed_at date,
    install_read numeric(14,4)
);
CREATE INDEX meters_premise_ix ON meters (premise_id);
CREATE UNIQUE INDEX meters_serial_ix ON meters (serial);

CREATE TABLE service_agreements (
    id         uuid PRIMARY KEY,
    account_id uuid NOT NULL,
    premise_id uuid NOT NULL,
    service    text NOT NULL,
    rate_class text NOT NULL,
    meter_id   uuid,
    start_date date NOT NULL,
    stop_date  date,
    status     text NOT NULL
);
CREATE INDEX sa_account_ix ON service_agreements (account_id);
CREATE INDEX sa_premise_ix ON service_agreements (premise_id);

CREATE TABLE config (
    key   text PRIMARY KEY,
    value jsonb NOT NULL
);

-- ---- reads ----------------------------------------------------------------------------------
CREATE TABLE read_imports (
    id          uuid PRIMARY KEY,
    kind        text NOT NULL,
    sha256      text NOT NULL UNIQUE,
    filename    text NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now(),
    imported_by text NOT NULL,
    accepted    integer NOT NULL,
    rejected    integer NOT NULL,
    errors      jsonb NOT NULL DEFAULT '[]'::jsonb
);

CREATE TABLE reads (
    id         uuid PRIMARY KEY,
    meter_id   uuid NOT NULL,
    read_on    date NOT NULL,
    value      numeric(14,4) NOT NULL,
    usage      numeric(14,4),
    days       integer,
    source     text NOT NULL,
    kind       text NOT NULL CONSTRAINT reads_kind_ck CHECK (kind IN ('actual', 'estimated')),
    status     text NOT NULL
        CONSTRAINT reads_status_ck CHECK (status IN ('valid', 'pending', 'rejected')),
    import_id  uuid,
    line_no    integer,
    replaces   uuid,
    reason     text,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reads_natural_uq UNIQUE (meter_id, read_on, value, source)
);
CREATE INDEX reads_meter_ix ON reads (meter_id, read_on);
CREATE INDEX reads_read_on_ix ON reads (read_on);

CREATE TABLE read_exceptions (
    id          uuid PRIMARY KEY,
    read_id     uuid,
    meter_id    uuid NOT NULL,
    code        text NOT NULL,
    detail      text NOT NULL,
    status      text NOT NULL DEFAULT 'open'
        CONSTRAINT read_exceptions_status_ck CHECK (status IN ('open', 'reread_ordered',
                                                              'resolved')),
    resolution  text,
    reason      text,
    resolved_by text,
    resolved_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX read_exceptions_open_ix ON read_exceptions (status, meter_id);

CREATE TABLE ami_days (
    meter_id uuid NOT NULL,
    day      date NOT NULL,
    hourly   numeric(12,3)[] NOT NULL,
    total    numeric(14,3) NOT NULL,
    PRIMARY KEY (meter_id, day)
);

-- ---- rates ----------------------------------------------------------------------------------
CREATE TABLE rate_versions (
    id             uuid PRIMARY KEY,
    name           text NOT NULL,
    effective_date date NOT NULL UNIQUE,
    drought_stage  integer NOT NULL DEFAULT 0,
    created_by     text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rate_fixed (
    version_id uuid NOT NULL REFERENCES rate_versions (id),
    service    text NOT NULL,
    meter_size text NOT NULL,
    amount     numeric(12,6) NOT NULL,
    PRIMARY KEY (version_id, service, meter_size)
);

CREATE TABLE rate_classes (
    version_id      uuid NOT NULL REFERENCES rate_versions (id),
    service         text NOT NULL,
    rate_class      text NOT NULL,
    basis           text NOT NULL CONSTRAINT rate_classes_basis_ck
        CHECK (basis IN ('metered', 'winter_average', 'fixed_only')),
    cap             numeric(14,4),
    minimum_charge  numeric(12,2),
    widths_per_unit boolean NOT NULL DEFAULT false,
    PRIMARY KEY (version_id, service, rate_class)
);

CREATE TABLE rate_blocks (
    version_id     uuid NOT NULL REFERENCES rate_versions (id),
    service        text NOT NULL,
    rate_class     text NOT NULL,
    tier           integer NOT NULL,
    lower          numeric(14,4) NOT NULL,
    width          numeric(14,4),
    price          numeric(12,6) NOT NULL,
    PRIMARY KEY (version_id, service, rate_class, tier)
);

CREATE TABLE rate_surcharges (
    version_id uuid NOT NULL REFERENCES rate_versions (id),
    service    text NOT NULL,
    stage      integer NOT NULL,
    price      numeric(12,6) NOT NULL,
    PRIMARY KEY (version_id, service, stage)
);

CREATE TABLE rate_fees (
    version_id uuid NOT NULL REFERENCES rate_versions (id),
    service    text NOT NULL,
    name       text NOT NULL,
    amount     numeric(12,6) NOT NULL,
    PRIMARY KEY (version_id, service, name)
);

CREATE TABLE winter_averages (
    premise_id   uuid PRIMARY KEY,
    per_day      numeric(14,6) NOT NULL,
    winter_start date NOT NULL,
    winter_end   date NOT NULL
);

-- ---- bill runs and bills ---------------------------------------------------------------------
CREATE TABLE bill_runs (
    id           uuid PRIMARY KEY,
    cycle        text NOT NULL,
    period_start date NOT NULL,
    period_end   date NOT NULL,
    bill_date    date NOT NULL,
    due_date     date NOT NULL,
    status       text NOT NULL CONSTRAINT bill_runs_status_ck
        CHECK (status IN ('preview', 'prepared', 'approved', 'finalised', 'discarded')),
    kind         text NOT NULL DEFAULT 'cycle'
        CONSTRAINT bill_runs_kind_ck CHECK (kind IN ('cycle', 'closing', 'rebill', 'account')),
    account_id   uuid,
    replaces_bill uuid,
    reference    text UNIQUE,
    created_by   text NOT NULL,
    prepared_by  text,
    approved_by  text,
    finalised_by text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finalised_at timestamptz,
    CONSTRAINT bill_runs_period_ck CHECK (period_end >= period_start)
);
CREATE UNIQUE INDEX bill_runs_live_uq ON bill_runs (cycle, period_start, period_end)
    WHERE status <> 'discarded' AND kind = 'cycle';

CREATE TABLE bills (
    id           uuid PRIMARY KEY,
    run_id       uuid NOT NULL,
    account_id   uuid NOT NULL,
    period_start date NOT NULL,
    period_end   date NOT NULL,
    bill_date    date,
    due_date     date,
    status       text NOT NULL CONSTRAINT bills_status_ck
        CHECK (status IN ('draft', 'final', 'cancelled', 'discarded')),
    total        numeric(14,2) NOT NULL DEFAULT 0,
    flags        text[] NOT NULL DEFAULT '{}',
    segments     jsonb NOT NULL DEFAULT '[]'::jsonb,
    replaces     uuid REFERENCES bills (id),
    replaced_by  uuid REFERENCES bills (id),
    cancel_reason text,
    messages     text[] NOT NULL DEFAULT '{}'
) WITH (fillfactor = 60);  -- room for the in-page (HOT) update that finalises a bill
CREATE INDEX bills_run_ix ON bills (run_id);
CREATE INDEX bills_account_ix ON bills (account_id, period_end);

CREATE TABLE bill_lines (
    bill_id         uuid NOT NULL,  -- no FK: lines are written before their bill (one statement)
    sa_id           uuid NOT NULL,
    service         text NOT NULL,
    rate_class      text NOT NULL,
    kind            text NOT NULL,
    description     text NOT NULL,
    seg_start       date NOT NULL,
    seg_end         date NOT NULL,
    quantity        numeric(14,4) NOT NULL,
    unit_price      numeric(12,6) NOT NULL,
    tier            integer,
    rate_version_id uuid,
    amount          numeric(14,2) NOT NULL
);
CREATE INDEX bill_lines_bill_ix ON bill_lines (bill_id);

-- ---- ledger ---------------------------------------------------------------------------------
CREATE TABLE ledger_entries (
    id         uuid PRIMARY KEY,
    seq        bigserial NOT NULL UNIQUE,
    account_id uuid NOT NULL,
    kind       text NOT NULL CONSTRAINT ledger_kind_ck CHECK (kind IN ('bill', 'bill_cancel',
        'payment', 'payment_reversal', 'adjustment', 'late_charge', 'deposit', 'deposit_applied',
        'refund', 'transfer_out', 'transfer_in', 'leak_credit', 'budget_deferral',
        'budget_settlement')),
    amount     numeric(14,2) NOT NULL,
    posted_on  date NOT NULL,
    due_date   date,
    reference  text,
    corrects   uuid REFERENCES ledger_entries (id),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_account_ix ON ledger_entries (account_id, posted_on, seq);
CREATE UNIQUE INDEX ledger_reference_uq ON ledger_entries (kind, reference)
    WHERE reference IS NOT NULL;
COMMENT ON TABLE ledger_entries IS 'append-only: receivable entries; corrections are new entries';

CREATE TABLE budget_plans (
    account_id     uuid PRIMARY KEY,
    monthly_amount numeric(14,2) NOT NULL CONSTRAINT budget_amount_ck CHECK (monthly_amount > 0),
    enrolled_on    date NOT NULL,
    status         text NOT NULL CONSTRAINT budget_status_ck CHECK (status IN ('active', 'ended')),
    enrolled_by    text NOT NULL
);

CREATE TABLE adjustments (
    id          uuid PRIMARY KEY,
    account_id  uuid NOT NULL,
    amount      numeric(14,2) NOT NULL,
    reason_code text NOT NULL,
    reason      text NOT NULL,
    status      text NOT NULL CONSTRAINT adjustments_status_ck
        CHECK (status IN ('pending', 'posted', 'rejected')),
    requested_by   text NOT NULL,
    requested_role text NOT NULL,
    approved_by text,
    entry_id    uuid,
    source      text NOT NULL DEFAULT 'manual',
    created_at  timestamptz NOT NULL DEFAULT now(),
    decided_at  timestamptz
);

CREATE TABLE appeals (
    id          uuid PRIMARY KEY,
    account_id  uuid NOT NULL,
    bill_id     uuid NOT NULL REFERENCES bills (id),
    status      text NOT NULL CONSTRAINT appeals_status_ck
        CHECK (status IN ('open', 'investigating', 'decided')),
    complaint   text NOT NULL,
    opened_by   text NOT NULL,
    opened_on   date NOT NULL,
    decision    text,
    credit      numeric(14,2),
    adjustment_id uuid,
    letter      text,
    decided_by  text,
    decided_on  date
);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute(
        "DROP TABLE IF EXISTS appeals, adjustments, budget_plans, ledger_entries, bill_lines, bills, bill_runs, "
        "winter_averages, rate_fees, rate_surcharges, rate_blocks, rate_classes, rate_fixed, "
        "rate_versions, ami_days, read_exceptions, reads, read_imports, config, "
        "service_agreements, meters, premises, customers, accounts"
    )
