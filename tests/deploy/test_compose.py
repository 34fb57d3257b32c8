"""deploy/compose.yaml is a valid Compose file (the Compose Specification's own JSON schema,
vendored: no Docker needed) that runs every process of `make run` after the one-shot setup, each
with a health check and a restart policy; deploy/Dockerfile builds from the lock as non-root."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from kernel.settings import get_settings
from tapline.run import process_table
from tests.deploy.tools import DEPLOY, compose_validator


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return data


def test_the_compose_file_is_valid_against_the_compose_specification(compose):
    errors = [f"{'.'.join(map(str, e.path))}: {e.message}"
              for e in compose_validator().iter_errors(compose)]
    assert not errors, "\n".join(errors)


def test_the_schema_check_refuses_a_misspelt_key(compose):
    broken = copy.deepcopy(compose)
    broken["services"]["gateway"]["helthcheck"] = broken["services"]["gateway"]["healthcheck"]
    assert list(compose_validator().iter_errors(broken))


def test_every_process_runs_after_setup_with_a_health_check_and_a_restart_policy(compose):
    services = compose["services"]
    for proc, cmd in process_table(get_settings()).items():
        app = next(a for a in cmd if a.endswith(":create_app"))
        assert app in services[proc]["command"], proc
    for name, svc in services.items():
        if name == "setup":
            assert svc["command"] == ["tapline", "setup"]
            assert svc["depends_on"]["postgres"]["condition"] == "service_healthy"
            continue
        assert svc["restart"] == "unless-stopped", name
        assert svc["healthcheck"]["test"], name
        if name != "postgres":
            assert svc["depends_on"]["setup"]["condition"] == "service_completed_successfully"
            # Services know where the server is, not the admin's password.
            assert "@" not in svc["environment"]["DATABASE_URL"], name
    assert "@postgres:5432" in services["setup"]["environment"]["DATABASE_URL"]
    assert list(services["gateway"]["ports"]) == ["${PORT:-8000}:8000"]


def test_the_image_installs_only_the_locked_hashes_builds_the_staff_app_and_runs_unprivileged():
    lines = [ln.strip() for ln in (DEPLOY / "Dockerfile").read_text().splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    assert any("--require-hashes -r requirements/main.txt" in ln for ln in lines)
    assert any(ln.startswith("RUN npx vite build") for ln in lines)
    assert "COPY --from=frontend /src/frontend/dist /app/frontend/dist" in lines
    # Imports come from /app, where the data files (migrations, templates, dist/) are.
    assert any(ln.startswith("PYTHONPATH=/app") or " PYTHONPATH=/app " in f" {ln} "
               for ln in lines)
    users = [ln for ln in lines if ln.startswith("USER ")]
    assert users and users[-1] not in ("USER root", "USER 0")
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert {".venv", ".tapline", "tests", "**/node_modules"} <= set(ignored)
