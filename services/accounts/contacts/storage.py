"""Where documents' bytes live. Local disk under the data dir is the one implementation;
an S3-compatible store is NOT done (the interface is here for it)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

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


def default_store() -> DocumentStore:
    return LocalDiskStore(get_settings().data_dir / "documents" / "accounts")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
