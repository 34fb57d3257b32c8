"""Typed rows: a repository hands back each result row as its model (a pydantic model or a
dataclass whose fields are the row's columns), so strict mypy checks what services read from it
instead of letting `Any` through."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import Row

T = TypeVar("T")


def typed(kind: Callable[..., T], row: Row[Any]) -> T:
    return kind(**row._mapping)


def typed_or_none(kind: Callable[..., T], row: Row[Any] | None) -> T | None:
    return None if row is None else kind(**row._mapping)


def typed_all(kind: Callable[..., T], rows: Iterable[Row[Any]]) -> list[T]:
    return [kind(**r._mapping) for r in rows]
