"""All SQL of payments: keyed and posted payments and their receipt numbers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.outbox import publish_batch, publishing
from kernel.outbox_after import publishing_after
from services.payments.posting.domain import BankDebitLine, LockboxLine, Payment, TenderTotal

_COLUMNS = ("id, receipt_number, account_id, account_number, amount, tender, check_number, "
            "bank, money_order_number, processor_token, received_on, channel, drawer_id, "
            "batch_id, status, taken_by, idempotency_key, created_at, posted_at")


@dataclass(frozen=True, slots=True)
class NewPayment:
    account_id: str
    account_number: str
    amount: Decimal
    tender: str
    check_number: str | None
    bank: str | None
    money_order_number: str | None
    processor_token: str | None
    received_on: date
    channel: str
    drawer_id: uuid.UUID | None
    batch_id: uuid.UUID | None
    status: str
    taken_by: str
    idempotency_key: str


async def by_key(s: AsyncSession, taken_by: str, key: str) -> Payment | None:
    r = (await s.execute(text(
        f"SELECT {_COLUMNS} FROM payments WHERE taken_by = :w AND idempotency_key = :k"),
        {"w": taken_by, "k": key})).first()
    return None if r is None else Payment(*r)


async def insert(s: AsyncSession, p: NewPayment) -> Payment:
    r = (await s.execute(text(
        f"INSERT INTO payments (id, account_id, account_number, amount, tender, check_number, "
        f"bank, money_order_number, processor_token, received_on, channel, drawer_id, batch_id, "
        f"status, taken_by, idempotency_key, posted_at) VALUES (gen_random_uuid(), :account_id, "
        f":account_number, :amount, :tender, :check_number, :bank, :money_order_number, "
        f":processor_token, :received_on, :channel, :drawer_id, :batch_id, :status, :taken_by, "
        f":idempotency_key, CASE WHEN :status = 'posted' THEN now() END) RETURNING {_COLUMNS}"),
        _params(p))).one()
    return Payment(*r)


async def insert_unless_taken(s: AsyncSession, p: NewPayment) -> Payment | None:
    """`insert`, or None when this person's key already names a payment (read it then)."""
    r = (await s.execute(_INSERT_UNLESS_TAKEN, _params(p))).first()
    return None if r is None else Payment(*r)


_INSERT_UNLESS_TAKEN = text(
    f"INSERT INTO payments (id, account_id, account_number, amount, tender, check_number, "
    f"bank, money_order_number, processor_token, received_on, channel, drawer_id, batch_id, "
    f"status, taken_by, idempotency_key, posted_at) VALUES (gen_random_uuid(), :account_id, "
    f":account_number, :amount, :tender, :check_number, :bank, :money_order_number, "
    f":processor_token, :received_on, :channel, :drawer_id, :batch_id, :status, :taken_by, "
    f":idempotency_key, CASE WHEN :status = 'posted' THEN now() END) "
    f"ON CONFLICT (taken_by, idempotency_key) DO NOTHING RETURNING {_COLUMNS}")


def _params(p: NewPayment) -> dict[str, object]:
    return {f: getattr(p, f) for f in NewPayment.__dataclass_fields__}


async def get(s: AsyncSession, payment_id: uuid.UUID) -> Payment | None:
    r = (await s.execute(text(f"SELECT {_COLUMNS} FROM payments WHERE id = :id"),
                         {"id": payment_id})).first()
    return None if r is None else Payment(*r)


async def by_receipt(s: AsyncSession, receipt_number: int) -> Payment | None:
    r = (await s.execute(text(f"SELECT {_COLUMNS} FROM payments WHERE receipt_number = :n"),
                         {"n": receipt_number})).first()
    return None if r is None else Payment(*r)


async def of_batch(s: AsyncSession, batch_id: uuid.UUID) -> list[Payment]:
    return [Payment(*r) for r in (await s.execute(text(
        f"SELECT {_COLUMNS} FROM payments WHERE batch_id = :b ORDER BY receipt_number"),
        {"b": batch_id})).all()]


async def of_drawer(s: AsyncSession, drawer_id: uuid.UUID) -> list[Payment]:
    return [Payment(*r) for r in (await s.execute(text(
        f"SELECT {_COLUMNS} FROM payments WHERE drawer_id = :d ORDER BY receipt_number"),
        {"d": drawer_id})).all()]


