"""Scanned documents and letters keep their bytes on disk or in an S3-compatible bucket."""

from __future__ import annotations

import boto3
from moto import mock_aws

from services.accounts.contacts.storage import LocalDiskStore, S3Store, key_for


def test_an_s3_store_keeps_and_returns_a_documents_bytes():
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="district-docs")
        store = S3Store("district-docs", "accounts", client=client)
        key = key_for("acct-1", b"%PDF-1.4 scanned lease")
        store.put(key, b"%PDF-1.4 scanned lease")
        assert store.get(key) == b"%PDF-1.4 scanned lease"
        listed = client.list_objects_v2(Bucket="district-docs")["Contents"]
        assert [o["Key"] for o in listed] == [f"accounts/{key}"]


def test_the_same_bytes_are_stored_once_under_their_hash(tmp_path):
    store = LocalDiskStore(tmp_path)
    for _ in range(3):  # a retried or rolled-back upload writes the same key again
        store.put(key_for("acct-1", b"scan"), b"scan")
    assert [p.name for p in (tmp_path / "acct-1").iterdir()] == [
        key_for("acct-1", b"scan").split("/")[1]]


def test_a_key_cannot_escape_the_storage_folder(tmp_path):
    import pytest

    with pytest.raises(ValueError):
        LocalDiskStore(tmp_path).put("../../etc/passwd", b"x")
