"""All SQL of closed accounts: the cases, balance transfers, agency referrals and payments, and
write-offs. It reads collections' copy (accounts, customers, the receivable) and writes only its
own tables. The daily step is set-based: one statement per step whatever the number of cases."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.outbox import publish_batch
from kernel.outbox_after import publishing_after
from kernel.rows import all_as, first_as, one_as

# How the steps read balances. The receivable is a view of a UNION ALL that PostgreSQL cannot
# join to by index: joined to a young closed_cases (which the planner takes for one row) it is
# scanned once per case, quadratic over a district. So each step takes three set-based
# statements instead: the accounts of the cases it looks at (`_accounts`), their balances in
# one aggregate restricted by that array (a restriction reaches every branch of the view, read
# by index: `balances_of`), and the change restricted by the array of accounts the rule picks.


async def _accounts(s: AsyncSession, where: str, params: dict[str, object]) -> list[uuid.UUID]:
    """The accounts of the cases `where` (on `c`, closed_cases) selects."""
    return [uuid.UUID(str(x)) for x in (await s.execute(text(
        f"SELECT c.account_id FROM closed_cases c WHERE {where}"), params)).scalars().all()]


async def balances_of(s: AsyncSession, accounts: list[uuid.UUID],
                      today: date) -> dict[uuid.UUID, Decimal]:
    """Each account's balance as of `today` (the copy's receivable, as billing's ledger has
    it), in one statement; an account with no entry owes nothing."""
    if not accounts:
        return {}
    got = {uuid.UUID(str(r[0])): Decimal(r[1]) for r in (await s.execute(text(
        "SELECT account_id, sum(amount) FROM receivable "
        "WHERE account_id = ANY(CAST(:accts AS uuid[])) AND posted_on <= :d "
        "GROUP BY account_id"), {"accts": accounts, "d": today})).all()}
    return {a: got.get(a, Decimal("0.00")) for a in accounts}


@dataclass(frozen=True, slots=True)
class Case:
    id: uuid.UUID
    account_id: uuid.UUID
    customer_id: uuid.UUID | None
    closed_on: date | None
    opened_on: date
    opening_balance: Decimal
    status: str
    transfer_to: uuid.UUID | None
    offer_declined_by: str | None
    offer_declined_at: datetime | None
    letter_1_on: date | None
    letter_2_on: date | None
    referral_id: uuid.UUID | None
    referred_on: date | None
    referred_amount: Decimal | None
    recalled_on: date | None
    ended_on: date | None


@dataclass(frozen=True, slots=True)
class CaseRow(Case):
    """A case with what the worklist shows beside it."""

    number: str | None
    name: str | None
    balance: Decimal
    transfer_to_number: str | None


async def open_cases(s: AsyncSession, today: date, grace_days: int,
                     minimum: Decimal) -> int:
    """Closed accounts owing at least `minimum` `grace_days` after their closing bill's due
    date become cases; the customer's active account (the latest opened), when there is one,
    is offered for a transfer first. A case that was paid and owes again is worked again
    where it stood."""
    accts = [uuid.UUID(str(x)) for x in (await s.execute(text("""
        SELECT a.id FROM accounts a
        JOIN LATERAL (SELECT max(due_date) AS due FROM bills
                      WHERE account_id = a.id AND status = 'open' AND total IS NOT NULL
                        AND bill_date <= :d
                        AND (a.closed_on IS NULL OR bill_date >= a.closed_on)) cb
             ON cb.due IS NOT NULL
        WHERE a.status = 'closed' AND cb.due + CAST(:grace AS integer) <= :d
          AND NOT EXISTS (SELECT 1 FROM closed_cases c WHERE c.account_id = a.id)"""),
        {"d": today, "grace": grace_days})).scalars().all()]
    bal = await balances_of(s, accts, today)
    owing = [a for a in accts if bal[a] >= minimum]
    opened = 0
    if owing:
        opened = int(getattr(await s.execute(text("""
            INSERT INTO closed_cases (id, account_id, customer_id, closed_on, opened_on,
                                      opening_balance, status, transfer_to)
            SELECT gen_random_uuid(), a.id, a.customer_id, a.closed_on, :d, v.balance,
                   CASE WHEN t.id IS NULL THEN 'letters' ELSE 'transfer_offered' END, t.id
            FROM unnest(CAST(:accts AS uuid[]), CAST(:bals AS numeric[])) AS v(id, balance)
            JOIN accounts a ON a.id = v.id
            LEFT JOIN LATERAL (SELECT o.id FROM accounts o
                               WHERE o.customer_id = a.customer_id AND o.status = 'active'
                                 AND o.id <> a.id
                               ORDER BY o.opened_on DESC NULLS LAST, o.id LIMIT 1) t ON true
            ON CONFLICT (account_id) DO NOTHING"""),
            {"d": today, "accts": owing, "bals": [bal[a] for a in owing]}), "rowcount", 0))
    paid = "c.status = 'paid'"
    again = await _accounts(s, paid, {})
    bal = await balances_of(s, again, today)
    owe_again = [a for a in again if bal[a] >= minimum]
    if owe_again:
        await s.execute(text(f"""
            UPDATE closed_cases c
            SET status = CASE WHEN c.referral_id IS NULL THEN 'letters' ELSE 'referred' END,
                ended_on = NULL, recalled_on = NULL
            WHERE c.account_id = ANY(CAST(:accts AS uuid[])) AND {paid}"""),
            {"accts": owe_again})
    return opened


@dataclass(frozen=True, slots=True)
class Settled:
    id: uuid.UUID
    account_id: uuid.UUID
    referral_id: uuid.UUID | None
    recalled: bool


async def settle_paid(s: AsyncSession, today: date) -> list[Settled]:
    """Open cases whose balance is paid end as `paid`; a referred one is recalled from the
    agency the same day."""
    open_ = "c.status IN ('transfer_offered', 'letters', 'referred')"
    accts = await _accounts(s, open_, {})
    bal = await balances_of(s, accts, today)
    paid = [a for a in accts if bal[a] <= 0]
    if not paid:
        return []
    return all_as(Settled, await s.execute(text(f"""
        UPDATE closed_cases c
        SET status = 'paid', ended_on = :d,
            recalled_on = CASE WHEN c.status = 'referred' THEN :d ELSE c.recalled_on END
        WHERE c.account_id = ANY(CAST(:accts AS uuid[])) AND {open_}
        RETURNING c.id, c.account_id, c.referral_id, c.recalled_on = :d AS recalled"""),
        {"d": today, "accts": paid}))


@dataclass(frozen=True, slots=True)
class Lettered:
    id: uuid.UUID
    account_id: uuid.UUID
    balance: Decimal


_LETTER_1 = """c.letter_1_on IS NULL
          AND (c.status = 'letters'
               OR (c.status = 'transfer_offered'
                   AND (c.offer_declined_at IS NOT NULL
                        OR c.opened_on + CAST(:offer AS integer) <= :d)))"""


async def _take_letter(s: AsyncSession, today: date, where: str, params: dict[str, object],
                       change: str) -> list[Lettered]:
    accts = await _accounts(s, where, params)
    bal = await balances_of(s, accts, today)
    owing = [a for a in accts if bal[a] > 0]
    if not owing:
        return []
    rows = (await s.execute(text(f"""
        UPDATE closed_cases c SET {change}
        WHERE c.account_id = ANY(CAST(:accts AS uuid[])) AND {where}
        RETURNING c.id, c.account_id"""), {**params, "accts": owing})).all()
    return [Lettered(uuid.UUID(str(r[0])), uuid.UUID(str(r[1])), bal[uuid.UUID(str(r[1]))])
            for r in rows]


async def take_letter_1(s: AsyncSession, today: date, offer_days: int) -> list[Lettered]:
    """Letter 1 for every case with no transfer to offer, or whose offer was declined or has
    waited `offer_days`, still owing."""
    return await _take_letter(s, today, _LETTER_1, {"d": today, "offer": offer_days},
                              "status = 'letters', letter_1_on = :d")


_LETTER_2 = """c.status = 'letters' AND c.letter_2_on IS NULL
          AND c.letter_1_on + CAST(:after AS integer) <= :d"""


async def take_letter_2(s: AsyncSession, today: date, after_days: int) -> list[Lettered]:
    return await _take_letter(s, today, _LETTER_2, {"d": today, "after": after_days},
                              "letter_2_on = :d")


_CASE_ROWS = """
    SELECT c.*, a.number, cu.name, 0.00 AS balance, t.number AS transfer_to_number
    FROM closed_cases c
    LEFT JOIN accounts a ON a.id = c.account_id
    LEFT JOIN customers cu ON cu.id = a.customer_id
    LEFT JOIN accounts t ON t.id = c.transfer_to
    WHERE c.account_id = ANY(CAST(:accts AS uuid[]))
    ORDER BY c.opened_on, a.number
