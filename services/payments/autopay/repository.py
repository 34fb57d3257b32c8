"""All SQL of autopay: enrolments, debits, the NACHA files and the bank's returns.

It writes only its own tables. It reads payments' copy (bills, balances, accounts) in the
queries that pick what is due, so a day's run or file is one query, not one per account; the
copy's own feature still owns and writes those tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as, one_as

_ENROLMENT = ("id, account_id, method, status, display, holder_name, routing_number, "
              "account_type, account_token, account_hash, card_token, prenote_required, "
              "prenote_trace, prenote_effective_on, live_from, enrolled_on, enrolled_by, "
              "cancelled_on, cancel_reason, return_code")
_DEBIT = ("id, enrolment_id, account_id, bill_id, method, amount, due_date, debit_on, status, "
          "drop_reason, file_id, trace_number, sent_amount, payment_id, processor_payment_ref")
_FILE = ("id, cut_on, effective_on, sha256, entry_count, debit_count, prenote_count, total, "
         "entry_hash, block_count, first_trace_seq, last_trace_seq, cut_by, cut_at")
_IMPORT = ("id, sha256, received_on, return_count, change_count, applied_count, "
           "unmatched_count, imported_by, imported_at")


@dataclass(frozen=True, slots=True)
class Enrolment:
    id: uuid.UUID
    account_id: uuid.UUID
    method: str
    status: str
    display: str
    holder_name: str
    routing_number: str | None
    account_type: str | None
    account_token: str | None
    account_hash: str | None
    card_token: str | None
    prenote_required: bool
    prenote_trace: str | None
    prenote_effective_on: date | None
    live_from: date | None
    enrolled_on: date
    enrolled_by: str
    cancelled_on: date | None
    cancel_reason: str | None
    return_code: str | None


@dataclass(frozen=True, slots=True)
class NewEnrolment:
    id: uuid.UUID
    account_id: str
    method: str
    display: str
    holder_name: str
    routing_number: str | None
    account_type: str | None
    account_token: str | None
    account_hash: str | None
    card_token: str | None
    prenote_required: bool
    live_from: date | None
    enrolled_on: date
    enrolled_by: str


@dataclass(frozen=True, slots=True)
class Debit:
    id: uuid.UUID
    enrolment_id: uuid.UUID
    account_id: uuid.UUID
    bill_id: uuid.UUID
    method: str
    amount: Decimal
    due_date: date
    debit_on: date
    status: str
    drop_reason: str | None
    file_id: uuid.UUID | None
    trace_number: str | None
    sent_amount: Decimal | None
    payment_id: uuid.UUID | None
    processor_payment_ref: str | None


@dataclass(frozen=True, slots=True)
class DueBill:
    """An open bill due soon on an account with an active enrolment and no debit for it yet."""

    enrolment_id: uuid.UUID
    account_id: uuid.UUID
    method: str
    live_from: date | None
    prenote_required: bool
    bill_id: uuid.UUID
    due_date: date
    balance: Decimal | None
    cash_only: bool


@dataclass(frozen=True, slots=True)
class DueDebit:
    """A scheduled debit with what the copy says now about its bill, account and enrolment."""

    id: uuid.UUID
    enrolment_id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal
    debit_on: date
    bill_status: str | None
    balance: Decimal | None
    cash_only: bool
    account_number: str | None
    enrolment_status: str
    live_from: date | None
    prenote_required: bool
    routing_number: str | None
    account_type: str | None
    account_token: str | None
    card_token: str | None
    holder_name: str
    #: Other scheduled debits of the account (not yet sent or charged).
    others: Decimal


@dataclass(frozen=True, slots=True)
class AutopayFile:
    id: uuid.UUID
    cut_on: date
    effective_on: date
    sha256: str
    entry_count: int
    debit_count: int
    prenote_count: int
    total: Decimal
    entry_hash: int
    block_count: int
    first_trace_seq: int
    last_trace_seq: int
    cut_by: str
    cut_at: datetime


@dataclass(frozen=True, slots=True)
class ReturnImport:
    id: uuid.UUID
    sha256: str
    received_on: date
    return_count: int
    change_count: int
    applied_count: int
    unmatched_count: int
    imported_by: str
    imported_at: datetime


@dataclass(frozen=True, slots=True)
class ReturnRow:
    original_trace: str
    kind: str
    code: str
    outcome: str
    account_id: uuid.UUID | None
    payment_id: uuid.UUID | None
    amount: Decimal | None


async def lock(s: AsyncSession, name: str) -> None:
    """Serialises a day's job (run, file cut, return import) across processes."""
    await s.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:n, 11))"),
                    {"n": f"autopay:{name}"})


