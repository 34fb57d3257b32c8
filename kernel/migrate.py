"""Alembic, once for all components: each runs its own migrations as its own schema's owner."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from kernel.settings import REPO_ROOT, owner_role, sync_url

COMPONENT_DIRS: dict[str, Path] = {
    "gateway": REPO_ROOT / "gateway" / "migrations",
    "relay": REPO_ROOT / "relay" / "migrations",
    "nightly": REPO_ROOT / "nightly" / "migrations",
    "accounts": REPO_ROOT / "services" / "accounts" / "migrations",
    "billing": REPO_ROOT / "services" / "billing" / "migrations",
    "payments": REPO_ROOT / "services" / "payments" / "migrations",
    "collections": REPO_ROOT / "services" / "collections" / "migrations",
}


def alembic_config(component: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(COMPONENT_DIRS[component]))
    cfg.attributes["schema"] = component
    return cfg


def upgrade(admin_dsn: str, component: str, revision: str = "heads") -> None:
    """Run `component`'s migrations in one transaction, creating objects owned by its owner.
    `heads`: features of one service that branch from the same revision (collections' 0003s)
    all apply, in no order among themselves, until someone chains them."""
    engine = create_engine(sync_url(admin_dsn), isolation_level="READ COMMITTED")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'SET LOCAL ROLE "{owner_role(component)}"')
            conn.exec_driver_sql(f'SET LOCAL search_path TO "{component}", public')
            cfg = alembic_config(component)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()


def run_env() -> None:
    """Body of every component's `migrations/env.py`."""
    from alembic import context

    conn = context.config.attributes.get("connection")
    if conn is None:
        raise RuntimeError("run migrations with `tapline migrate`, not the alembic CLI")
    context.configure(
        connection=conn,
        version_table_schema=context.config.attributes["schema"],
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
