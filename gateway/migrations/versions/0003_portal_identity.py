"""Portal identity: a customer's login (e-mail, verification, optional TOTP second factor), the
one-time links mailed to it, and the attempts that registration and reset are rate-limited by.

The login itself stays a row of `users` (role `customer`, username = the e-mail, `accounts`
the accounts it may reach), so tokens, refresh rotation and login limits are the ones staff have.

Revision ID: gateway_0003_portal
Revises: gateway_0002
"""
from alembic import op

revision = "gateway_0003_portal"
down_revision = "gateway_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE portal_logins (
            user_id           uuid PRIMARY KEY REFERENCES users (id),
            email             text NOT NULL,
            email_verified_at timestamptz,
            totp_secret       text,
            totp_pending      text,
            totp_enabled_at   timestamptz,
            -- the last TOTP time step accepted: a code is good once
            totp_last_step    bigint,
            created_at        timestamptz NOT NULL DEFAULT now(),
            updated_at        timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT portal_logins_totp_ck CHECK (totp_enabled_at IS NULL
                                                    OR totp_secret IS NOT NULL)
        );
        CREATE UNIQUE INDEX portal_logins_email_uq ON portal_logins (lower(email));

        -- A link mailed to a login: only its hash is kept, and it works once.
        CREATE TABLE portal_links (
            id          uuid PRIMARY KEY,
            user_id     uuid NOT NULL REFERENCES users (id),
            purpose     text NOT NULL CONSTRAINT portal_links_purpose_ck
                            CHECK (purpose IN ('verify', 'reset')),
            token_hash  text NOT NULL CONSTRAINT portal_links_token_uq UNIQUE,
            expires_at  timestamptz NOT NULL,
            used_at     timestamptz,
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX portal_links_user_ix ON portal_links (user_id, purpose);

        -- Registration, linking, resend and reset attempts, by kind, by a hash of what was
        -- tried (an account number, an e-mail: never kept in clear) and by address.
        CREATE TABLE portal_attempts (
            id        bigserial PRIMARY KEY,
            kind      text NOT NULL,
            key_hash  text NOT NULL,
            client_ip text NOT NULL,
            success   boolean NOT NULL,
            at        timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX portal_attempts_key_ix ON portal_attempts (kind, key_hash, at);
        CREATE INDEX portal_attempts_ip_ix ON portal_attempts (kind, client_ip, at);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE portal_attempts, portal_links, portal_logins")