# ---- enrolments -------------------------------------------------------------------------------

async def insert_enrolment(s: AsyncSession, e: NewEnrolment) -> Enrolment:
    return one_as(Enrolment, await s.execute(text(
        "INSERT INTO autopay_enrolments (id, account_id, method, status, display, holder_name, "
        "routing_number, account_type, account_token, account_hash, card_token, "
        "prenote_required, live_from, enrolled_on, enrolled_by) VALUES (:id, :account_id, "
        ":method, 'active', :display, :holder_name, :routing_number, :account_type, "
        ":account_token, :account_hash, :card_token, :prenote_required, :live_from, "
        f":enrolled_on, :enrolled_by) RETURNING {_ENROLMENT}"),
        {f: getattr(e, f) for f in NewEnrolment.__dataclass_fields__}))


async def active_enrolment(s: AsyncSession, account_id: uuid.UUID, *,
                           lock: bool = False) -> Enrolment | None:
    return first_as(Enrolment, await s.execute(text(
        f"SELECT {_ENROLMENT} FROM autopay_enrolments WHERE account_id = :a "
        f"AND status = 'active'{' FOR UPDATE' if lock else ''}"), {"a": account_id}))


async def latest_enrolment(s: AsyncSession, account_id: uuid.UUID) -> Enrolment | None:
    return first_as(Enrolment, await s.execute(text(
        f"SELECT {_ENROLMENT} FROM autopay_enrolments WHERE account_id = :a "
        "ORDER BY (status = 'active') DESC, enrolled_at DESC LIMIT 1"), {"a": account_id}))


async def enrolment(s: AsyncSession, enrolment_id: uuid.UUID, *,
                    lock: bool = False) -> Enrolment | None:
    return first_as(Enrolment, await s.execute(text(
        f"SELECT {_ENROLMENT} FROM autopay_enrolments WHERE id = :id"
        f"{' FOR UPDATE' if lock else ''}"), {"id": enrolment_id}))


async def enrolment_by_prenote(s: AsyncSession, trace: str) -> Enrolment | None:
    return first_as(Enrolment, await s.execute(text(
        f"SELECT {_ENROLMENT} FROM autopay_enrolments WHERE prenote_trace = :t FOR UPDATE"),
        {"t": trace}))


async def same_bank_account(s: AsyncSession, account_hash: str) -> list[Enrolment]:
    """Earlier enrolments of the same bank account (by keyed hash), newest first."""
    return all_as(Enrolment, await s.execute(text(
        f"SELECT {_ENROLMENT} FROM autopay_enrolments WHERE account_hash = :h "
        "ORDER BY enrolled_at DESC"), {"h": account_hash}))


async def cancel_enrolment(s: AsyncSession, enrolment_id: uuid.UUID, on: date, by: str,
                           reason: str, return_code: str | None) -> Enrolment:
    return one_as(Enrolment, await s.execute(text(
        "UPDATE autopay_enrolments SET status = 'cancelled', cancelled_on = :on, "
        "cancelled_by = :by, cancel_reason = :why, return_code = :code "
        f"WHERE id = :id RETURNING {_ENROLMENT}"),
        {"id": enrolment_id, "on": on, "by": by, "why": reason, "code": return_code}))


@dataclass(frozen=True, slots=True)
class WaitingPrenote:
    id: uuid.UUID
    account_id: uuid.UUID
    account_number: str
    routing_number: str
    account_type: str
    account_token: str
    holder_name: str


async def waiting_prenotes(s: AsyncSession) -> list[WaitingPrenote]:
    """Active bank enrolments whose prenote is in no file yet (locked for the cut), with the
    account number the entry shows."""
    return all_as(WaitingPrenote, await s.execute(text(
        "SELECT e.id, e.account_id, coalesce(a.number, '') AS account_number, "
        "e.routing_number, e.account_type, e.account_token, e.holder_name "
        "FROM autopay_enrolments e LEFT JOIN accounts a ON a.id = e.account_id "
        "WHERE e.status = 'active' AND e.method = 'bank' AND e.prenote_required "
        "AND e.prenote_trace IS NULL ORDER BY e.enrolled_at, e.id FOR UPDATE OF e")))


