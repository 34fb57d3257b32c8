"""Reading a big lockbox file pauses the cycle collector; the process gets it back as it was."""

from __future__ import annotations

import gc

from services.payments.lockbox.service import _no_cycle_collection


def test_overlapping_imports_pause_the_collector_until_the_last_one_leaves():
    assert gc.isenabled()
    with _no_cycle_collection():
        assert not gc.isenabled()
        with _no_cycle_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the first import still reads
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with _no_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_refused_file_gives_the_collector_back():
    try:
        with _no_cycle_collection():
            raise ValueError("malformed")
    except ValueError:
        pass
    assert gc.isenabled()
