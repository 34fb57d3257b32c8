"""The accounts API has stable, unique operation ids and declares its problem responses.

(Read from the routes: generating the whole OpenAPI document on this branch trips over the
kernel's events-admin `Admin` alias, which main has since fixed.)
"""

from __future__ import annotations

from fastapi.routing import APIRoute

from kernel.app import operation_id
from services.accounts.app import ROUTERS


def test_every_accounts_operation_has_a_unique_id_and_declares_its_problems():
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    ids = [operation_id(r) for r in routes]
    assert len(ids) == len(set(ids))
    assert "accounts-agreements-start_service" in ids
    for r in routes:
        assert r.path.startswith("/api/accounts/"), r.path
        assert 401 in r.responses and 403 in r.responses or r.name == "my_accounts", r.name
