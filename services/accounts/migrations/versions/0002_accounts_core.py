"""Customers, accounts, premises, meters, backflow, service agreements, service orders, deposits,
contact log, documents and the denormalised search table.

Revision ID: accounts_0002
Revises: accounts_0001
"""
from alembic import op

revision = "accounts_0002"
down_revision = "accounts_0001"
branch_labels = None
depends_on = None

DDL = r"""
CREATE SEQUENCE account_number_seq START WITH 10000001 MAXVALUE 99999999;

CREATE TABLE customers (
    id             uuid PRIMARY KEY,
    kind           text NOT NULL CONSTRAINT customers_kind_ck
                       CHECK (kind IN ('person', 'organisation')),
    name           text NOT NULL,
    mailing_address jsonb NOT NULL,
    phones         text[] NOT NULL DEFAULT '{}',
    emails         text[] NOT NULL DEFAULT '{}',
    language       text NOT NULL DEFAULT 'en',
    paperless      boolean NOT NULL DEFAULT false,
    text_messages  boolean NOT NULL DEFAULT false,
    id_kind        text,
    id_last4       text CONSTRAINT customers_id_last4_ck CHECK (id_last4 ~ '^[0-9A-Za-z]{4}$'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
    id               uuid PRIMARY KEY,
    number           text NOT NULL CONSTRAINT accounts_number_uq UNIQUE,
    customer_id      uuid NOT NULL REFERENCES customers (id),
    status           text NOT NULL DEFAULT 'active' CONSTRAINT accounts_status_ck
                         CHECK (status IN ('active', 'closed', 'pending')),
    mailing_address  jsonb,
    language         text,
    paperless        boolean,
    deposit_held     numeric(14,2) NOT NULL DEFAULT 0 CONSTRAINT accounts_deposit_ck
                         CHECK (deposit_held >= 0),
    deposit_held_since date,
    opened_on        date NOT NULL,
    closed_on        date,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_customer_ix ON accounts (customer_id);

CREATE TABLE premises (
    id              uuid PRIMARY KEY,
    address         jsonb NOT NULL,
    apn             text,
    kind            text NOT NULL CONSTRAINT premises_kind_ck CHECK (kind IN
                        ('single_family', 'multi_family', 'commercial', 'irrigation', 'fire')),
    dwelling_units  integer NOT NULL DEFAULT 1 CONSTRAINT premises_units_ck
                        CHECK (dwelling_units >= 1),
    cycle           text NOT NULL,
    route           text NOT NULL,
    latitude        numeric(9,6),
    longitude       numeric(9,6),
    location_note   text,
    owner_account_id uuid REFERENCES accounts (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX premises_apn_ix ON premises (apn);
CREATE INDEX premises_route_ix ON premises (cycle, route);

CREATE TABLE meter_sizes (
    size text PRIMARY KEY,
    sort integer NOT NULL
);
INSERT INTO meter_sizes (size, sort) VALUES
    ('5/8', 1), ('3/4', 2), ('1', 3), ('1-1/2', 4), ('2', 5), ('3', 6), ('4', 7), ('6', 8),
    ('8', 9), ('10', 10);

CREATE TABLE meters (
    id            uuid PRIMARY KEY,
    serial        text NOT NULL CONSTRAINT meters_serial_uq UNIQUE,
    size          text NOT NULL REFERENCES meter_sizes (size),
    kind          text NOT NULL DEFAULT 'positive_displacement',
    dials         integer NOT NULL CONSTRAINT meters_dials_ck CHECK (dials BETWEEN 3 AND 10),
    multiplier    numeric(12,4) NOT NULL DEFAULT 1 CONSTRAINT meters_multiplier_ck
                      CHECK (multiplier > 0),
    unit          text NOT NULL CONSTRAINT meters_unit_ck CHECK (unit IN ('HCF', 'GAL')),
    endpoint_id   text,
    status        text NOT NULL DEFAULT 'in_stock' CONSTRAINT meters_status_ck
                      CHECK (status IN ('in_stock', 'installed', 'removed', 'retired')),
    premise_id    uuid REFERENCES premises (id),
    installed_at  date,
    install_read  numeric(14,3),
    removed_at    date,
    removal_read  numeric(14,3),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT meters_installed_has_premise_ck
        CHECK (status <> 'installed' OR premise_id IS NOT NULL)
);
CREATE INDEX meters_premise_ix ON meters (premise_id) WHERE status = 'installed';

CREATE TABLE meter_history (
    id          bigserial PRIMARY KEY,
    meter_id    uuid NOT NULL REFERENCES meters (id),
    premise_id  uuid REFERENCES premises (id),
    action      text NOT NULL CONSTRAINT meter_history_action_ck
                    CHECK (action IN ('received', 'installed', 'removed', 'exchanged_out',
                                      'exchanged_in', 'retired')),
    on_date     date NOT NULL,
    read_value  numeric(14,3),
    note        text,
    actor       text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meter_history_meter_ix ON meter_history (meter_id, id);
COMMENT ON TABLE meter_history IS 'append-only: every install, removal and exchange of a meter';

CREATE TABLE backflow_devices (
    id             uuid PRIMARY KEY,
    premise_id     uuid NOT NULL REFERENCES premises (id),
    kind           text NOT NULL CONSTRAINT backflow_kind_ck
                       CHECK (kind IN ('RP', 'DC', 'DCDA', 'RPDA', 'PVB', 'SVB', 'AG')),
    serial         text NOT NULL,
    size           text,
    location       text,
    installed_on   date,
    next_test_due  date NOT NULL,
    last_tested_on date,
    last_result    text,
    status         text NOT NULL DEFAULT 'active' CONSTRAINT backflow_status_ck
                       CHECK (status IN ('active', 'removed')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT backflow_serial_uq UNIQUE (serial)
);
CREATE INDEX backflow_due_ix ON backflow_devices (next_test_due) WHERE status = 'active';

CREATE TABLE backflow_tests (
    id          bigserial PRIMARY KEY,
    device_id   uuid NOT NULL REFERENCES backflow_devices (id),
    tested_on   date NOT NULL,
    result      text NOT NULL CONSTRAINT backflow_tests_result_ck
                    CHECK (result IN ('pass', 'fail')),
    tester      text NOT NULL,
    certificate text,
    notes       text,
    actor       text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE backflow_tests IS 'append-only: annual test results of backflow devices';

CREATE TABLE service_agreements (
    id          uuid PRIMARY KEY,
    account_id  uuid NOT NULL REFERENCES accounts (id),
    premise_id  uuid NOT NULL REFERENCES premises (id),
    service     text NOT NULL CONSTRAINT sa_service_ck CHECK (service IN
                    ('water', 'wastewater', 'irrigation', 'fire_line', 'recycled')),
    rate_class  text NOT NULL,
    meter_id    uuid REFERENCES meters (id),
    start_date  date NOT NULL,
    stop_date   date,
    status      text NOT NULL DEFAULT 'active' CONSTRAINT sa_status_ck
                    CHECK (status IN ('active', 'stopped', 'pending')),
    owner_reversion boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sa_dates_ck CHECK (stop_date IS NULL OR stop_date >= start_date),
    CONSTRAINT sa_no_overlap_ex EXCLUDE USING gist (
        premise_id WITH =, service WITH =, daterange(start_date, stop_date, '[)') WITH &&)
);
CREATE UNIQUE INDEX sa_one_active_uq ON service_agreements (premise_id, service)
    WHERE status = 'active';
CREATE INDEX sa_account_ix ON service_agreements (account_id);

CREATE SEQUENCE service_order_number_seq START WITH 100001;
CREATE TABLE service_orders (
    id             uuid PRIMARY KEY,
    number         bigint NOT NULL DEFAULT nextval('service_order_number_seq'),
    kind           text NOT NULL CONSTRAINT so_kind_ck CHECK (kind IN
                       ('turn_on', 'turn_off', 're_read', 'leak_check',
                        'high_bill_investigation', 'meter_exchange', 'door_tag',
                        'disconnect_nonpayment', 'reconnect', 'backflow_test')),
    status         text NOT NULL DEFAULT 'open' CONSTRAINT so_status_ck
                       CHECK (status IN ('open', 'dispatched', 'completed', 'cancelled')),
    account_id     uuid REFERENCES accounts (id),
    premise_id     uuid NOT NULL REFERENCES premises (id),
    meter_id       uuid REFERENCES meters (id),
    scheduled_date date NOT NULL,
    technician     text,
    dispatched_at  timestamptz,
    completed_at   timestamptz,
    read_value     numeric(14,3),
    read_at        timestamptz,
    notes          text,
    reason         text,
    reference      text,
    final_for_sa_ids uuid[] NOT NULL DEFAULT '{}',
    stop_date      date,
    created_by     text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX so_worklist_ix ON service_orders (scheduled_date, premise_id)
    WHERE status IN ('open', 'dispatched');
CREATE INDEX so_account_ix ON service_orders (account_id);
CREATE UNIQUE INDEX so_reference_uq ON service_orders (reference) WHERE reference IS NOT NULL;

CREATE TABLE deposit_marks (
    id          bigserial PRIMARY KEY,
    account_id  uuid NOT NULL,
    kind        text NOT NULL CONSTRAINT deposit_marks_kind_ck
                    CHECK (kind IN ('payment_returned', 'late_charge')),
    on_date     date NOT NULL,
    event_id    uuid NOT NULL CONSTRAINT deposit_marks_event_uq UNIQUE,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deposit_marks_account_ix ON deposit_marks (account_id, on_date);
COMMENT ON TABLE deposit_marks IS 'append-only: marks against good payment history';

CREATE TABLE deposit_transactions (
    id          bigserial PRIMARY KEY,
    account_id  uuid NOT NULL REFERENCES accounts (id),
    kind        text NOT NULL CONSTRAINT deposit_tx_kind_ck
                    CHECK (kind IN ('required', 'waived', 'refunded', 'credited')),
    amount      numeric(14,2) NOT NULL,
    on_date     date NOT NULL,
    reason      text,
    actor       text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deposit_tx_account_ix ON deposit_transactions (account_id, id);
COMMENT ON TABLE deposit_transactions IS 'append-only: deposit decisions, refunds and credits';

CREATE TABLE contact_log (
    id          bigserial PRIMARY KEY,
    account_id  uuid NOT NULL REFERENCES accounts (id),
    channel     text NOT NULL CONSTRAINT contact_channel_ck
                    CHECK (channel IN ('call', 'visit', 'email', 'letter', 'text', 'portal')),
    category    text NOT NULL,
    note        text NOT NULL,
    actor       text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_log_account_ix ON contact_log (account_id, id);
COMMENT ON TABLE contact_log IS 'append-only: every call, visit and email with the customer';

CREATE TABLE documents (
    id           uuid PRIMARY KEY,
    account_id   uuid NOT NULL REFERENCES accounts (id),
    kind         text NOT NULL CONSTRAINT documents_kind_ck CHECK (kind IN ('letter', 'scan')),
    template     text,
    title        text NOT NULL,
    filename     text NOT NULL,
    content_type text NOT NULL,
    size_bytes   integer NOT NULL,
    sha256       text NOT NULL,
    storage_key  text NOT NULL,
    actor        text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_account_ix ON documents (account_id, created_at);

CREATE FUNCTION address_text(a jsonb) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT concat_ws(' ', a->>'line1', a->>'line2', a->>'city', a->>'state', a->>'postal_code')
$$;

CREATE TABLE search_index (
    entity      text NOT NULL CONSTRAINT search_entity_ck CHECK (entity IN ('account', 'premise')),
    entity_id   uuid NOT NULL,
    account_number text,
    title       text NOT NULL,
    subtitle    text NOT NULL DEFAULT '',
    status      text NOT NULL DEFAULT '',
    doc         text NOT NULL,
    keys        text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (entity, entity_id)
);
CREATE INDEX search_index_doc_trgm ON search_index USING gin (doc gin_trgm_ops);
COMMENT ON COLUMN search_index.doc IS
    'lower-case words (names, addresses, emails) for typo-tolerant trigram matching';
COMMENT ON COLUMN search_index.keys IS
    'identifiers without punctuation (account number, phone digits, serials, APN, emails)';

-- Identifiers are matched by prefix through a btree, never by trigram: serials and account
-- numbers share most of their trigrams, which would make a fuzzy match scan everything.
CREATE TABLE search_keys (
    key        text COLLATE "C" NOT NULL,
    entity     text NOT NULL,
    entity_id  uuid NOT NULL,
    PRIMARY KEY (key, entity, entity_id)
);
CREATE INDEX search_keys_entity_ix ON search_keys (entity_id);
"""

DROP = """
DROP TABLE IF EXISTS search_keys, search_index, documents, contact_log, deposit_transactions, deposit_marks,
    service_orders, service_agreements, backflow_tests, backflow_devices, meter_history, meters,
    meter_sizes, premises, accounts, customers;
DROP SEQUENCE IF EXISTS service_order_number_seq, account_number_seq;
DROP FUNCTION IF EXISTS address_text(jsonb);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute(DROP)