"""


async def _case_rows(s: AsyncSession, accts: list[uuid.UUID], today: date) -> list[CaseRow]:
    if not accts:
        return []
    bal = await balances_of(s, accts, today)
    return [dataclasses.replace(r, balance=bal[r.account_id]) for r in all_as(
        CaseRow, await s.execute(text(_CASE_ROWS), {"accts": accts}))]


async def worklist(s: AsyncSession, today: date, statuses: tuple[str, ...],
                   limit: int) -> list[CaseRow]:
    """A page of cases (oldest first), their balances read for that page only."""
    accts = [uuid.UUID(str(x)) for x in (await s.execute(text(
        "SELECT c.account_id FROM closed_cases c LEFT JOIN accounts a ON a.id = c.account_id "
        "WHERE c.status = ANY(:st) ORDER BY c.opened_on, a.number LIMIT :n"),
        {"st": list(statuses), "n": limit})).scalars().all()]
    return await _case_rows(s, accts, today)


async def case_row(s: AsyncSession, account_id: uuid.UUID, today: date) -> CaseRow | None:
    rows = await _case_rows(s, [account_id], today)
    return rows[0] if rows else None


async def lock_case(s: AsyncSession, account_id: uuid.UUID) -> Case | None:
    return first_as(Case, await s.execute(text(
        "SELECT * FROM closed_cases WHERE account_id = :a FOR UPDATE"), {"a": account_id}))


async def case_by_id(s: AsyncSession, case_id: uuid.UUID, lock: bool = False) -> Case | None:
    return first_as(Case, await s.execute(text(
        "SELECT * FROM closed_cases WHERE id = :c" + (" FOR UPDATE" if lock else "")),
        {"c": case_id}))


@dataclass(frozen=True, slots=True)
class Balance:
    balance: Decimal
    all_entries: Decimal
    announced: Decimal | None


async def balance(s: AsyncSession, account_id: uuid.UUID, today: date) -> Balance:
    """The account's balance as of `today` in the copy, the sum of all its entries, and the
    balance billing last announced (to see a copy that is behind)."""
    return one_as(Balance, await s.execute(text(
        "SELECT coalesce(sum(amount) FILTER (WHERE posted_on <= :d), 0.00) AS balance, "
        "coalesce(sum(amount), 0.00) AS all_entries, "
        "(SELECT balance FROM balances WHERE account_id = :a) AS announced "
        "FROM receivable WHERE account_id = :a"), {"a": account_id, "d": today}))


@dataclass(frozen=True, slots=True)
class AccountBrief:
    id: uuid.UUID
    number: str
    customer_id: uuid.UUID | None
    status: str


async def account(s: AsyncSession, account_id: uuid.UUID) -> AccountBrief | None:
    return first_as(AccountBrief, await s.execute(text(
        "SELECT id, number, customer_id, status FROM accounts WHERE id = :a"),
        {"a": account_id}))


async def account_by_number(s: AsyncSession, number: str) -> AccountBrief | None:
    return first_as(AccountBrief, await s.execute(text(
        "SELECT id, number, customer_id, status FROM accounts WHERE number = :n"),
        {"n": number}))


async def decline_offer(s: AsyncSession, case_id: uuid.UUID, who: str) -> None:
    await s.execute(text(
        "UPDATE closed_cases SET offer_declined_by = :w, offer_declined_at = now() "
        "WHERE id = :c"), {"c": case_id, "w": who})


async def end_case(s: AsyncSession, case_id: uuid.UUID, status: str, today: date) -> None:
    """The case ends (transferred or written off); a referred one is recalled that day."""
    await s.execute(text(
        "UPDATE closed_cases SET status = :st, ended_on = :d, recalled_on = CASE "
        "WHEN status = 'referred' THEN :d ELSE recalled_on END WHERE id = :c"),
        {"c": case_id, "st": status, "d": today})


# ---- balance transfers -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Transfer:
    id: uuid.UUID
    case_id: uuid.UUID
    from_account_id: uuid.UUID
    to_account_id: uuid.UUID
    amount: Decimal
    transferred_on: date
    confirmed_by: str
    reason: str | None


async def insert_transfer(s: AsyncSession, t: Transfer) -> None:
    await s.execute(text(
        "INSERT INTO balance_transfers (id, case_id, from_account_id, to_account_id, amount, "
        "transferred_on, confirmed_by, reason) VALUES (:id, :case_id, :from_account_id, "
        ":to_account_id, :amount, :transferred_on, :confirmed_by, :reason)"),
        {"id": t.id, "case_id": t.case_id, "from_account_id": t.from_account_id,
         "to_account_id": t.to_account_id, "amount": t.amount,
         "transferred_on": t.transferred_on, "confirmed_by": t.confirmed_by,
         "reason": t.reason})


async def transfer_of(s: AsyncSession, case_id: uuid.UUID) -> Transfer | None:
    return first_as(Transfer, await s.execute(text(
        "SELECT * FROM balance_transfers WHERE case_id = :c"), {"c": case_id}))


# ---- agency referrals ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Referral:
    id: uuid.UUID
    agency: str
    referred_on: date
    accounts: int
    total: Decimal
    created_by: str


@dataclass(frozen=True, slots=True)
class ReferredCase:
    account_id: uuid.UUID
    referred_amount: Decimal


_REFERRAL = """c.status = 'letters' AND c.letter_2_on IS NOT NULL
          AND c.letter_2_on + CAST(:after AS integer) <= :d"""


async def refer_due(s: AsyncSession, referral: Referral, after_days: int,
                    minimum: Decimal) -> list[ReferredCase]:
    """Every case whose letter 2 is `after_days` old and still owes at least `minimum` joins
    the referral (one statement); the referral row is written with its count and total."""
    await s.execute(text(
        "INSERT INTO agency_referrals (id, agency, referred_on, accounts, total, created_by) "
        "VALUES (:id, :agency, :d, 0, 0, :who)"),
        {"id": referral.id, "agency": referral.agency, "d": referral.referred_on,
         "who": referral.created_by})
    params: dict[str, object] = {"d": referral.referred_on, "after": after_days}
    accts = await _accounts(s, _REFERRAL, params)
    bal = await balances_of(s, accts, referral.referred_on)
    due = [a for a in accts if bal[a] >= minimum]
    rows = [] if not due else all_as(ReferredCase, await s.execute(text(f"""
        UPDATE closed_cases c SET status = 'referred', referral_id = :rid, referred_on = :d,
               referred_amount = v.amount
        FROM unnest(CAST(:accts AS uuid[]), CAST(:amounts AS numeric[])) AS v(id, amount)
        WHERE c.account_id = v.id AND {_REFERRAL}
        RETURNING c.account_id, c.referred_amount"""),
        {**params, "rid": referral.id, "accts": due, "amounts": [bal[a] for a in due]}))
    await s.execute(text(
        "UPDATE agency_referrals SET accounts = :n, total = :t WHERE id = :id"),
        {"id": referral.id, "n": len(rows),
         "t": sum((r.referred_amount for r in rows), Decimal("0.00"))})
    return rows


async def referral(s: AsyncSession, referral_id: uuid.UUID) -> Referral | None:
    return first_as(Referral, await s.execute(text(
        "SELECT * FROM agency_referrals WHERE id = :r"), {"r": referral_id}))


async def referrals(s: AsyncSession, limit: int) -> list[Referral]:
    return all_as(Referral, await s.execute(text(
        "SELECT * FROM agency_referrals ORDER BY referred_on DESC, created_at DESC LIMIT :n"),
        {"n": limit}))


@dataclass(frozen=True, slots=True)
class ReferredAccount:
    number: str
    name: str | None
    account_mailing: str
    customer_mailing: str | None
    phones: str
    emails: str
    language: str
    referred_amount: Decimal
    last_payment_on: date | None
    closed_on: date | None
    referred_on: date


async def referred_accounts(s: AsyncSession, referral_id: uuid.UUID) -> list[ReferredAccount]:
    """What the agency's file says about each account of a referral."""
    return all_as(ReferredAccount, await s.execute(text("""
        SELECT a.number, cu.name, CAST(a.mailing AS text) AS account_mailing,
               CAST(cu.mailing AS text) AS customer_mailing,
               CAST(coalesce(cu.phones, '[]'::jsonb) AS text) AS phones,
               CAST(coalesce(cu.emails, '[]'::jsonb) AS text) AS emails,
               coalesce(a.language, cu.language, 'en') AS language, c.referred_amount,
               (SELECT max(e.posted_on) FROM ledger_entries e
                WHERE e.account_id = c.account_id AND e.kind = 'payment' AND e.amount < 0)
                   AS last_payment_on,
               c.closed_on, c.referred_on
        FROM closed_cases c JOIN accounts a ON a.id = c.account_id
        LEFT JOIN customers cu ON cu.id = a.customer_id
        WHERE c.referral_id = :r ORDER BY a.number"""), {"r": referral_id}))


