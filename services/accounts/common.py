"""What every accounts feature shares: role groups, the address model, access checks, rows as
models."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Annotated, Any, TypeVar

from fastapi import Depends
from pydantic import BaseModel, Field
from sqlalchemy import Row

from kernel.auth import Principal, require_roles
from kernel.errors import NotFound

#: Staff who may look at customers, accounts, premises and meters.
READERS = ("csr1", "csr2", "billing_tech", "supervisor", "admin")
#: Staff who run the customer workflows (start/stop/transfer, contacts, orders).
CSRS = ("csr1", "csr2", "supervisor")
#: Staff who keep the meter and device inventory.
METER_STAFF = ("billing_tech", "supervisor")
#: Who works service orders (field technicians see nothing else).
ORDER_WORKERS = ("csr1", "csr2", "billing_tech", "supervisor", "field_tech")

Reader = Annotated[Principal, Depends(require_roles(*READERS))]
ReaderOrCustomer = Annotated[Principal, Depends(require_roles(*READERS, "customer"))]
Csr = Annotated[Principal, Depends(require_roles(*CSRS))]
MeterStaff = Annotated[Principal, Depends(require_roles(*METER_STAFF))]
OrderWorker = Annotated[Principal, Depends(require_roles(*ORDER_WORKERS))]
Supervisor = Annotated[Principal, Depends(require_roles("supervisor"))]


class Address(BaseModel):
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    state: str = Field(min_length=2, max_length=2)
    postal_code: str = Field(pattern=r"^\d{5}(-\d{4})?$")

    def one_line(self) -> str:
        parts = [self.line1, self.line2 or "", self.city, self.state, self.postal_code]
        return " ".join(p for p in parts if p)


def address_text(doc: dict[str, Any] | None) -> str:
    if not doc:
        return ""
    return Address.model_validate(doc).one_line()


def ensure_may_see_account(who: Principal, account_id: uuid.UUID) -> None:
    """A portal customer sees only the accounts their token names; staff readers see all.
    Another's account answers 404 exactly as an unknown one, so ids cannot be probed."""
    if who.role == "customer" and str(account_id) not in who.accounts:
        raise NotFound("No such account", field="account_id")


M = TypeVar("M", bound=BaseModel)


def as_model(cls: type[M], row: Row[Any]) -> M:
    """A row as the feature's model (most accounts rows are exactly what the API shows, so the
    API model is the typed row; `kernel.rows` turns rows into dataclasses where they are not)."""
    return cls.model_validate(row._mapping)


def as_model_or_none(cls: type[M], row: Row[Any] | None) -> M | None:
    return None if row is None else cls.model_validate(row._mapping)


def as_models(cls: type[M], rows: Iterable[Row[Any]]) -> list[M]:
    return [cls.model_validate(r._mapping) for r in rows]
