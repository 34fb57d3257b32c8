"""Notices' use cases. `queue` and `given_on` are what the ladder, arrangements, closed
accounts, liens and the guardrails call (COLLECTIONS2.md): their signatures are a contract."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Sequence
from datetime import date
from typing import IO

import anyio.to_thread
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.csvexport import Export
from kernel.errors import Conflict, Forbidden, NotFound
from kernel.settings import get_settings
from services.collections.notices import domain, letter, printzip
from services.collections.notices import repository as repo
from services.collections.notices.domain import NoticeRequest
from services.collections.notices.manifest import rows as domain_manifest
from services.collections.notices.schemas import (
    AwaitingOut,
    BatchOut,
    KindCountOut,
    NoticeOut,
    VoidOut,
)
from services.collections.notices.wording import District
from services.collections.policy import service as policy


async def queue(session: AsyncSession, requests: Sequence[NoticeRequest], *, today: date,
                requested_by: str) -> int:
    """Queue letters, each (kind, reference, addressee) once, in ONE statement for any number
    (a daily run queues thousands). A shut-off notice brings SB 998's copies: "Occupant" at a
    premise that is not the mailing address, the tenants of a landlord customer (10 days'
    notice on a multi-unit premise, 7 on a detached house). Returns how many rows are new,
    copies included. Flushes only: the caller's transaction commits it."""
    if not requests:
        return 0
    for r in requests:
        domain.checked(r)
    tenants = policy.policy().tenants
    return await repo.queue(session, requests, today=today, requested_by=requested_by,
                            multi_unit_days=tenants.multi_unit_notice_days,
                            detached_days=tenants.detached_house_notice_days)


async def given_on(session: AsyncSession, account_id: uuid.UUID, kinds: Sequence[str], *,
                   since: date | None = None, addressee: str | None = None) -> date | None:
    """The latest day a released notice of these kinds went out to the account (optionally
    since a day, optionally only to one addressee); None when none was given."""
    return await repo.given_on(session, account_id, kinds, since, addressee)


# ---- staff use cases -------------------------------------------------------------------------

class NotApproved(Conflict):
    code, title = "notice-batch-not-approved", "The batch is not approved"


class OwnBatch(Forbidden):
    code, title = "notice-batch-own", "Nobody approves their own batch"


class NothingQueued(Conflict):
    code, title = "nothing-queued", "No queued notices to batch"


def district() -> District:
    s = get_settings()
    return District(name=s.utility_name, address=tuple(s.notices_return_address),
                    phone=s.district_phone, hours_en=s.notices_hours_en,
                    hours_es=s.notices_hours_es, website=s.notices_website)


def _out(n: repo.Notice) -> NoticeOut:
    return NoticeOut(id=n.id, account_id=n.account_id, kind=n.kind, addressee=n.addressee,
                     reference=n.reference, status=n.status, created_on=n.created_on,
                     released_on=n.released_on, amount=n.amount, action_on=n.action_on,
                     deliver_by=n.deliver_by, language=n.language,
                     preferred_language=n.preferred_language, delivery=n.delivery,
                     copies=n.copies, parent_id=n.parent_id, batch_id=n.batch_id,
                     void_reason=n.void_reason, voided_by=n.voided_by,
                     pdf=f"/api/collections/notices/{n.id}.pdf")


def _batch_out(b: repo.Batch, counts: Sequence[repo.KindCount] = ()) -> BatchOut:
    base = f"/api/collections/notices/batches/{b.id}"
    return BatchOut(id=b.id, batch_on=b.batch_on, status=b.status, notices=b.notices,
                    created_by=b.created_by, approved_by=b.approved_by,
                    released_by=b.released_by, released_on=b.released_on,
                    rejected_by=b.rejected_by, reason=b.reason,
                    print_pdf=f"{base}/print.pdf", manifest_csv=f"{base}/manifest.csv",
                    by_kind=[KindCountOut(kind=c.kind, addressee=c.addressee, notices=c.n)
                             for c in counts if c.batch_id == b.id])


async def of_account(s: AsyncSession, account_id: uuid.UUID) -> list[NoticeOut]:
    return [_out(n) for n in await repo.of_account(s, account_id)]


def of_account_export(account_id: uuid.UUID) -> Export:
    return repo.of_account_export(account_id)


async def _notice(s: AsyncSession, notice_id: uuid.UUID) -> repo.Notice:
    n = await repo.notice(s, notice_id)
    if n is None:
        raise NotFound("No such notice", field="notice_id")
    return n


async def pdf(s: AsyncSession, notice_id: uuid.UUID) -> bytes:
    """The notice's letter, rendered from what was stored when it was queued: the same bytes
    every time it is asked for."""
    n = await _notice(s, notice_id)
    return await anyio.to_thread.run_sync(letter.render, n, district())


async def create_batch(s: AsyncSession, who: Principal, today: date) -> BatchOut:
    """The day's queued notices into one print batch, awaiting a supervisor's approval. The
    Occupant and tenant copies are derived again first, on the copy as it is now."""
    parents = await repo.unbatched_parents(s, today)
    if parents:
        await queue(s, parents, today=today, requested_by=who.sub)
    batch_id = uuid.uuid4()
    n = await repo.create_batch(s, batch_id, today, who.sub)
    if n == 0:
        raise NothingQueued(f"No notices are queued on or before {today} outside a batch")
    await audit.record(s, who, "notices.batch_created", "notice_batch", str(batch_id),
                       after={"batch_on": today, "notices": n})
    return await batch(s, batch_id)


