from __future__ import annotations

import pytest

from tests.billing.helpers import RATES, Feeder


@pytest.fixture
async def feed(bound, service_apps):
    return Feeder(bound, service_apps)


@pytest.fixture
def tech(auth):
    return auth("billing_tech", "tina")


@pytest.fixture
def sup(auth):
    return auth("supervisor", "sam")


@pytest.fixture
async def rates(client, tech):
    r = await client.post("/api/billing/rates/versions", json=RATES, headers=tech)
    assert r.status_code == 201, r.text
    return r.json()
