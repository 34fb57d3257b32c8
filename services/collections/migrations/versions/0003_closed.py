"""Closed accounts still owing after the closing bill (the worklist, balance transfers,
collection letters, agency referrals, the agency's payments, write-offs) and tax-roll liens
(lien notices, the certified lists sent to the county, recording and release).

Revision ID: collections_0003_closed
Revises: collections_0003_notices

(The wave's contract says collections_0002; on this branch it follows notices, whose letters
closed accounts and liens queue, so that one head migrates. The DDL assumes no order.)
"""
from alembic import op

revision = "collections_0003_closed"
down_revision = "collections_0003_notices"
branch_labels = None
depends_on = None

DDL = r"""
-- ---- closed accounts --------------------------------------------------------------------------
-- One case per closed account still owing after its closing bill, opened by the daily step and
-- worked to its end: transferred to the customer's active account, paid, or written off.
CREATE TABLE closed_cases (
    id                uuid PRIMARY KEY,
    account_id        uuid NOT NULL UNIQUE,
    customer_id       uuid,
    closed_on         date,
    opened_on         date NOT NULL,
    opening_balance   numeric(14,2) NOT NULL,
    status            text NOT NULL CHECK (status IN ('transfer_offered', 'letters', 'referred',
                                                      'transferred', 'paid', 'written_off')),
    transfer_to       uuid,             -- the customer's active account when one was found
    offer_declined_by text,
    offer_declined_at timestamptz,
    letter_1_on       date,
    letter_2_on       date,
    referral_id       uuid,
    referred_on       date,
    referred_amount   numeric(14,2),
    recalled_on       date,
    ended_on          date
);
CREATE INDEX closed_cases_status_ix ON closed_cases (status);

CREATE TABLE balance_transfers (
    id              uuid PRIMARY KEY,
    case_id         uuid NOT NULL REFERENCES closed_cases (id),
    from_account_id uuid NOT NULL UNIQUE,   -- a closed account's balance moves once
    to_account_id   uuid NOT NULL,
    amount          numeric(14,2) NOT NULL CHECK (amount > 0),
    transferred_on  date NOT NULL,
    confirmed_by    text NOT NULL,
    reason          text,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- A file of accounts sent to the agency on one day.
CREATE TABLE agency_referrals (
    id          uuid PRIMARY KEY,
    agency      text NOT NULL,
    referred_on date NOT NULL,
    accounts    integer NOT NULL,
    total       numeric(14,2) NOT NULL,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- What the agency collected and its commission, recorded one by one or from its file. The
-- agency's own transaction reference is unique: a file sent twice records each payment once.
CREATE TABLE agency_payments (
    id               uuid PRIMARY KEY,
    case_id          uuid NOT NULL REFERENCES closed_cases (id),
    account_id       uuid NOT NULL,
    agency_reference text NOT NULL UNIQUE,
    amount           numeric(14,2) NOT NULL CHECK (amount > 0),
    fee              numeric(14,2) NOT NULL CHECK (fee >= 0),
    fee_added        boolean NOT NULL,
    received_on      date NOT NULL,
    recorded_by      text NOT NULL,
    source           text NOT NULL,        -- 'entry' or the file's name
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agency_payments_account_ix ON agency_payments (account_id);

CREATE TABLE write_offs (
    id             uuid PRIMARY KEY,
    case_id        uuid NOT NULL REFERENCES closed_cases (id),
    account_id     uuid NOT NULL,
    amount         numeric(14,2) NOT NULL CHECK (amount > 0),
    reason         text NOT NULL,
    status         text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    requested_by   text NOT NULL,
    requested_role text NOT NULL,
    requested_on   date NOT NULL,
    decided_by     text,
    decided_at     timestamptz,
    decision_note  text,
    written_off_on date
);
-- One open request per case, one write-off per case.
CREATE UNIQUE INDEX write_offs_open_ux ON write_offs (case_id) WHERE status <> 'rejected';

-- ---- liens ------------------------------------------------------------------------------------
-- A certified list of liens sent to the county for one tax year.
CREATE TABLE lien_lists (
    id           uuid PRIMARY KEY,
    tax_year     integer NOT NULL,
    certified_on date NOT NULL,
    certified_by text NOT NULL,
    parcels      integer NOT NULL,
    total        numeric(14,2) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- One lien per owner's account and parcel and tax year: noticed, listed on a certified list,
-- recorded by the county, released after payment (or cancelled when paid before the list).
CREATE TABLE liens (
    id              uuid PRIMARY KEY,
    tax_year        integer NOT NULL,
    apn             text NOT NULL,
    account_id      uuid NOT NULL,
    premise_id      uuid NOT NULL,
    owner_name      text NOT NULL,
    amount          numeric(14,2) NOT NULL CHECK (amount > 0),
    as_of           date NOT NULL,       -- the debts due before this day are the lien's
    status          text NOT NULL CHECK (status IN ('noticed', 'listed', 'recorded',
                                                    'released', 'cancelled')),
    noticed_on      date NOT NULL,
    list_id         uuid REFERENCES lien_lists (id),
    listed_amount   numeric(14,2),
    recorded_on     date,
    document_number text,
    released_on     date,
    UNIQUE (tax_year, account_id)
);
CREATE INDEX liens_status_ix ON liens (status);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS liens, lien_lists, write_offs, agency_payments, "
               "agency_referrals, balance_transfers, closed_cases")
