"""Staff and portal users, refresh tokens, login attempts, audit trail.

Revision ID: gateway_0001
Revises:
"""
from alembic import op

from kernel.schema import kernel_tables_down, kernel_tables_up

revision = "gateway_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    kernel_tables_up(op)
    op.execute(
        """
        CREATE TABLE users (
            id            uuid PRIMARY KEY,
            username      text NOT NULL,
            display_name  text NOT NULL,
            role          text NOT NULL,
            password_hash text NOT NULL,
            active        boolean NOT NULL DEFAULT true,
            accounts      text[] NOT NULL DEFAULT '{}',
            created_at    timestamptz NOT NULL DEFAULT now(),
            updated_at    timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT users_role_ck CHECK (role IN
                ('csr1', 'csr2', 'billing_tech', 'supervisor', 'field_tech', 'admin', 'customer'))
        );
        CREATE UNIQUE INDEX users_username_uq ON users (lower(username));

        CREATE TABLE refresh_tokens (
            id          uuid PRIMARY KEY,
            user_id     uuid NOT NULL REFERENCES users (id),
            token_hash  text NOT NULL UNIQUE,
            family      uuid NOT NULL,
            issued_at   timestamptz NOT NULL DEFAULT now(),
            expires_at  timestamptz NOT NULL,
            used_at     timestamptz,
            revoked_at  timestamptz
        );
        CREATE INDEX refresh_tokens_family_ix ON refresh_tokens (family);

        CREATE TABLE login_attempts (
            id        bigserial PRIMARY KEY,
            username  text NOT NULL,
            client_ip text NOT NULL,
            success   boolean NOT NULL,
            at        timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX login_attempts_user_ix ON login_attempts (lower(username), at);
        CREATE INDEX login_attempts_ip_ix ON login_attempts (client_ip, at);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE login_attempts, refresh_tokens, users")
    kernel_tables_down(op)
