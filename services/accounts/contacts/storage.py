"""Where documents' bytes live: local disk under the data dir (default) or an S3-compatible
bucket (`TAPLINE_DOCUMENT_STORE=s3`, with `TAPLINE_S3_BUCKET`, optional `TAPLINE_S3_PREFIX` and
`TAPLINE_S3_ENDPOINT_URL` for MinIO and the like; credentials the usual AWS way).

Keys are content-addressed (`<account>/<sha256>`): the bytes are written before the row's
transaction commits, so a rolled-back or retried request leaves at most one copy of the same
bytes behind, never a growing pile, and identical scans are stored once.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path
from typing import Any, Protocol

from kernel.settings import get_settings


class DocumentStore(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...


class LocalDiskStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("bad storage key")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()


class S3Store:
    """Any S3-compatible object store, through boto3."""

    def __init__(self, bucket: str, prefix: str = "", client: Any | None = None,
                 endpoint_url: str | None = None) -> None:
        if client is None:
            import boto3

            client = boto3.client("s3", endpoint_url=endpoint_url)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data,
                               ServerSideEncryption="AES256")

    def get(self, key: str) -> bytes:
        body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        return bytes(body.read())


def default_store() -> DocumentStore:
    if os.environ.get("TAPLINE_DOCUMENT_STORE", "disk") == "s3":
        return S3Store(os.environ["TAPLINE_S3_BUCKET"],
                       os.environ.get("TAPLINE_S3_PREFIX", "accounts"),
                       endpoint_url=os.environ.get("TAPLINE_S3_ENDPOINT_URL"))
    return LocalDiskStore(get_settings().data_dir / "documents" / "accounts")


def key_for(account_id: object, data: bytes) -> str:
    return f"{account_id}/{sha256(data)}"


async def put(store: DocumentStore, key: str, data: bytes) -> None:
    """Off the event loop: a network store must not stall other requests."""
    await asyncio.to_thread(store.put, key, data)


async def get(store: DocumentStore, key: str) -> bytes:
    return await asyncio.to_thread(store.get, key)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
