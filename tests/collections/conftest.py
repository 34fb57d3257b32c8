from __future__ import annotations

import pytest

from tests.collections.helpers import Feeder


@pytest.fixture
async def feed(bound, service_apps):
    return Feeder(bound, service_apps)


@pytest.fixture
def csr(auth):
    return auth("csr2", "carmen")


@pytest.fixture
def sup(auth):
    return auth("supervisor", "sam")
