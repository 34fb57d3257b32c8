from __future__ import annotations

import pytest

from tests.payments.helpers import Feeder


@pytest.fixture
async def feed(bound, service_apps):
    return Feeder(bound, service_apps)


@pytest.fixture
def cashier(auth):
    return auth("csr1", "carla")


@pytest.fixture
def cashier2(auth):
    return auth("csr2", "chris")


@pytest.fixture
def sup(auth):
    return auth("supervisor", "sam")


@pytest.fixture
async def drawer(client, cashier):
    r = await client.post("/api/payments/drawers", json={"float_amount": "100.00"},
                          headers=cashier)
    assert r.status_code == 201, r.text
    return r.json()