async def set_prenotes(s: AsyncSession, file_id: uuid.UUID, effective_on: date,
                       live_from: date, traces: Sequence[tuple[uuid.UUID, str]]) -> None:
    """The prenotes written in a file, in one statement: trace, file, settlement, live date."""
    if not traces:
        return
    await s.execute(text(
        "UPDATE autopay_enrolments e SET prenote_trace = x.trace, prenote_file_id = :f, "
        "prenote_effective_on = :e, live_from = :l FROM unnest(CAST(:ids AS uuid[]), "
        "CAST(:traces AS text[])) AS x(id, trace) WHERE e.id = x.id"),
        {"f": file_id, "e": effective_on, "l": live_from, "ids": [t[0] for t in traces],
         "traces": [t[1] for t in traces]})


async def correct_bank_account(s: AsyncSession, enrolment_id: uuid.UUID, *, routing: str,
                               account_type: str, token: str, account_hash: str,
                               display: str) -> None:
    await s.execute(text(
        "UPDATE autopay_enrolments SET routing_number = :r, account_type = :t, "
        "account_token = :k, account_hash = :h, display = :d WHERE id = :id"),
        {"id": enrolment_id, "r": routing, "t": account_type, "k": token, "h": account_hash,
         "d": display})


# ---- debits -----------------------------------------------------------------------------------

async def due_bills(s: AsyncSession, horizon: date) -> list[DueBill]:
    """Open bills due by `horizon` (and not before the enrolment) of accounts with an active
    enrolment, that have no debit yet: oldest due date first per account."""
    return all_as(DueBill, await s.execute(text(
        "SELECT e.id AS enrolment_id, e.account_id, e.method, e.live_from, e.prenote_required, "
        "b.id AS bill_id, b.due_date, bal.balance, coalesce(a.cash_only, false) AS cash_only "
        "FROM autopay_enrolments e "
        "JOIN bills b ON b.account_id = e.account_id AND b.status = 'open' "
        "AND b.due_date <= :h AND b.due_date >= e.enrolled_on "
        "LEFT JOIN balances bal ON bal.account_id = e.account_id "
        "LEFT JOIN accounts a ON a.id = e.account_id "
        "WHERE e.status = 'active' AND NOT EXISTS (SELECT 1 FROM autopay_debits d "
        "WHERE d.bill_id = b.id AND d.status <> 'dropped') "
        "ORDER BY e.account_id, b.due_date, b.bill_date"), {"h": horizon}))


async def scheduled_totals(s: AsyncSession, account_ids: Sequence[uuid.UUID]
                           ) -> dict[uuid.UUID, Decimal]:
    rows = (await s.execute(text(
        "SELECT account_id, sum(amount) AS total FROM autopay_debits "
        "WHERE status = 'scheduled' AND account_id = ANY(CAST(:a AS uuid[])) "
        "GROUP BY account_id"), {"a": list(account_ids)})).all()
    return {r.account_id: Decimal(r.total) for r in rows}


@dataclass(frozen=True, slots=True)
class NewDebit:
    enrolment_id: uuid.UUID
    account_id: uuid.UUID
    bill_id: uuid.UUID
    method: str
    amount: Decimal
    due_date: date
    debit_on: date


async def insert_debits(s: AsyncSession, debits: Sequence[NewDebit],
                        scheduled_on: date) -> list[Debit]:
    """All in one INSERT; a bill that got a debit meanwhile (a concurrent run) is skipped."""
    if not debits:
        return []
    cols = ("enrolment_id", "account_id", "bill_id", "method", "amount", "due_date", "debit_on")
    casts = ("uuid", "uuid", "uuid", "text", "numeric", "date", "date")
    return all_as(Debit, await s.execute(text(
        "INSERT INTO autopay_debits (id, enrolment_id, account_id, bill_id, method, amount, "
        "due_date, debit_on, scheduled_on, status) SELECT gen_random_uuid(), x.enrolment_id, "
        "x.account_id, x.bill_id, x.method, x.amount, x.due_date, x.debit_on, :today, "
        "'scheduled' FROM unnest(" + ", ".join(
            f"CAST(:{c} AS {t}[])" for c, t in zip(cols, casts, strict=True))
        + f") WITH ORDINALITY AS x({', '.join(cols)}, ord) ORDER BY x.ord "
        "ON CONFLICT (bill_id) WHERE status <> 'dropped' "
        f"DO NOTHING RETURNING {_DEBIT}"),
        {"today": scheduled_on, **{c: [getattr(d, c) for d in debits] for c in cols}}))