@dataclass(frozen=True, slots=True)
class Recall:
    number: str
    name: str | None
    referral_id: uuid.UUID
    referred_on: date
    recalled_on: date
    status: str


async def recalls(s: AsyncSession, since: date, until: date) -> list[Recall]:
    return all_as(Recall, await s.execute(text(
        "SELECT a.number, cu.name, c.referral_id, c.referred_on, c.recalled_on, c.status "
        "FROM closed_cases c JOIN accounts a ON a.id = c.account_id "
        "LEFT JOIN customers cu ON cu.id = a.customer_id "
        "WHERE c.recalled_on BETWEEN :s AND :u ORDER BY c.recalled_on, a.number"),
        {"s": since, "u": until}))


# ---- the agency's payments -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AgencyPayment:
    id: uuid.UUID
    case_id: uuid.UUID
    account_id: uuid.UUID
    agency_reference: str
    amount: Decimal
    fee: Decimal
    fee_added: bool
    received_on: date
    recorded_by: str
    source: str


@dataclass(frozen=True, slots=True)
class Known:
    agency_reference: str
    number: str | None
    amount: Decimal
    fee: Decimal
    received_on: date


async def known_references(s: AsyncSession, refs: list[str]) -> list[Known]:
    return all_as(Known, await s.execute(text(
        "SELECT p.agency_reference, a.number, p.amount, p.fee, p.received_on "
        "FROM agency_payments p LEFT JOIN accounts a ON a.id = p.account_id "
        "WHERE p.agency_reference = ANY(:r)"), {"r": refs}))


