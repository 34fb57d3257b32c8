"""A PostgreSQL server of the test module's own, which its tests may restart, with every
Tapline process running against it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kernel.settings import Settings, get_settings
from tapline.bootstrap import migrate_all
from tapline.pgserver import EmbeddedPostgres, free_port
from tests import leakcheck
from tests.faults.stack import Restartable, running_stack


@pytest.fixture(scope="module")
def own_server() -> Iterator[Restartable]:
    # Under the suite's data directory, not pytest's shared temporary base: the server runs as
    # another user, which must keep access to every parent directory.
    data = Path(os.environ["TAPLINE_DATA_DIR"]) / f"restart-{uuid.uuid4().hex[:8]}"
    # The end-of-run secret scan reads its rows as a dump (below), and its logs, as for the
    # shared server; not the cluster's own files.
    leakcheck.SKIP.extend([data / "pgdata", data / "pg.json"])
    pg = EmbeddedPostgres(data, free_port(), settings={"fsync": "off"})
    pg.start()
    try:
        url = pg.admin_url("tapline")
        migrate_all(Settings(database_url=url, data_dir=get_settings().data_dir))
        with running_stack(url) as stack:
            yield Restartable(pg, url, stack)
        leakcheck.dump_database(url, leakcheck.DUMPS / data.name)
    finally:
        pg.stop()