async def post_batch(s: AsyncSession, batch_id: uuid.UUID) -> list[Payment]:
    """The batch's keyed payments become posted (set-based; returns them)."""
    return [Payment(*r) for r in (await s.execute(text(
        f"UPDATE payments SET status = 'posted', posted_at = now() WHERE batch_id = :b "
        f"AND status = 'keyed' RETURNING {_COLUMNS}"), {"b": batch_id})).all()]


async def remove_keyed(s: AsyncSession, batch_id: uuid.UUID, payment_id: uuid.UUID) -> bool:
    """A keyed, never-posted payment taken out of its open batch (a keying mistake)."""
    res = await s.execute(text(
        "DELETE FROM payments WHERE id = :p AND batch_id = :b AND status = 'keyed'"),
        {"p": payment_id, "b": batch_id})
    return bool(res.rowcount)  # type: ignore[attr-defined]


async def tender_totals(s: AsyncSession, drawer_id: uuid.UUID) -> list[TenderTotal]:
    return [TenderTotal(r.tender, int(r.n), Decimal(r.total)) for r in (await s.execute(text(
        "SELECT tender, count(*) AS n, sum(amount) AS total FROM payments "
        "WHERE drawer_id = :d GROUP BY tender ORDER BY tender"), {"d": drawer_id})).all()]


_INSERT_LOCKBOX = text(
    "INSERT INTO payments (id, account_id, account_number, amount, tender, check_number, "
    "received_on, channel, status, taken_by, idempotency_key, posted_at) "
    "SELECT gen_random_uuid(), l.account_id, l.account_number, l.amount, 'check', "
    "nullif(l.check_number, ''), l.received_on, 'lockbox', 'posted', :who, l.key, now() "
    "FROM unnest(CAST(:keys AS text[]), CAST(:accounts AS uuid[]), CAST(:numbers AS text[]), "
    "CAST(:amounts AS text[])::numeric[], CAST(:checks AS text[]), CAST(:dates AS date[])) "
    "WITH ORDINALITY AS l(key, account_id, account_number, amount, check_number, received_on, "
    "ord) ORDER BY l.ord "
    "ON CONFLICT (idempotency_key) WHERE channel = 'lockbox' DO NOTHING RETURNING id")

# `payments.PaymentPosted` for every payment just inserted, built by SQL in the shape of
# `domain.posted_payload`, numbered per account by the kernel's one publishing statement.
_POSTED_EVENTS_SOURCE = """
        SELECT gen_random_uuid() AS event_id, 'payments.PaymentPosted' AS type, 1 AS version,
               'account:' || p.account_id AS key,
               jsonb_build_object('payment', jsonb_build_object(
                   'id', p.id, 'account_id', p.account_id, 'amount', p.amount::text,
                   'received_on', p.received_on, 'account_number', p.account_number,
                   'receipt_number', p.receipt_number, 'tender', p.tender,
                   'channel', p.channel, 'drawer_id', p.drawer_id, 'batch_id', p.batch_id,
                   'idempotency_key', p.idempotency_key, 'taken_by', p.taken_by)) AS payload,
               p.receipt_number AS ord
        FROM unnest(CAST(:ids AS uuid[])) AS x(id) JOIN payments p ON p.id = x.id
"""
_POSTED_EVENTS = publishing(_POSTED_EVENTS_SOURCE)


# A whole file in one statement: the INSERT above as a CTE, and its `payments.PaymentPosted`
# events from its RETURNING rows (nothing comes back but how many were published).
_POST_LOCKBOX_FILE = publishing_after(
    "ins AS (" + _INSERT_LOCKBOX.text.replace(
        "RETURNING id", "RETURNING " + _COLUMNS) + ")",
    _POSTED_EVENTS_SOURCE.replace(
        "FROM unnest(CAST(:ids AS uuid[])) AS x(id) JOIN payments p ON p.id = x.id", "FROM ins p"))


# A processor's success taken inside its delivery's one statement (webhooks): `acct` is the
# account by number as payments' copy has it (`copy.account_by_number`), only where `{guard}`
# holds; `taken` inserts its posted payment unless the processor's key is taken already (then
# nothing: the caller reads the key's payment as `take` does) and returns `_COLUMNS`.
# `TAKEN_EVENTS_SOURCE` is its `payments.PaymentPosted`, for `kernel.outbox_after`.
PROCESSOR_TAKE_CTES = (
    "acct AS (SELECT a.id, a.number FROM accounts a WHERE a.number = CAST(:account_number AS "
    "text) AND {guard}), "
    "taken AS (INSERT INTO payments (id, account_id, account_number, amount, tender, "
    "received_on, channel, status, taken_by, idempotency_key, posted_at) "
    "SELECT gen_random_uuid(), acct.id, acct.number, CAST(:amount AS numeric), "
    "CAST(:tender AS text), CAST(:received_on AS date), 'processor', 'posted', "
    "CAST(:taken_by AS text), CAST(:idempotency_key AS text), now() FROM acct "
    "ON CONFLICT (taken_by, idempotency_key) DO NOTHING RETURNING " + _COLUMNS + ")")
