"""A live stack with the demo district loaded, for the staff app's browser tests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from kernel.settings import Settings, get_settings
from tapline.demo import load_demo
from tests.contract.conftest import running_stack


def _load_demo(database_url: str) -> None:
    settings = Settings(database_url=database_url, data_dir=get_settings().data_dir)
    assert asyncio.run(load_demo(settings)) is True


@pytest.fixture(scope="module")
def demo_stack() -> Iterator[str]:
    """Every process as `make run` starts them, on a database of its own with the demo data."""
    with running_stack(prepare=_load_demo) as base:
        yield base
