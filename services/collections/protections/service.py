"""Use cases of protections: record and withdraw a household's SB 998 facts (each with its
dates and who recorded it, audited), and the facts in force for the guardrails and the
reconnection fee."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Unprocessable
from services.collections.copy import service as copy
from services.collections.protections import domain
from services.collections.protections import repository as repo
from services.collections.protections.schemas import (
    Financial,
    LowIncome,
    Medical,
    ProtectionsIn,
    ProtectionsOut,
    Reached,
    Willing,
)


def _facts(r: repo.ProtectionRow | None) -> domain.Facts:
    if r is None:
        return domain.Facts()
    return domain.Facts(medical_certified_on=r.medical_certified_on,
                        medical_expires_on=r.medical_expires_on, financial_on=r.financial_on,
                        willing_on=r.willing_on, low_income_on=r.low_income_on,
                        low_income_until=r.low_income_until, reached_on=r.reached_on)


def _out(account_id: uuid.UUID, r: repo.ProtectionRow | None, today: date) -> ProtectionsOut:
    f = _facts(r)
    return ProtectionsOut(
        account_id=account_id, as_of=today,
        medical=None if r is None or r.medical_certified_on is None else Medical(
            certified_on=r.medical_certified_on, expires_on=r.medical_expires_on,
            certifier=r.medical_certifier, recorded_by=r.medical_recorded_by,
            in_force=domain.medical_in_force(f, today)),
        financial=None if r is None or r.financial_on is None else Financial(
            basis=r.financial_basis, on=r.financial_on, recorded_by=r.financial_recorded_by),
        willing=None if r is None or r.willing_on is None else Willing(
            on=r.willing_on, recorded_by=r.willing_recorded_by),
        low_income=None if r is None or r.low_income_on is None else LowIncome(
            basis=r.low_income_basis, on=r.low_income_on, until=r.low_income_until,
            recorded_by=r.low_income_recorded_by, in_force=domain.low_income(f, today)),
        reached=None if r is None or r.reached_on is None else Reached(
            on=r.reached_on, how=r.reached_how, recorded_by=r.reached_recorded_by),
        interest_waived_on=None if r is None else r.interest_waived_on,
        protected=domain.protected(f, today))


async def get(s: AsyncSession, account_id: uuid.UUID, today: date) -> ProtectionsOut:
    await copy.account(s, account_id)  # 404 for an account the copy does not know
    return _out(account_id, await repo.get(s, account_id), today)


def _check(problem: str | None, field: str) -> None:
    if problem:
        raise Unprocessable(problem, field=field)


async def record(s: AsyncSession, who: Principal, account_id: uuid.UUID, body: ProtectionsIn,
                 today: date) -> ProtectionsOut:
    """Record the sections given (each replaces what was recorded for it) and withdraw those in
    `clear`; who recorded each is kept beside it, the change in the audit log."""
    await copy.account(s, account_id)
    values: dict[str, object] = {}
    for section in body.clear:
        values.update(dict.fromkeys(repo.COLUMNS[section]))
    if (m := body.medical) is not None:
        _check(domain.dates_problem(m.certified_on, m.expires_on, today, "A certification"),
               "medical")
        values.update(medical_certified_on=m.certified_on, medical_expires_on=m.expires_on,
                      medical_certifier=m.certifier, medical_recorded_by=who.sub)
    if (fi := body.financial) is not None:
        _check(domain.dates_problem(fi.on, None, today, "Financial inability"), "financial")
        values.update(financial_basis=fi.basis, financial_on=fi.on,
                      financial_recorded_by=who.sub)
    if (w := body.willing) is not None:
        _check(domain.dates_problem(w.on, None, today, "Willingness"), "willing")
        values.update(willing_on=w.on, willing_recorded_by=who.sub)
    if (li := body.low_income) is not None:
        _check(domain.dates_problem(li.on, li.until, today, "Low-income status"), "low_income")
        values.update(low_income_basis=li.basis, low_income_on=li.on,
                      low_income_until=li.until, low_income_recorded_by=who.sub)
    if (rc := body.reached) is not None:
        _check(domain.dates_problem(rc.on, None, today, "A contact"), "reached")
        values.update(reached_on=rc.on, reached_how=rc.how, reached_recorded_by=who.sub)
    if not values:
        raise Unprocessable("Nothing to record: give a section or `clear`", field="body")
    before = await repo.get(s, account_id, lock=True)
    await repo.set_sections(s, account_id, values)
    after = _out(account_id, await repo.get(s, account_id), today)
    await audit.record(s, who, "protections.record", "account", str(account_id),
                       before=None if before is None else _out(account_id, before, today),
                       after=after)
    return after


async def facts(s: AsyncSession, account_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID,
                                                                              domain.Facts]:
    """The recorded facts of many accounts in one statement (accounts with none are absent)."""
    return {r.account_id: _facts(r) for r in await repo.many(s, account_ids)}


async def low_income(s: AsyncSession, account_id: uuid.UUID, today: date) -> bool:
    return domain.low_income(_facts(await repo.get(s, account_id)), today)


async def interest_waivable(s: AsyncSession, account_ids: list[uuid.UUID], today: date,
                            months: int) -> list[uuid.UUID]:
    """SB 998: which of these low-income households may have interest waived today (once in
    `months`; the policy's floor is 12)."""
    return await repo.interest_waivable(s, account_ids, today, months)


async def record_interest_waivers(s: AsyncSession, account_ids: list[uuid.UUID],
                                  on: date) -> None:
    await repo.record_interest_waivers(s, account_ids, on)