async def due_debits(s: AsyncSession, method: str, by: date) -> list[DueDebit]:
    """Scheduled debits of `method` with a debit date by `by`, locked, with the copy's word on
    their bill, balance and account, and the account's other scheduled debits (summed apart:
    one GROUP BY over the accounts found, whatever the planner thinks of fresh rows)."""
    due = all_as(DueDebit, await s.execute(text(
        "SELECT d.id, d.enrolment_id, d.account_id, d.amount, d.debit_on, "
        "b.status AS bill_status, bal.balance, coalesce(a.cash_only, false) AS cash_only, "
        "a.number AS account_number, e.status AS enrolment_status, e.live_from, "
        "e.prenote_required, e.routing_number, e.account_type, e.account_token, e.card_token, "
        "e.holder_name, "
        "0 AS others "
        "FROM autopay_debits d JOIN autopay_enrolments e ON e.id = d.enrolment_id "
        "LEFT JOIN bills b ON b.id = d.bill_id "
        "LEFT JOIN balances bal ON bal.account_id = d.account_id "
        "LEFT JOIN accounts a ON a.id = d.account_id "
        "WHERE d.status = 'scheduled' AND d.method = :m AND d.debit_on <= :by "
        "ORDER BY d.debit_on, d.account_id, d.due_date FOR UPDATE OF d"),
        {"m": method, "by": by}))
    totals = await scheduled_totals(s, sorted({d.account_id for d in due}))
    return [replace(d, others=totals.get(d.account_id, d.amount) - d.amount) for d in due]


async def drop_debits(s: AsyncSession, ids: Sequence[uuid.UUID], reason: str) -> list[Debit]:
    if not ids:
        return []
    return all_as(Debit, await s.execute(text(
        "UPDATE autopay_debits SET status = 'dropped', drop_reason = :r "
        f"WHERE id = ANY(CAST(:ids AS uuid[])) AND status = 'scheduled' RETURNING {_DEBIT}"),
        {"ids": list(ids), "r": reason}))


async def scheduled_of_enrolment(s: AsyncSession, enrolment_id: uuid.UUID) -> list[uuid.UUID]:
    return [r[0] for r in (await s.execute(text(
        "SELECT id FROM autopay_debits WHERE enrolment_id = :e AND status = 'scheduled' "
        "FOR UPDATE"), {"e": enrolment_id})).all()]


@dataclass(frozen=True, slots=True)
class Sent:
    debit_id: uuid.UUID
    trace: str
    amount: Decimal
    payment_id: uuid.UUID


async def mark_sent(s: AsyncSession, file_id: uuid.UUID, sent: Sequence[Sent]) -> list[Debit]:
    """The file's debits, in one statement: trace, amount sent and the payment posted."""
    if not sent:
        return []
    return all_as(Debit, await s.execute(text(
        "UPDATE autopay_debits d SET status = 'sent', file_id = :f, trace_number = x.trace, "
        "sent_amount = x.amount, payment_id = x.payment_id FROM unnest("
        "CAST(:ids AS uuid[]), CAST(:traces AS text[]), CAST(:amounts AS numeric[]), "
        "CAST(:payments AS uuid[])) AS x(id, trace, amount, payment_id) WHERE d.id = x.id "
        f"RETURNING {', '.join('d.' + c for c in _DEBIT.split(', '))}"),
        {"f": file_id, "ids": [x.debit_id for x in sent], "traces": [x.trace for x in sent],
         "amounts": [x.amount for x in sent], "payments": [x.payment_id for x in sent]}))


async def mark_charged(s: AsyncSession, debit_id: uuid.UUID, status: str, amount: Decimal,
                       processor_ref: str, failure: str | None) -> Debit:
    return one_as(Debit, await s.execute(text(
        "UPDATE autopay_debits SET status = :st, sent_amount = :a, "
        f"processor_payment_ref = :ref, drop_reason = :why WHERE id = :id RETURNING {_DEBIT}"),
        {"id": debit_id, "st": status, "a": amount, "ref": processor_ref, "why": failure}))


async def mark_returned(s: AsyncSession, debit_id: uuid.UUID, code: str) -> None:
    await s.execute(text("UPDATE autopay_debits SET status = 'returned', drop_reason = :c "
                         "WHERE id = :id"), {"id": debit_id, "c": code})