@dataclass(frozen=True, slots=True)
class ReferredNumber:
    number: str
    account_id: uuid.UUID


async def referred_numbers(s: AsyncSession, numbers: list[str]) -> list[ReferredNumber]:
    """Which of these account numbers were referred to the agency."""
    return all_as(ReferredNumber, await s.execute(text(
        "SELECT a.number, a.id AS account_id FROM accounts a "
        "JOIN closed_cases c ON c.account_id = a.id AND c.referral_id IS NOT NULL "
        "WHERE a.number = ANY(:n)"), {"n": numbers}))


# One statement for any number of payments: each is recorded once by the agency's reference (a
# file sent twice records nothing new) and announced with `collections.AgencyPaymentRecorded`
# in the same statement.
_RECORD = publishing_after(
    """
    ln AS (
        SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:numbers AS text[]),
                             CAST(:amounts AS numeric[]), CAST(:fees AS numeric[]),
                             CAST(:dates AS date[]), CAST(:refs AS text[]))
               AS t(id, number, amount, fee, received_on, reference)
    ), ins AS (
        INSERT INTO agency_payments (id, case_id, account_id, agency_reference, amount, fee,
                                     fee_added, received_on, recorded_by, source)
        SELECT ln.id, c.id, c.account_id, ln.reference, ln.amount, ln.fee, :fee_added,
               ln.received_on, :who, :source
        FROM ln JOIN accounts a ON a.number = ln.number
        JOIN closed_cases c ON c.account_id = a.id AND c.referral_id IS NOT NULL
        ON CONFLICT DO NOTHING
        RETURNING id, account_id, amount, fee, fee_added, received_on, agency_reference
    )""",
    """
    SELECT gen_random_uuid() AS event_id, 'collections.AgencyPaymentRecorded' AS type,
           1 AS version, 'account:' || account_id AS key,
           jsonb_build_object('payment_id', id, 'account_id', account_id,
                              'amount', amount::text, 'fee', fee::text,
                              'fee_added_to_debt', fee_added,
                              'received_on', received_on::text,
                              'agency_reference', agency_reference) AS payload,
           agency_reference AS ord
    FROM ins""")


