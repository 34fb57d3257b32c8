"""Notices: every letter collections sends (kept on the account, rendered on demand from the
facts stored here), the print batches a supervisor approves before release, and the SQL twin
of the copy's address rule (`notice_same_address`, property-tested against
`copy.domain.same_address`).

Revision ID: collections_0003_notices
Revises: collections_0003
"""
from alembic import op

revision = "collections_0003_notices"
down_revision = "collections_0003"
branch_labels = None
depends_on = None

DDL = r"""
-- copy.domain.same_address in SQL: line 1 and 2, city, the ZIP's first five digits; case, dots,
-- commas and spaces aside. The queue derives the Occupant copy with it, set-based. Lower case
-- is Unicode's, as Python's str.lower is, not the database's locale (C lowers only ASCII): the
-- builtin pg_c_utf8 collation (PostgreSQL 17+), else ICU's root collation (PostgreSQL 15 and 16
-- built with ICU, as Debian's and the managed services' are); Python's full mapping of the one
-- letter whose lower case is two ('İ') is the only difference.
CREATE FUNCTION notice_norm(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT btrim(regexp_replace(translate(lower(coalesce(v, '') COLLATE {unicode_lower}), '.,', '  '),
                                '\s+', ' ', 'g'))
$$;
CREATE FUNCTION notice_same_address(a jsonb, b jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT notice_norm(a->>'line1') = notice_norm(b->>'line1')
       AND notice_norm(a->>'line2') = notice_norm(b->>'line2')
       AND notice_norm(a->>'city') = notice_norm(b->>'city')
       AND left(coalesce(a->>'postal_code', ''), 5) = left(coalesce(b->>'postal_code', ''), 5)
$$;

-- A print batch: the day's queued notices, approved by a supervisor who did not create it,
-- then released to the print vendor (one merged PDF and a CSV manifest).
CREATE TABLE notice_batches (
    id          uuid PRIMARY KEY,
    batch_on    date NOT NULL,
    status      text NOT NULL DEFAULT 'awaiting_approval'
                CHECK (status IN ('awaiting_approval', 'approved', 'released', 'rejected')),
    notices     integer NOT NULL,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    approved_by text,
    approved_at timestamptz,
    released_by text,
    released_on date,
    released_at timestamptz,
    rejected_by text,
    reason      text
);
CREATE INDEX notice_batches_status_ix ON notice_batches (status, batch_on);

-- One letter to one addressee. Everything the letter says is stored here when it is queued
-- (the addressee's name and address, the language, the amount and date it names), so its PDF
-- is the same whenever it is rendered. `id` is md5 of (kind, reference, addressee): a retried
-- queue yields the same ids.
CREATE TABLE notices (
    id                 uuid PRIMARY KEY,
    account_id         uuid NOT NULL,
    kind               text NOT NULL,
    addressee          text NOT NULL CHECK (addressee IN ('customer', 'occupant', 'tenant')),
    reference          text NOT NULL,
    status             text NOT NULL DEFAULT 'queued'
                       CHECK (status IN ('queued', 'approved', 'released', 'void')),
    created_on         date NOT NULL,
    released_on        date,
    amount             numeric(14,2),
    action_on          date,
    deliver_by         date,
    bill_id            uuid,
    details            jsonb NOT NULL DEFAULT '[]',
    parent_id          uuid,
    premise_id         uuid,
    language           text NOT NULL,
    preferred_language text NOT NULL,
    account_number     text NOT NULL DEFAULT '',
    name               text NOT NULL DEFAULT '',
    address            jsonb NOT NULL DEFAULT '{}',
    service_address    jsonb,
    delivery           text NOT NULL DEFAULT 'mail' CHECK (delivery IN ('mail', 'post')),
    copies             integer NOT NULL DEFAULT 1,
    requested_by       text NOT NULL,
    batch_id           uuid REFERENCES notice_batches (id),
    void_reason        text,
    voided_by          text,
    voided_on          date,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notices_once UNIQUE (kind, reference, addressee)
);
CREATE INDEX notices_account_ix ON notices (account_id, kind, released_on);
CREATE INDEX notices_queued_ix ON notices (created_on) WHERE status = 'queued' AND batch_id IS NULL;
CREATE INDEX notices_batch_ix ON notices (batch_id);
"""


#: Collations that lower case by Unicode, best first (see the DDL's comment).
UNICODE_LOWER = ("pg_c_utf8", "und-x-icu")


def upgrade() -> None:
    have = {r[0] for r in op.get_bind().exec_driver_sql(
        "SELECT collname FROM pg_collation WHERE collname IN ('pg_c_utf8', 'und-x-icu')")}
    chosen = next((c for c in UNICODE_LOWER if c in have), None)
    if chosen is None:
        raise RuntimeError("notices: this PostgreSQL has neither the pg_c_utf8 collation "
                           "(PostgreSQL 17+) nor ICU's und-x-icu (built with ICU): see README, "
                           "'Any PostgreSQL'")
    op.execute(DDL.replace("{unicode_lower}", f'"{chosen}"'))


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS notices, notice_batches")
    op.execute("DROP FUNCTION IF EXISTS notice_same_address(jsonb, jsonb)")
    op.execute("DROP FUNCTION IF EXISTS notice_norm(text)")