async def debit_by_trace(s: AsyncSession, trace: str) -> Debit | None:
    return first_as(Debit, await s.execute(text(
        f"SELECT {_DEBIT} FROM autopay_debits WHERE trace_number = :t FOR UPDATE"),
        {"t": trace}))


async def debits_of_file(s: AsyncSession, file_id: uuid.UUID) -> list[Debit]:
    return all_as(Debit, await s.execute(text(
        f"SELECT {_DEBIT} FROM autopay_debits WHERE file_id = :f ORDER BY trace_number"),
        {"f": file_id}))


async def debits_of_account(s: AsyncSession, account_id: uuid.UUID) -> list[Debit]:
    return all_as(Debit, await s.execute(text(
        f"SELECT {_DEBIT} FROM autopay_debits WHERE account_id = :a "
        "ORDER BY due_date DESC, created_at DESC"), {"a": account_id}))


# ---- files ------------------------------------------------------------------------------------

async def file_on(s: AsyncSession, cut_on: date) -> AutopayFile | None:
    return first_as(AutopayFile, await s.execute(text(
        f"SELECT {_FILE} FROM autopay_files WHERE cut_on = :d"), {"d": cut_on}))


async def file_content(s: AsyncSession, file_id: uuid.UUID) -> tuple[AutopayFile, str] | None:
    r = (await s.execute(text(
        f"SELECT {_FILE}, content_sealed FROM autopay_files WHERE id = :id"),
        {"id": file_id})).first()
    if r is None:
        return None
    f = AutopayFile(*r[:-1])
    return f, str(r.content_sealed)


async def last_trace_seq(s: AsyncSession) -> int:
    r = (await s.execute(text(
        "SELECT last_trace_seq FROM autopay_files ORDER BY cut_at DESC, last_trace_seq DESC "
        "LIMIT 1")
    )).first()
    return 0 if r is None else int(r[0])


@dataclass(frozen=True, slots=True)
class NewFile:
    id: uuid.UUID
    cut_on: date
    effective_on: date
    file_id_modifier: str
    content_sealed: str
    sha256: str
    entry_count: int
    debit_count: int
    prenote_count: int
    total: Decimal
    entry_hash: int
    block_count: int
    first_trace_seq: int
    last_trace_seq: int
    cut_by: str


async def insert_file(s: AsyncSession, f: NewFile) -> AutopayFile:
    cols = ", ".join(NewFile.__dataclass_fields__)
    vals = ", ".join(f":{c}" for c in NewFile.__dataclass_fields__)
    return one_as(AutopayFile, await s.execute(text(
        f"INSERT INTO autopay_files ({cols}) VALUES ({vals}) RETURNING {_FILE}"),
        {c: getattr(f, c) for c in NewFile.__dataclass_fields__}))


# ---- returns ----------------------------------------------------------------------------------

async def import_by_hash(s: AsyncSession, sha256: str) -> ReturnImport | None:
    return first_as(ReturnImport, await s.execute(text(
        f"SELECT {_IMPORT} FROM autopay_return_imports WHERE sha256 = :h"), {"h": sha256}))


async def insert_import(s: AsyncSession, *, import_id: uuid.UUID, sha256: str,
                        received_on: date, counts: tuple[int, int, int, int],
                        by: str) -> ReturnImport:
    return one_as(ReturnImport, await s.execute(text(
        "INSERT INTO autopay_return_imports (id, sha256, received_on, return_count, "
        "change_count, applied_count, unmatched_count, imported_by) VALUES (:id, :h, :on, "
        f":r, :c, :a, :u, :by) RETURNING {_IMPORT}"),
        {"id": import_id, "h": sha256, "on": received_on, "r": counts[0], "c": counts[1],
         "a": counts[2], "u": counts[3], "by": by}))


async def return_seen(s: AsyncSession, original_trace: str, kind: str) -> bool:
    return (await s.execute(text(
        "SELECT 1 FROM autopay_returns WHERE original_trace = :t AND kind = :k"),
        {"t": original_trace, "k": kind})).first() is not None


@dataclass(frozen=True, slots=True)
class NewReturn:
    original_trace: str
    kind: str
    code: str
    outcome: str
    debit_id: uuid.UUID | None
    enrolment_id: uuid.UUID | None
    payment_id: uuid.UUID | None
    amount: Decimal | None


