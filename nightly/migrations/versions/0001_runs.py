"""The nightly update's run log: one run per business day, one row per step of it (so a step
never runs twice for a day), and the reports a night kept.

Revision ID: nightly_0001
Revises:
"""
from alembic import op

from kernel.schema import IDEMPOTENCY_DDL

revision = "nightly_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(IDEMPOTENCY_DDL)  # run-now and retry take an Idempotency-Key (TxRoute)
    op.execute(
        """
        CREATE TABLE runs (
            id            uuid PRIMARY KEY,
            day           date NOT NULL UNIQUE,
            status        text NOT NULL DEFAULT 'running'
                          CHECK (status IN ('running', 'succeeded', 'failed')),
            requested_by  text NOT NULL,
            started_at    timestamptz NOT NULL DEFAULT now(),
            finished_at   timestamptz
        );
        CREATE TABLE steps (
            run_id          uuid NOT NULL REFERENCES runs (id),
            step            text NOT NULL,
            position        int NOT NULL,
            status          text NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'running', 'succeeded', 'failed',
                                              'skipped')),
            attempts        int NOT NULL DEFAULT 0,
            started_at      timestamptz,
            finished_at     timestamptz,
            next_attempt_at timestamptz,
            result          jsonb,
            error           text,
            retried_by      text,
            PRIMARY KEY (run_id, step)
        );
        CREATE INDEX steps_due ON steps (next_attempt_at) WHERE status IN ('pending', 'failed');
        CREATE TABLE report_files (
            run_id      uuid NOT NULL REFERENCES runs (id),
            service     text NOT NULL,
            name        text NOT NULL,
            period      text NOT NULL,
            title       text NOT NULL,
            media_type  text NOT NULL,
            content     bytea NOT NULL,
            kept_at     timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (run_id, service, name)
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE report_files; DROP TABLE steps; DROP TABLE runs; "
               "DROP TABLE idempotency_keys")
