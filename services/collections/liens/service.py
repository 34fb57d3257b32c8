"""Use cases of tax-roll liens: the owners' delinquent parcels, lien notices, the certified list
for the county (CSV and PDF), its recording, and releases after payment (the daily step
releases what was paid: a `lien_release` letter and `collections.LienReleased`)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.outbox import Event, publish
from kernel.settings import get_settings
from services.collections.liens import document, domain
from services.collections.liens import repository as repo
from services.collections.liens.schemas import (
    CandidateOut,
    Candidates,
    LienOut,
    ListOut,
    NoticesOut,
    RecordOut,
    ReleasesOut,
)
from services.collections.notices import service as notices
from services.collections.notices.domain import NoticeRequest
from services.collections.policy import service as policy

SYSTEM = "system"


def _year(today: date, tax_year: int | None) -> int:
    return tax_year if tax_year is not None else domain.default_tax_year(today)


async def _candidates(s: AsyncSession, today: date,
                      y: int) -> list[tuple[repo.Owner, Decimal]]:
    p = policy.policy().liens
    owners = await repo.owners(s, y)
    sums = await repo.past_due_sums(s, [o.account_id for o in owners], today,
                                    p.minimum_days_past_due)
    out = []
    for o in owners:
        x = sums.get(o.account_id)
        amount = x and domain.delinquent(x.due, x.old, x.credit, p.minimum_amount)
        if amount:
            out.append((o, amount))
    return sorted(out, key=lambda c: (c[0].apn, c[0].number))


async def candidates(s: AsyncSession, today: date, tax_year: int | None) -> Candidates:
    """Owners' accounts with at least `minimum_amount` past due, some of it
    `minimum_days_past_due`, not yet noticed for the year: one row per parcel (APN)."""
    y = _year(today, tax_year)
    rows = await _candidates(s, today, y)
    return Candidates(as_of=today, tax_year=y, parcels=len(rows),
                      total=sum((a for _, a in rows), Decimal("0.00")),
                      candidates=[CandidateOut(account_id=o.account_id, account_number=o.number,
                                               owner_name=o.owner_name, apn=o.apn,
                                               premise_id=o.premise_id, amount=a)
                                  for o, a in rows])


async def send_notices(s: AsyncSession, who: Principal, today: date,
                       tax_year: int | None) -> NoticesOut:
    """A lien notice to every candidate owner (once per account and year): the amount and the
    day the list goes to the county (`notice_days` later)."""
    p = policy.policy().liens
    y = _year(today, tax_year)
    cands = await _candidates(s, today, y)
    rows = await repo.insert_liens(s, y, today, [o for o, _ in cands], [a for _, a in cands])
    list_on = today + timedelta(days=p.notice_days)
    await notices.queue(s, [NoticeRequest(account_id=r.account_id, kind="lien_notice",
                                          reference=f"lien:{r.id}", amount=r.amount,
                                          action_on=list_on,
                                          details=(("Tax year", f"{y}-{(y + 1) % 100:02d}"),))
                            for r in rows], today=today, requested_by=who.sub)
    total = sum((r.amount for r in rows), Decimal("0.00"))
    await audit.record(s, who, "lien_notices", "liens", str(y),
                       after={"noticed": len(rows), "total": total})
    return NoticesOut(tax_year=y, noticed=len(rows), total=total, list_on_or_after=list_on)


async def _owed(s: AsyncSession, liens: list[repo.LienKey],
                today: date) -> dict[uuid.UUID, Decimal]:
    """What is still owed of each lien today (`domain.owed`), reading the receivable once."""
    rec = await repo.receivable(s, sorted({x.account_id for x in liens}), today)
    return {x.id: domain.owed(x.listed_amount or x.amount, x.as_of,
                              rec[x.account_id].debits, rec[x.account_id].credit)
            for x in liens}


def _list_out(x: repo.LienList) -> ListOut:
    return ListOut(list_id=x.id, tax_year=x.tax_year, certified_on=x.certified_on,
                   certified_by=x.certified_by, parcels=x.parcels, total=x.total)


async def certify(s: AsyncSession, who: Principal, today: date,
                  tax_year: int | None) -> ListOut:
    """The certified list for the county: the year's noticed liens whose notice is at least
    `notice_days` old, at what is still owed (those paid meanwhile are cancelled). Refused
    while collections' copy lacks an entry billing announced on one of them: a payment not
    yet delivered must not be listed as owed."""
    p = policy.policy().liens
    y = _year(today, tax_year)
    noticed = await repo.lien_keys(s, ["noticed"], y)
    accts = sorted({x.account_id for x in noticed})
    mine, billing = await repo.totals(s, accts), await repo.announced(s, accts)
    late = sorted(billing[a].number for a in accts
                  if billing[a].announced is not None and billing[a].announced != mine[a])
    if late:
        raise Conflict("Collections has not yet received every entry billing posted on "
                       f"{len(late)} of these accounts; certify once it has",
                       accounts=late[:20])
    owed = await _owed(s, noticed, today)
    await repo.cancel(s, [x.id for x in noticed if owed[x.id] == 0])
    due = [x for x in noticed if owed[x.id] > 0
           and x.noticed_on + timedelta(days=p.notice_days) <= today]
    if not due:
        raise Unprocessable(f"No lien is due to be listed for {y} (each needs a notice at "
                            f"least {p.notice_days} days old and an amount still owed)",
                            field="today")
    list_id = uuid.uuid4()
    await repo.new_list(s, list_id, y, today, who.sub)
    await repo.put_on_list(s, list_id, [x.id for x in due], [owed[x.id] for x in due])
    x = await repo.lien_list(s, list_id)
    assert x is not None
    await audit.record(s, who, "certify", "lien_list", str(list_id),
                       after={"parcels": x.parcels, "total": x.total, "tax_year": y})
    return _list_out(x)


async def _listed(s: AsyncSession, list_id: uuid.UUID) -> tuple[repo.LienList,
                                                                 list[domain.Listed]]:
    x = await repo.lien_list(s, list_id)
    if x is None:
        raise NotFound("No such lien list", field="list_id")
    rows = [domain.Listed(apn=r.apn, number=r.number, owner_name=r.owner_name,
                          service_address=domain.address_line(r.address),
                          amount=r.listed_amount) for r in await repo.listed(s, list_id)]
    return x, rows


async def list_csv(s: AsyncSession, list_id: uuid.UUID) -> tuple[str, str]:
    x, rows = await _listed(s, list_id)
    return f"tax-roll-{x.tax_year}-{x.certified_on}.csv", domain.list_csv(rows, x.tax_year)


async def list_pdf(s: AsyncSession, list_id: uuid.UUID) -> tuple[str, bytes]:
    """The list as the county receives it: the parcels by APN, the totals and the signed
    certification statement."""
    x, rows = await _listed(s, list_id)
    p = policy.policy().liens
    utility = get_settings().utility_name
    total = sum((r.amount for r in rows), Decimal("0.00"))
    statement = domain.certification(utility, p.county, p.certified_by_title, x.tax_year,
                                     len(rows), total, x.certified_on, p.notice_days)
    return (f"tax-roll-{x.tax_year}-{x.certified_on}.pdf",
            document.pdf(utility, p.county, x.tax_year, x.certified_on, rows, total,
                         statement, x.certified_by, p.certified_by_title))


async def record(s: AsyncSession, who: Principal, list_id: uuid.UUID, on: date,
                 document_number: str | None) -> RecordOut:
    """The county recorded the list: each lien on it is `recorded`
    (`collections.LienRecorded`)."""
    if await repo.lien_list(s, list_id) is None:
        raise NotFound("No such lien list", field="list_id")
    n = await repo.record(s, list_id, on, document_number, who.sub)
    await audit.record(s, who, "record", "lien_list", str(list_id),
                       after={"recorded": n, "recorded_on": on,
                              "document_number": document_number})
    return RecordOut(list_id=list_id, recorded=n)


async def release_daily(s: AsyncSession, today: date, who: str = SYSTEM) -> list[repo.Released]:
    """Liens paid by today are released, each with a `lien_release` letter and
    `collections.LienReleased`, set-based (the daily job calls it)."""
    open_ = await repo.lien_keys(s, ["noticed", "listed", "recorded"])
    owed = await _owed(s, open_, today)
    paid = {x.id for x in open_ if owed[x.id] == 0}
    await repo.cancel(s, [x.id for x in open_ if x.id in paid])  # only noticed ones change
    done = await repo.release(s, [x.id for x in open_ if x.id in paid], today)
    await publish(s, [Event("collections.LienReleased", f"account:{r.account_id}", {
        "lien_id": str(r.id), "account_id": str(r.account_id), "apn": r.apn,
        "amount": f"{r.amount:.2f}", "tax_year": r.tax_year, "released_on": today.isoformat()})
        for r in done], actor=who)
    await notices.queue(s, [NoticeRequest(account_id=r.account_id, kind="lien_release",
                                          reference=f"lien:{r.id}", amount=r.amount,
                                          action_on=today,
                                          details=(("APN", r.apn),))
                            for r in done], today=today, requested_by=who)
    return done


async def run_daily(s: AsyncSession, today: date) -> dict[str, int]:
    return {"liens_released": len(await release_daily(s, today))}


async def releases(s: AsyncSession, who: Principal, today: date) -> ReleasesOut:
    done = await release_daily(s, today, who.sub)
    total = sum((r.amount for r in done), Decimal("0.00"))
    await audit.record(s, who, "release", "liens", today.isoformat(),
                       after={"released": len(done), "total": total})
    return ReleasesOut(today=today, released=len(done), total=total)


async def liens(s: AsyncSession, today: date, tax_year: int | None, status: str | None,
                account_id: uuid.UUID | None, limit: int) -> list[LienOut]:
    rows = await repo.liens(s, tax_year, status, account_id, limit)
    owed = await _owed(s, [repo.LienKey(r.id, r.account_id, r.apn, r.tax_year, r.amount,
                                        r.listed_amount, r.as_of, r.noticed_on) for r in rows],
                       today)
    return [LienOut(lien_id=r.id, tax_year=r.tax_year, apn=r.apn, account_id=r.account_id,
                    account_number=r.number, owner_name=r.owner_name, amount=r.amount,
                    as_of=r.as_of, status=r.status, noticed_on=r.noticed_on, list_id=r.list_id,
                    listed_amount=r.listed_amount, recorded_on=r.recorded_on,
                    document_number=r.document_number, released_on=r.released_on,
                    owed=owed[r.id] if r.status in ("noticed", "listed", "recorded")
                    else Decimal("0.00"))
            for r in rows]


async def lists(s: AsyncSession, limit: int) -> list[ListOut]:
    return [_list_out(x) for x in await repo.lists(s, limit)]