async def insert_returns(s: AsyncSession, import_id: uuid.UUID,
                         rows: Sequence[NewReturn]) -> None:
    for r in rows:
        await s.execute(text(
            "INSERT INTO autopay_returns (original_trace, kind, import_id, code, outcome, "
            "debit_id, enrolment_id, payment_id, amount) VALUES (:t, :k, :i, :c, :o, :d, :e, "
            ":p, :a) ON CONFLICT DO NOTHING"),
            {"t": r.original_trace, "k": r.kind, "i": import_id, "c": r.code, "o": r.outcome,
             "d": r.debit_id, "e": r.enrolment_id, "p": r.payment_id, "a": r.amount})


async def returns_of_import(s: AsyncSession, import_id: uuid.UUID) -> list[ReturnRow]:
    return all_as(ReturnRow, await s.execute(text(
        "SELECT r.original_trace, r.kind, r.code, r.outcome, e.account_id, r.payment_id, "
        "r.amount FROM autopay_returns r LEFT JOIN autopay_enrolments e "
        "ON e.id = r.enrolment_id WHERE r.import_id = :i ORDER BY r.recorded_at, "
        "r.original_trace"), {"i": import_id}))


# ---- the copy, read -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AccountCopy:
    id: uuid.UUID
    number: str
    name: str
    status: str
    cash_only: bool


async def account_copy(s: AsyncSession, account_id: uuid.UUID) -> AccountCopy | None:
    """The account as payments' copy has it (read only: the copy feature writes it)."""
    return first_as(AccountCopy, await s.execute(text(
        "SELECT id, number, name, status, cash_only FROM accounts WHERE id = :a"),
        {"a": account_id}))


async def debits_by_id(s: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Debit]:
    if not ids:
        return []
    return all_as(Debit, await s.execute(text(
        f"SELECT {_DEBIT} FROM autopay_debits WHERE id = ANY(CAST(:ids AS uuid[])) "
        "ORDER BY debit_on, account_id"), {"ids": list(ids)}))


async def scheduled_of_bill(s: AsyncSession, bill_id: uuid.UUID) -> list[uuid.UUID]:
    return [r[0] for r in (await s.execute(text(
        "SELECT id FROM autopay_debits WHERE bill_id = :b AND status = 'scheduled' "
        "FOR UPDATE"), {"b": bill_id})).all()]


async def with_return_history(s: AsyncSession, account_ids: Sequence[uuid.UUID]
                              ) -> set[uuid.UUID]:
    """Of these accounts, those with a returned payment or a cash-only row (read only; the
    returns feature owns both tables and decides, in `standing`, whether they are cash-only):
    the others cannot be, so a day's run asks the returns rule only about these."""
    if not account_ids:
        return set()
    return {r[0] for r in (await s.execute(text(
        "SELECT account_id FROM payment_returns WHERE account_id = ANY(CAST(:a AS uuid[])) "
        "UNION SELECT account_id FROM cash_only_accounts "
        "WHERE account_id = ANY(CAST(:a AS uuid[]))"), {"a": list(account_ids)})).all()}


async def sealed_enrolments(s: AsyncSession) -> list[tuple[uuid.UUID, str]]:
    return [(r[0], str(r[1])) for r in (await s.execute(text(
        "SELECT id, account_token FROM autopay_enrolments WHERE account_token IS NOT NULL "
        "ORDER BY id FOR UPDATE"))).all()]


async def sealed_files(s: AsyncSession) -> list[tuple[uuid.UUID, str]]:
    return [(r[0], str(r[1])) for r in (await s.execute(text(
        "SELECT id, content_sealed FROM autopay_files ORDER BY id FOR UPDATE"))).all()]


async def reseal(s: AsyncSession, enrolments: Sequence[tuple[uuid.UUID, str]],
                 files: Sequence[tuple[uuid.UUID, str]]) -> None:
    if enrolments:
        await s.execute(text(
            "UPDATE autopay_enrolments e SET account_token = x.token FROM unnest("
            "CAST(:ids AS uuid[]), CAST(:tokens AS text[])) AS x(id, token) WHERE e.id = x.id"),
            {"ids": [e[0] for e in enrolments], "tokens": [e[1] for e in enrolments]})
    if files:
        await s.execute(text(
            "UPDATE autopay_files f SET content_sealed = x.sealed FROM unnest("
            "CAST(:ids AS uuid[]), CAST(:sealed AS text[])) AS x(id, sealed) WHERE f.id = x.id"),
            {"ids": [f[0] for f in files], "sealed": [f[1] for f in files]})
