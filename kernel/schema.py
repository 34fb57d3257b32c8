"""DDL for the tables every service has: outbox, inbox, idempotency keys and audit trail.

A service's first Alembic migration calls `kernel_tables_up(op)`; the tables land in the service's
own schema (the migration runs with `search_path` set to it). Tables whose comment starts with
`append-only` lose UPDATE, DELETE and TRUNCATE for the service's login role (see bootstrap).
"""

from __future__ import annotations

from typing import Any

#: The answers to writes made with an `Idempotency-Key` (kernel/idempotency.py): every
#: component with `TxRoute` writes has it (the nightly update's too).
IDEMPOTENCY_DDL = """
CREATE TABLE idempotency_keys (
    principal    text NOT NULL,
    key          text NOT NULL,
    fingerprint  text NOT NULL,
    status_code  integer NOT NULL,
    body         bytea NOT NULL,
    content_type text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);
"""

KERNEL_DDL = r"""
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    event_id    uuid NOT NULL UNIQUE,
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    type        text NOT NULL,
    version     integer NOT NULL,
    key         text NOT NULL,
    key_seq     bigint NOT NULL,
    payload     jsonb NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    request_id  text,
    actor       text,
    CONSTRAINT outbox_key_seq_uq UNIQUE (key, key_seq)
);
CREATE INDEX outbox_txid_id_ix ON outbox (txid, id);
COMMENT ON TABLE outbox IS 'append-only: the service''s event log, kept after delivery';

CREATE TABLE outbox_key (
    key      text PRIMARY KEY,
    last_seq bigint NOT NULL
);

CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tapline_outbox', TG_TABLE_SCHEMA);
    RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

CREATE TABLE inbox (
    event_id        uuid PRIMARY KEY,
    position        bigserial NOT NULL,
    source          text NOT NULL,
    type            text NOT NULL,
    version         integer NOT NULL,
    key             text NOT NULL,
    key_seq         bigint NOT NULL,
    payload         jsonb NOT NULL,
    occurred_at     timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    status          text NOT NULL DEFAULT 'pending'
        CONSTRAINT inbox_status_ck CHECK (status IN ('pending', 'applied', 'skipped', 'parked')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    applied_at      timestamptz,
    CONSTRAINT inbox_key_seq_uq UNIQUE (source, key, key_seq)
);
CREATE INDEX inbox_pending_ix ON inbox (position) WHERE status = 'pending';
CREATE INDEX inbox_parked_ix ON inbox (received_at) WHERE status = 'parked';

CREATE TABLE inbox_progress (
    source        text NOT NULL,
    key           text NOT NULL,
    last_seq      bigint NOT NULL DEFAULT 0,
    blocked_until timestamptz,
    PRIMARY KEY (source, key)
);

CREATE FUNCTION inbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tapline_inbox_' || TG_TABLE_SCHEMA, '');
    RETURN NULL;
END $$;
CREATE TRIGGER inbox_notify AFTER INSERT ON inbox
    FOR EACH STATEMENT EXECUTE FUNCTION inbox_notify();

""" + IDEMPOTENCY_DDL + r"""
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    actor_role  text,
    approver    text,
    action      text NOT NULL,
    entity      text NOT NULL,
    entity_id   text NOT NULL,
    before      jsonb,
    after       jsonb,
    reason      text,
    request_id  text
);
CREATE INDEX audit_log_entity_ix ON audit_log (entity, entity_id, at);
COMMENT ON TABLE audit_log IS 'append-only: who changed what, before and after';
"""

#: What the relay needs to copy a subscriber only the types it handles (docs/events.md,
#: "Delivery"): the types the service declares at start-up (`kernel.inbox.declare_types`; the
#: relay may read them, nothing else here), and per inbox row the key's previous sequence
#: number among the events the relay copies this subscriber, which the inbox waits for
#: (NULL on rows copied before: every event of the key was copied, so `key_seq - 1`).
INBOX_FILTER_DDL = r"""
CREATE TABLE inbox_types (
    type        text PRIMARY KEY,
    declared_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE inbox ADD COLUMN prev_seq bigint;
"""

INBOX_FILTER_DROP = """
ALTER TABLE inbox DROP COLUMN prev_seq;
DROP TABLE inbox_types;
"""

KERNEL_DROP = """
DROP TABLE IF EXISTS audit_log, idempotency_keys, inbox_progress, inbox, outbox_key, outbox;
DROP FUNCTION IF EXISTS inbox_notify(), outbox_notify();
"""


def kernel_tables_up(op: Any) -> None:
    op.execute(KERNEL_DDL)


def kernel_tables_down(op: Any) -> None:
    op.execute(KERNEL_DROP)


def inbox_filter_up(op: Any) -> None:
    op.execute(INBOX_FILTER_DDL)


def inbox_filter_down(op: Any) -> None:
    op.execute(INBOX_FILTER_DROP)
