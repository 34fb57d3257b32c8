"""The database itself refuses two active agreements for one service at a premise."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.accounts.factories import metered_premise, start_service


async def test_database_refuses_overlapping_service_for_the_same_premise(client, auth, bound):
    premise, _ = await metered_premise(client, auth)
    out = await start_service(client, auth("csr1"), premise["id"], "2026-02-01")
    conn = bound["accounts"]
    nested = await conn.begin_nested()
    with pytest.raises(IntegrityError):
        await conn.execute(text(
            "INSERT INTO service_agreements (id, account_id, premise_id, service, rate_class, "
            "start_date, status) VALUES (:id, :a, :p, 'water', 'RES', '2026-03-01', 'stopped')"),
            {"id": uuid.uuid4(), "a": out["account"]["id"], "p": premise["id"]})
    await nested.rollback()
