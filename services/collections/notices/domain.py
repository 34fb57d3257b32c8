"""What a notice is and who gets one (pure rules, no I/O).

Every letter collections sends is a notice: one kind, to one addressee, about one reference
(a bill's step, an arrangement, a lien ...). Queued once per (kind, reference, addressee): the
ladder, arrangements, closed accounts and liens may ask again on a retry or a second daily run
and nothing new is queued. A shut-off notice carries SB 998's copies with it: to "Occupant" at
the premise when the premise is not the mailing address, and to the tenants when the landlord
is the customer (10 days' notice on a multi-unit premise, 7 on a detached house).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

#: Every kind of letter notices words (in English and Spanish).
KINDS: tuple[str, ...] = (
    "reminder", "first_notice", "second_notice", "shutoff_notice", "final_notice",
    "arrangement_confirmed", "arrangement_broken", "arrangement_completed",
    "collection_letter_1", "collection_letter_2", "agency_referral", "lien_notice",
    "lien_release", "reconnect_notice",
)
ADDRESSEES: tuple[str, ...] = ("customer", "occupant", "tenant")
#: The languages a notice is written in; any other preference gets English (and is kept as
#: `preferred_language` on the notice, so the district sees who asked for what).
LANGUAGES: tuple[str, ...] = ("en", "es")
#: SB 998: a shut-off notice also goes to "Occupant" at the premise when it is not the mailing
#: address, and to the tenants when the landlord is the customer.
OCCUPANT_COPY_KINDS: tuple[str, ...] = ("shutoff_notice",)
TENANT_COPY_KINDS: tuple[str, ...] = ("shutoff_notice",)
#: Letters posted at the premise rather than mailed (SB 998: the broken arrangement's final
#: notice; tenants' notices are posted where the tenants live).
POSTED_KINDS: tuple[str, ...] = ("final_notice",)


@dataclass(frozen=True)
class NoticeRequest:
    """A letter someone wants sent. `reference` names what it is about (e.g. `bill:{id}`):
    (kind, reference, addressee) is queued once, a repeat is a no-op."""

    account_id: uuid.UUID
    kind: str  # see KINDS
    reference: str
    amount: Decimal | None  # the amount the letter names
    action_on: date | None  # the date it names (due / disconnect / first instalment ...)
    bill_id: uuid.UUID | None = None
    details: tuple[tuple[str, str], ...] = ()  # extra label/value rows (e.g. a schedule)
    addressee: str = "customer"  # occupant/tenant copies are derived by notices itself


class BadRequest(ValueError):
    """A request notices cannot queue (an unknown kind or addressee)."""


def checked(r: NoticeRequest) -> NoticeRequest:
    if r.kind not in KINDS:
        raise BadRequest(f"unknown notice kind {r.kind!r}")
    if r.addressee not in ADDRESSEES:
        raise BadRequest(f"unknown addressee {r.addressee!r}")
    if not r.reference:
        raise BadRequest("a notice needs a reference")
    return r


def notice_id(kind: str, reference: str, addressee: str) -> uuid.UUID:
    """The notice's id, the same on every retry: md5 of (kind, reference, addressee), as the
    queue's SQL computes it for the copies it derives (`md5(...)::uuid`)."""
    return uuid.UUID(hashlib.md5(f"{kind}|{reference}|{addressee}".encode(),
                                 usedforsecurity=False).hexdigest())


def derived_reference(reference: str, premise_id: uuid.UUID) -> str:
    """An Occupant or tenant copy's reference: its customer notice's and the premise (an
    account served at two premises gets a copy at each)."""
    return f"{reference}@{premise_id}"
