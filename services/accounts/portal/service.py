"""Registration proofs and the copy of bill totals they are checked against."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.errors import NotFound
from services.accounts.portal import domain, repository
from services.accounts.portal.domain import BillFact
from services.accounts.portal.schemas import ProofIn, ProofOut


async def check_proof(session: AsyncSession, proof: ProofIn) -> ProofOut:
    """The account a proof names, or 404 when the number is unknown, the account closed or
    the fact wrong: one answer for all three, so a guess learns nothing about which it was."""
    account = await repository.account_by_number(session,
                                                 domain.account_number(proof.account_number))
    if account is not None:
        total = (await repository.last_bill_total(session, account.id)
                 if proof.last_bill_amount is not None else None)
        zips = (await repository.service_zips(session, account.id)
                if proof.service_zip is not None else [])
        if domain.proof_holds(account.status, total, zips, proof.last_bill_amount,
                              proof.service_zip):
            return ProofOut(account_id=account.id, account_number=account.number)
    raise NotFound("No account matches this account number and bill fact")


async def bills_issued(session: AsyncSession, bills: list[BillFact]) -> None:
    await repository.upsert_bills(session, bills)


async def bills_cancelled(session: AsyncSession, bills: list[tuple[str, str]]) -> None:
    await repository.mark_cancelled(session, bills)


async def ensure_bill_of_account(session: AsyncSession, account_id: uuid.UUID,
                                 bill_id: uuid.UUID) -> None:
    """A bill named with an account (a high-bill review, a request about a bill) must be that
    account's: another account's bill answers 404 exactly as an unknown one, so a customer
    cannot attach another customer's bill to their own account. A bill whose `BillIssued`
    has not reached accounts yet is unknown here too, and waits for it."""
    if await repository.bill_account(session, bill_id) != account_id:
        raise NotFound("No such bill", field="bill_id")
