from __future__ import annotations

import os

from kernel.db import Database
from kernel.settings import Settings, get_settings, service_role


def role_url(admin_url: str, component: str) -> str:
    """Login URL of a component's role on the same server and database as `admin_url`."""
    settings = Settings(database_url=admin_url, data_dir=get_settings().data_dir)
    return settings.role_dsn(service_role(component))


def database(admin_url: str, component: str) -> Database:
    return Database(role_url(admin_url, component), component, get_settings(), f"test-{component}")


def subprocess_env(admin_url: str) -> dict[str, str]:
    return {**os.environ, "TAPLINE_DATABASE_URL": admin_url, "TAPLINE_LOG_LEVEL": "WARNING",
            "TAPLINE_RELAY_POLL_SECONDS": "0.1", "TAPLINE_INBOX_MAX_ATTEMPTS": "3"}