async def record_payments(s: AsyncSession, ids: list[uuid.UUID], numbers: list[str],
                          amounts: list[Decimal], fees: list[Decimal], dates: list[date],
                          refs: list[str], fee_added: bool, who: str, source: str) -> int:
    """Records the payments not yet recorded and announces each; returns how many were new."""
    return await publish_batch(s, _RECORD, {
        "ids": ids, "numbers": numbers, "amounts": amounts, "fees": fees, "dates": dates,
        "refs": refs, "fee_added": fee_added, "who": who, "source": source}, actor=who)


async def payments_of(s: AsyncSession, account_id: uuid.UUID) -> list[AgencyPayment]:
    return all_as(AgencyPayment, await s.execute(text(
        "SELECT * FROM agency_payments WHERE account_id = :a ORDER BY received_on, created_at"),
        {"a": account_id}))


async def payment(s: AsyncSession, payment_id: uuid.UUID) -> AgencyPayment | None:
    return first_as(AgencyPayment, await s.execute(text(
        "SELECT * FROM agency_payments WHERE id = :p"), {"p": payment_id}))


# ---- write-offs ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class WriteOff:
    id: uuid.UUID
    case_id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal
    reason: str
    status: str
    requested_by: str
    requested_role: str
    requested_on: date
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    written_off_on: date | None


