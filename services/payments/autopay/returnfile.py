"""The bank's ACH return file imported: returns reverse their debit's payment, prenote returns
and "account unusable" returns end the enrolment, notifications of change correct it.

Each entry names the original debit only by its trace number. A payment is reversed through
payments' one return path (`returns.service.return_payment`, reason `ach_return`, key
`ach:<original trace>`), which assesses the returned-payment fee, counts the return toward
cash-only and announces `payments.PaymentReturned`. Each original trace is acted on once per
kind (`autopay_returns`), and a file seen before (same SHA-256) answers with its first import:
the same return file twice, or a return repeated in a later file, changes nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.bankaccount import (
    AccountType,
    BankAccount,
    InvalidBankAccountNumber,
    InvalidRoutingNumber,
)
from kernel.errors import Conflict
from services.payments.autopay import repository as repo
from services.payments.autopay import returns as ach
from services.payments.autopay import service
from services.payments.autopay.repository import NewReturn, ReturnImport
from services.payments.autopay.returns import ReturnAction
from services.payments.autopay.schemas import ReturnImportOut, ReturnLine
from services.payments.returns import service as returns

#: Outcomes that did something (the rest: unmatched, already ended, nothing to correct).
APPLIED = frozenset({"reversed_enrolment_kept", "reversed_enrolment_ended",
                     "prenote_returned_enrolment_ended", "corrected"})


async def import_file(s: AsyncSession, who: Principal, content: bytes,
                      received_on: date) -> ReturnImportOut:
    parsed = ach.parse_return_file(content)  # refuses a damaged or oversized file whole
    sha256 = hashlib.sha256(content).hexdigest()
    await repo.lock(s, "returns")
    prior = await repo.import_by_hash(s, sha256)
    if prior is not None:
        return await _out(s, prior, duplicate=True)
    rows: list[NewReturn] = []
    seen: set[tuple[str, str]] = set()
    for r in parsed.returns:
        if ("return", r.original_trace) in seen or await repo.return_seen(
                s, r.original_trace, "return"):
            continue
        seen.add(("return", r.original_trace))
        rows.append(await _return(s, who, r, received_on))
    for c in parsed.changes:
        if ("change", c.original_trace) in seen or await repo.return_seen(
                s, c.original_trace, "change"):
            continue
        seen.add(("change", c.original_trace))
        rows.append(await _change(s, who, c))
    applied = sum(1 for r in rows if r.outcome in APPLIED)
    imp = await repo.insert_import(
        s, import_id=uuid.uuid4(), sha256=sha256, received_on=received_on,
        counts=(len(parsed.returns), len(parsed.changes), applied,
                sum(1 for r in rows if r.outcome == "unmatched")), by=who.sub)
    await repo.insert_returns(s, imp.id, rows)
    await audit.record(s, who, "import-ach-returns", "autopay_return_import", str(imp.id),
                       after={"sha256": sha256, "returns": imp.return_count,
                              "changes": imp.change_count, "applied": applied})
    return await _out(s, imp, duplicate=False)


async def _out(s: AsyncSession, imp: ReturnImport, *, duplicate: bool) -> ReturnImportOut:
    lines = [ReturnLine(original_trace=r.original_trace, kind=r.kind,
                        code=r.code, outcome=r.outcome, account_id=r.account_id,
                        payment_id=r.payment_id, amount=r.amount)
             for r in await repo.returns_of_import(s, imp.id)]
    return ReturnImportOut(
        id=imp.id, sha256=imp.sha256, received_on=imp.received_on,
        return_count=imp.return_count, change_count=imp.change_count,
        applied_count=imp.applied_count, unmatched_count=imp.unmatched_count,
        imported_by=imp.imported_by, imported_at=imp.imported_at, duplicate=duplicate,
        lines=lines)


async def _return(s: AsyncSession, who: Principal, r: ach.ReturnedEntry,
                  received_on: date) -> NewReturn:
    decision = ach.classify_return(r.return_code)
    debit = await repo.debit_by_trace(s, r.original_trace)
    if debit is not None and debit.payment_id is not None:
        outcome = "reversed_enrolment_kept"
        try:
            await returns.return_payment(
                s, who, debit.payment_id, reason="ach_return", return_code=decision.code,
                returned_on=received_on, return_key=f"ach:{r.original_trace}",
                note=decision.customer_reason)
        except Conflict:
            # Staff already returned this payment by hand: it is not reversed twice.
            outcome = "already_returned"
        await repo.mark_returned(s, debit.id, decision.code)
        if decision.action is ReturnAction.REVERSE_END_ENROLMENT:
            outcome = ("reversed_enrolment_ended" if outcome != "already_returned"
                       else outcome)
            e = await repo.enrolment(s, debit.enrolment_id, lock=True)
            if e is not None and e.status == "active":
                await service.end_enrolment(s, who, e, reason=decision.customer_reason,
                                            on=received_on, return_code=decision.code)
        return NewReturn(r.original_trace, "return", decision.code, outcome, debit.id,
                         debit.enrolment_id, debit.payment_id, r.amount)
    prenoted = await repo.enrolment_by_prenote(s, r.original_trace)
    if prenoted is not None:
        # The account could not be proven: whatever the code, no money is taken from it.
        if prenoted.status == "active":
            await service.end_enrolment(s, who, prenoted, reason=decision.customer_reason,
                                        on=received_on, return_code=decision.code)
        return NewReturn(r.original_trace, "return", decision.code,
                         "prenote_returned_enrolment_ended", None, prenoted.id, None, None)
    return NewReturn(r.original_trace, "return", decision.code, "unmatched", None, None, None,
                     r.amount)


async def _change(s: AsyncSession, who: Principal, c: ach.ChangeNotice) -> NewReturn:
    """A notification of change: the enrolment's bank details corrected before its next
    debit (re-sealed, re-hashed, shown masked); no prenote again (NACHA)."""
    debit = await repo.debit_by_trace(s, c.original_trace)
    e = (await repo.enrolment(s, debit.enrolment_id, lock=True) if debit is not None
         else await repo.enrolment_by_prenote(s, c.original_trace))

    def row(outcome: str) -> NewReturn:
        return NewReturn(c.original_trace, "change", c.change_code, outcome,
                         debit.id if debit else None, e.id if e else None, None, None)

    if e is None:
        return row("unmatched")
    if e.status != "active" or e.account_token is None or not e.routing_number:
        return row("enrolment_ended")
    ring = service.keyring()
    number = ring.decrypt(e.account_token, context=str(e.id))
    routing, corrected, kind = ach.apply_change(
        e.routing_number, number, AccountType(e.account_type or "checking"), c)
    if (routing, corrected, kind) == (e.routing_number, number, e.account_type):
        return row("nothing_to_correct")
    try:
        bank = BankAccount.parse(routing, corrected, str(kind))
    except (InvalidRoutingNumber, InvalidBankAccountNumber):
        return row("correction_invalid")
    display = f"{bank.account_type} {bank.masked}"
    await repo.correct_bank_account(
        s, e.id, routing=bank.routing_number, account_type=str(bank.account_type),
        token=ring.encrypt(bank.account_number, context=str(e.id)),
        account_hash=service.account_hash(bank.routing_number, bank.account_number),
        display=display)
    await audit.record(s, who, "correct-autopay-bank-account", "autopay_enrolment", str(e.id),
                       before={"display": e.display, "routing_number": e.routing_number},
                       after={"display": display, "routing_number": bank.routing_number},
                       reason=f"notification of change {c.change_code}")
    return row("corrected")