TAKEN_EVENTS_SOURCE = _POSTED_EVENTS_SOURCE.replace(
    "FROM unnest(CAST(:ids AS uuid[])) AS x(id) JOIN payments p ON p.id = x.id", "FROM taken p")


def _lockbox_columns(who: str, lines: list[LockboxLine]) -> dict[str, object]:
    # Columns by transposing the tuples; amounts travel as text (a fraction of the encoding
    # cost of Decimals) and become numeric in the statement, exactly.
    keys, accounts, numbers, amounts, checks, dates = zip(*lines, strict=True)
    return {"who": who, "keys": list(keys), "accounts": list(accounts),
            "numbers": list(numbers), "amounts": [str(a) for a in amounts],
            "checks": [c or "" for c in checks], "dates": list(dates)}


async def post_lockbox_file(s: AsyncSession, who: str, lines: list[LockboxLine]) -> int:
    """`insert_lockbox` and `publish_posted` in one statement; returns how many posted now."""
    if not lines:
        return 0
    return await publish_batch(s, _POST_LOCKBOX_FILE, _lockbox_columns(who, lines), actor=who)


async def insert_lockbox(s: AsyncSession, who: str, lines: list[LockboxLine]) -> list[uuid.UUID]:
    """All lines in one INSERT; a line whose key is already posted is skipped. Returns the ids
    of the payments this call inserted."""
    if not lines:
        return []
    rows = (await s.execute(_INSERT_LOCKBOX, _lockbox_columns(who, lines))).all()
    return [r[0] for r in rows]


async def publish_posted(s: AsyncSession, ids: list[uuid.UUID], who: str) -> int:
    if not ids:
        return 0
    return await publish_batch(s, _POSTED_EVENTS, {"ids": ids}, actor=who)


async def by_lockbox_key(s: AsyncSession, key: str) -> Payment | None:
    r = (await s.execute(text(
        f"SELECT {_COLUMNS} FROM payments WHERE channel = 'lockbox' AND idempotency_key = :k"),
        {"k": key})).first()
    return None if r is None else Payment(*r)


_INSERT_AUTOPAY = text(
    "INSERT INTO payments (id, account_id, account_number, amount, tender, received_on, "
    "channel, status, taken_by, idempotency_key, posted_at) "
    "SELECT gen_random_uuid(), l.account_id, l.account_number, l.amount, 'bank', l.received_on, "
    "'autopay', 'posted', :who, l.key, now() "
    "FROM unnest(CAST(:keys AS text[]), CAST(:accounts AS uuid[]), CAST(:numbers AS text[]), "
    "CAST(:amounts AS numeric[]), CAST(:dates AS date[])) "
    "WITH ORDINALITY AS l(key, account_id, account_number, amount, received_on, ord) "
    "ORDER BY l.ord ON CONFLICT (taken_by, idempotency_key) DO NOTHING RETURNING id")


async def insert_autopay(s: AsyncSession, who: str, lines: list[BankDebitLine]
                         ) -> tuple[list[uuid.UUID], dict[str, uuid.UUID]]:
    """All debits in one INSERT (a key already taken is skipped). Returns the ids inserted now
    and every line's payment id by key."""
    if not lines:
        return [], {}
    keys = [x.key for x in lines]
    inserted = [r[0] for r in (await s.execute(_INSERT_AUTOPAY, {
        "who": who, "keys": keys, "accounts": [x.account_id for x in lines],
        "numbers": [x.account_number for x in lines], "amounts": [x.amount for x in lines],
        "dates": [x.received_on for x in lines]})).all()]
    by_key = {r.idempotency_key: r.id for r in (await s.execute(text(
        "SELECT idempotency_key, id FROM payments WHERE taken_by = :w "
        "AND idempotency_key = ANY(CAST(:k AS text[]))"), {"w": who, "k": keys})).all()}
    return inserted, by_key