async def insert_write_off(s: AsyncSession, w: WriteOff) -> None:
    await s.execute(text(
        "INSERT INTO write_offs (id, case_id, account_id, amount, reason, status, requested_by, "
        "requested_role, requested_on) VALUES (:id, :c, :a, :amt, :r, 'pending', :by, :role, "
        ":on)"), {"id": w.id, "c": w.case_id, "a": w.account_id, "amt": w.amount,
                  "r": w.reason, "by": w.requested_by, "role": w.requested_role,
                  "on": w.requested_on})


async def open_write_off(s: AsyncSession, case_id: uuid.UUID) -> WriteOff | None:
    return first_as(WriteOff, await s.execute(text(
        "SELECT * FROM write_offs WHERE case_id = :c AND status <> 'rejected'"),
        {"c": case_id}))


async def write_off(s: AsyncSession, write_off_id: uuid.UUID,
                    lock: bool = False) -> WriteOff | None:
    return first_as(WriteOff, await s.execute(text(
        "SELECT * FROM write_offs WHERE id = :w" + (" FOR UPDATE" if lock else "")),
        {"w": write_off_id}))


async def decide_write_off(s: AsyncSession, write_off_id: uuid.UUID, status: str, who: str,
                           note: str | None, on: date | None) -> WriteOff:
    return one_as(WriteOff, await s.execute(text(
        "UPDATE write_offs SET status = :st, decided_by = :w, decided_at = now(), "
        "decision_note = :n, written_off_on = :on WHERE id = :id RETURNING *"),
        {"id": write_off_id, "st": status, "w": who, "n": note, "on": on}))


async def write_offs(s: AsyncSession, status: str | None, limit: int) -> list[WriteOff]:
    return all_as(WriteOff, await s.execute(text(
        "SELECT * FROM write_offs WHERE (CAST(:st AS text) IS NULL OR status = :st) "
        "ORDER BY requested_on, id LIMIT :n"), {"st": status, "n": limit}))


async def write_offs_of(s: AsyncSession, case_id: uuid.UUID) -> list[WriteOff]:
    return all_as(WriteOff, await s.execute(text(
        "SELECT * FROM write_offs WHERE case_id = :c ORDER BY requested_on, id"),
        {"c": case_id}))
