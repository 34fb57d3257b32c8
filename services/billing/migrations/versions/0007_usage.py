"""Usage for customers: leak alerts found in AMI intervals (one row per account, meter, kind and
episode, announced as `billing.LeakSuspected`) and each account's alert preferences.

Revision ID: billing_0007_usage
Revises: billing_0006
"""
from alembic import op

revision = "billing_0007_usage"
down_revision = "billing_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
CREATE TABLE leak_alerts (
    id           uuid PRIMARY KEY,
    account_id   uuid NOT NULL,
    meter_id     uuid NOT NULL,
    kind         text NOT NULL CONSTRAINT leak_alerts_kind_ck
        CHECK (kind IN ('continuous', 'burst')),
    first_hour   timestamptz NOT NULL,
    last_hour    timestamptz NOT NULL,
    hours        jsonb NOT NULL,
    peak_gph     numeric(14,3) NOT NULL,
    threshold_gph numeric(14,3) NOT NULL,
    min_hours    integer NOT NULL,
    detected_on  date NOT NULL,
    last_seen_on date NOT NULL,
    status       text NOT NULL DEFAULT 'open' CONSTRAINT leak_alerts_status_ck
        CHECK (status IN ('open', 'ended')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT leak_alerts_episode_uq UNIQUE (account_id, meter_id, kind, first_hour)
);
CREATE INDEX leak_alerts_account_ix ON leak_alerts (account_id, detected_on DESC);
CREATE INDEX leak_alerts_open_ix ON leak_alerts (meter_id, kind) WHERE status = 'open';
COMMENT ON TABLE leak_alerts IS
    'One suspected leak episode: the hours of AMI data over the threshold that triggered it '
    '(hours: [{at, gallons}]); extended while the flow continues, ended when it stops.';

-- the nightly leak detection starts from the meters with data on one day
CREATE INDEX ami_days_day_ix ON ami_days (day);

CREATE TABLE usage_alert_prefs (
    account_id uuid PRIMARY KEY,
    email      boolean NOT NULL DEFAULT true,
    text       boolean NOT NULL DEFAULT false,
    continuous boolean NOT NULL DEFAULT true,
    burst      boolean NOT NULL DEFAULT true,
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
""")


def downgrade() -> None:
    op.execute("DROP TABLE usage_alert_prefs, leak_alerts; DROP INDEX ami_days_day_ix")