async def batch(s: AsyncSession, batch_id: uuid.UUID) -> BatchOut:
    b = await repo.batch(s, batch_id)
    if b is None:
        raise NotFound("No such notice batch", field="batch_id")
    _, counts = await repo.awaiting(s) if b.status == "awaiting_approval" else (None, [])
    return _batch_out(b, counts)


async def approve(s: AsyncSession, who: Principal, batch_id: uuid.UUID) -> BatchOut:
    """A supervisor approves a batch for printing; never the one who created it."""
    b = await repo.batch(s, batch_id, lock=True)
    if b is None:
        raise NotFound("No such notice batch", field="batch_id")
    if b.status != "awaiting_approval":
        raise Conflict(f"The batch is {b.status.replace('_', ' ')}", field="batch_id")
    if b.created_by == who.sub:
        raise OwnBatch("You created this batch: another supervisor approves it",
                       rule="approval.not_own")
    await repo.approve_batch(s, batch_id, who.sub)
    await audit.record(s, who, "notices.batch_approved", "notice_batch", str(batch_id),
                       before={"status": b.status}, after={"status": "approved"},
                       approver=who.sub)
    return await batch(s, batch_id)


async def reject(s: AsyncSession, who: Principal, batch_id: uuid.UUID,
                 reason: str) -> BatchOut:
    """A supervisor sends a batch back with a reason; its notices return to the queue. Like
    approving, never the batch's own creator."""
    b = await repo.batch(s, batch_id, lock=True)
    if b is None:
        raise NotFound("No such notice batch", field="batch_id")
    if b.status != "awaiting_approval":
        raise Conflict(f"The batch is {b.status.replace('_', ' ')}", field="batch_id")
    if b.created_by == who.sub:
        raise OwnBatch("You created this batch: another supervisor reviews it",
                       rule="approval.not_own")
    await repo.reject_batch(s, batch_id, who.sub, reason)
    await audit.record(s, who, "notices.batch_rejected", "notice_batch", str(batch_id),
                       before={"status": b.status}, after={"status": "rejected"},
                       reason=reason)
    return await batch(s, batch_id)


async def release(s: AsyncSession, who: Principal, batch_id: uuid.UUID,
                  today: date) -> BatchOut:
    """Release an approved batch to the print vendor: its notices are given on `today`, each
    announced (collections.NoticeReleased) in one statement. Nothing unapproved is released."""
    b = await repo.batch(s, batch_id, lock=True)
    if b is None:
        raise NotFound("No such notice batch", field="batch_id")
    if b.status == "released":
        raise Conflict("The batch is already released", field="batch_id")
    if b.status != "approved":
        raise NotApproved("A supervisor approves the batch before it is released",
                          rule="notices.approved_before_release")
    n = await repo.release_batch(s, batch_id, today, who.sub)
    await audit.record(s, who, "notices.batch_released", "notice_batch", str(batch_id),
                       before={"status": b.status},
                       after={"status": "released", "released_on": today, "notices": n},
                       approver=b.approved_by)
    return await batch(s, batch_id)


async def print_file(s: AsyncSession, batch_id: uuid.UUID) -> tuple[repo.Batch, IO[bytes]]:
    """The vendor's print file: every released notice of the batch in one PDF, rendered in a
    worker thread (20,000 letters must not stall the service's event loop) into a spooled
    temporary file the response streams."""
    b, notices = await _released(s, batch_id)
    out: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    await anyio.to_thread.run_sync(letter.render_batch, notices, district(),
                                   b.released_on or b.batch_on, out)
    out.seek(0)
    return b, out


async def print_zip(s: AsyncSession, batch_id: uuid.UUID) -> tuple[repo.Batch, IO[bytes]]:
    """The vendor's print ZIP (printzip.py): the batch in PDFs of 1,000 notices with a manifest
    of where each one is, drawn in a worker thread into a spooled temporary file."""
    b, notices = await _released(s, batch_id)
    out: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    await anyio.to_thread.run_sync(
        lambda: printzip.write(notices, district(), b.released_on or b.batch_on, out))
    out.seek(0)
    return b, out


async def manifest(s: AsyncSession, batch_id: uuid.UUID) -> tuple[repo.Batch, list[str]]:
    """The print file's manifest (CSV): one row per notice in print order."""
    b, notices = await _released(s, batch_id)
    return b, domain_manifest(notices)


async def _released(s: AsyncSession, batch_id: uuid.UUID) -> tuple[repo.Batch,
                                                                   list[repo.Notice]]:
    b = await repo.batch(s, batch_id)
    if b is None:
        raise NotFound("No such notice batch", field="batch_id")
    if b.status != "released":
        raise NotApproved("The print file exists once the batch is approved and released",
                          rule="notices.approved_before_release")
    return b, await repo.batch_notices(s, batch_id)


async def awaiting(s: AsyncSession) -> AwaitingOut:
    batches, counts = await repo.awaiting(s)
    return AwaitingOut(batches=[_batch_out(b, counts) for b in batches],
                       unbatched=[KindCountOut(kind=c.kind, addressee=c.addressee,
                                               notices=c.n)
                                  for c in counts if c.batch_id is None])


async def void(s: AsyncSession, who: Principal, notice_id: uuid.UUID, reason: str,
               today: date) -> VoidOut:
    """Void a notice before it is released (with its Occupant and tenant copies)."""
    n = await _notice(s, notice_id)
    if n.status not in ("queued", "approved"):
        raise Conflict(f"A {n.status} notice cannot be voided", field="notice_id")
    count = await repo.void(s, notice_id, reason, who.sub, today)
    await audit.record(s, who, "notices.voided", "notice", str(notice_id),
                       before={"status": n.status}, after={"status": "void", "copies": count},
                       reason=reason)
    return VoidOut(voided=count)
