"""Use cases of the lockbox: import the bank's file, post what matches, hold the rest in
suspense for staff to resolve to an account or return.

The file is read and classified in a worker thread (CPU work: 100,000 lines must not stall the
event loop). Its three identities (docs/lockbox.md) make a re-sent file a no-op that answers
with the first import; every posted line carries its line key, unique among lockbox payments,
so even two imports racing past the file check post each check once. The whole file posts in
one INSERT and one set-based publish of `payments.PaymentPosted`, in the request's transaction
with the import row and the suspense lines: all of it or nothing.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, NotFound
from kernel.settings import get_settings
from services.payments.copy import service as copy
from services.payments.lockbox import domain
from services.payments.lockbox import repository as repo
from services.payments.lockbox.domain import LockboxFile, LockboxPayment, Resend
from services.payments.lockbox.reader import read_lockbox
from services.payments.lockbox.repository import Import, Suspense
from services.payments.lockbox.schemas import ImportOut, SuspenseOut
from services.payments.lockbox.secret import remitter_secret
from services.payments.posting import domain as posting_domain
from services.payments.posting import service as posting
from services.payments.posting.domain import LockboxLine

ZERO = Decimal("0.00")


def _import_out(i: Import, duplicate: bool = False) -> ImportOut:
    return ImportOut(id=i.id, layout=i.layout, origin=i.origin, file_id=i.file_id,
                     created=i.created, line_count=i.line_count, total=i.total,
                     posted_count=i.posted_count, posted_total=i.posted_total,
                     suspense_count=i.suspense_count, suspense_total=i.suspense_total,
                     imported_by=i.imported_by, imported_at=i.imported_at,
                     duplicate=duplicate)


def _suspense_out(x: Suspense) -> SuspenseOut:
    """Amounts in cents as usual; a sub-cent amount (stored to four places) shown as read."""
    cents = x.amount.quantize(domain.CENT)
    amount = cents if cents == x.amount else x.amount.normalize()
    return SuspenseOut(**{f: getattr(x, f) for f in SuspenseOut.model_fields
                          if f != "amount"}, amount=amount)


_gc_lock = threading.Lock()
_gc_holders = 0
_gc_was_enabled = True


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Reading and classifying 100,000 lines allocates 100,000s of objects that live until the
    import ends; the cycle collector kept re-scanning them (30% of the CPU at 100,000 lines,
    growing faster than the file). Reference counting still frees everything meanwhile; the
    collector resumes when the last import in the process leaves (imports may overlap)."""
    global _gc_holders, _gc_was_enabled
    with _gc_lock:
        if _gc_holders == 0:
            _gc_was_enabled = gc.isenabled()
        _gc_holders += 1
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_enabled:
                gc.enable()


def read(content: bytes) -> LockboxFile:
    """The file checked (raises the refusals of docs/lockbox.md); no database."""
    with _no_cycle_collection():
        return read_lockbox(content, secret=remitter_secret(get_settings()))


def _classify(file: LockboxFile, open_ids: domain.OpenAccounts) -> list[LockboxPayment]:
    with _no_cycle_collection():
        return domain.classify(file, open_ids)


async def import_file(s: AsyncSession, who: Principal, content: bytes) -> ImportOut:
    file = await asyncio.to_thread(read, content)
    await repo.lock_identities(s, file.identity)
    prior = await repo.matching(s, file.identity)
    verdict = domain.compare(prior.identity if prior else None, file.identity)
    if prior is not None and verdict is Resend.DUPLICATE:
        return _import_out(prior, duplicate=True)
    if prior is not None and verdict is Resend.CONFLICT:
        raise Conflict(f"The bank's file id {file.identity.file_id!r} of "
                       f"{file.identity.created} was imported before with other checks; ask "
                       f"the bank before importing it", field="file_id",
                       import_id=str(prior.id))
    open_ids = await copy.open_accounts(s, sorted(domain.candidate_accounts(file)))
    lines = await asyncio.to_thread(_classify, file, open_ids.keys())
    to_post, held = domain.split(lines)
    imp = await repo.insert_import(
        s, file.identity, str(file.layout), file.count, file.total,
        (len(to_post), sum((p.amount for p in to_post), ZERO)),
        (len(held), sum((p.amount for p in held), ZERO)), who.sub)
    await posting.post_lockbox_file(s, who.sub, [_line(p, open_ids) for p in to_post])
    await repo.file_suspense(s, imp.id, held)
    await audit.record(s, who, "import-lockbox", "lockbox_import", str(imp.id), after={
        "file_id": imp.file_id, "count": imp.line_count, "total": imp.total,
        "posted": imp.posted_count, "suspense": imp.suspense_count})
    return _import_out(imp)


def _line(p: LockboxPayment, open_ids: dict[str, str]) -> LockboxLine:
    assert p.account is not None
    return LockboxLine(p.idempotency_key, open_ids[p.account], p.account, p.amount,
                       p.check_number, p.deposit_date)


async def get_import(s: AsyncSession, import_id: uuid.UUID) -> ImportOut:
    imp = await repo.get_import(s, import_id)
    if imp is None:
        raise NotFound("No such lockbox import", field="import_id")
    return _import_out(imp)


async def suspense(s: AsyncSession, status: str | None, limit: int) -> list[SuspenseOut]:
    return [_suspense_out(x) for x in await repo.suspense(s, status, limit)]


async def _open_line(s: AsyncSession, line_id: uuid.UUID) -> Suspense:
    line = await repo.suspense_line(s, line_id, lock=True)
    if line is None:
        raise NotFound("No such suspense line", field="suspense_id")
    if line.status != "open":
        raise Conflict(f"The line was already {line.status}", field="suspense_id")
    return line


async def resolve(s: AsyncSession, who: Principal, line_id: uuid.UUID, account_number: str,
                  note: str | None) -> SuspenseOut:
    """Apply the check to an account: it posts under the line's own key, so it can never post
    twice, and billing credits it from `payments.PaymentPosted`."""
    line = await _open_line(s, line_id)
    amount = posting_domain.money(line.amount)  # zero, negative, sub-cent: return it instead
    acct = await copy.account(s, account_number)
    if acct.status == "closed":
        raise Conflict("The account is closed: resolve to an open account or return the "
                       "check", field="account_number")
    ids = await posting.post_lockbox(s, who.sub, [LockboxLine(
        line.line_key, acct.id, acct.number, amount, line.check_number, line.deposit_date)])
    payment = ids[0] if ids else None
    if payment is None:
        posted = await posting.by_lockbox_key(s, line.line_key)
        payment = posted.id if posted else None
    closed = await repo.close_line(s, line.id, "resolved", who.sub, note, payment)
    await audit.record(s, who, "resolve-lockbox-suspense", "lockbox_suspense", str(line.id),
                       before={"status": "open"}, after={
                           "account_number": acct.number, "amount": amount,
                           "payment_id": str(payment)}, reason=note)
    return _suspense_out(closed)


async def return_line(s: AsyncSession, who: Principal, line_id: uuid.UUID,
                      reason: str) -> SuspenseOut:
    """The check goes back to its remitter; nothing posts."""
    line = await _open_line(s, line_id)
    closed = await repo.close_line(s, line.id, "returned", who.sub, reason, None)
    await audit.record(s, who, "return-lockbox-suspense", "lockbox_suspense", str(line.id),
                       before={"status": "open"}, after={"status": "returned"}, reason=reason)
    return _suspense_out(closed)
