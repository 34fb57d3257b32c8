"""Typed rows: a repository turns result rows into dataclasses, so strict mypy reaches through
what it returns (a `Row` is `Any` to mypy, and so is every attribute read from it).

The dataclass names the columns it needs; a query may return more (`SELECT *` stays valid
when a migration adds a column) but never fewer (a missing column is a KeyError at once).
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Result, Row

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


@cache
def _names(cls: type[DataclassInstance]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


def row_as(cls: type[T], row: Row[Any]) -> T:
    m = row._mapping
    return cls(**{n: m[n] for n in _names(cls)})


def first_as(cls: type[T], result: Result[Any]) -> T | None:
    row = result.first()
    return None if row is None else row_as(cls, row)


def one_as(cls: type[T], result: Result[Any]) -> T:
    return row_as(cls, result.one())


def all_as(cls: type[T], result: Result[Any]) -> list[T]:
    names = _names(cls)
    return [cls(**{n: r._mapping[n] for n in names}) for r in result.all()]


S = TypeVar("S")


def value_as(cls: type[S], value: object) -> S | None:
    """One column's value (`scalar_one_or_none()`, `max(...)`), checked: None or a `cls`."""
    if value is not None and not isinstance(value, cls):
        raise TypeError(f"expected {cls.__name__}, got {type(value).__name__}")
    return value
