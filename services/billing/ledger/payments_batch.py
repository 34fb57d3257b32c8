"""Payments posted to the ledger set-based: a whole wave of `payments.PaymentPosted` events in
two statements instead of three per payment.

A lock box file announces 100,000 payments at once; one INSERT, one balance query and one
publish per payment kept billing at a few hundred payments a second. Here one INSERT ... SELECT
FROM unnest posts every credit (ON CONFLICT on the reference: a payment posted before, by a
redelivery or an earlier wave, posts nothing and announces nothing), computes each new entry's
running balance (the account's entries before the statement plus the new credits up to it, by a
window over the events' order), and one publish announces a `billing.LedgerEntryPosted` per
new entry, the same event `service.post` writes for one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.outbox import publish_batch, publishing


@dataclass(frozen=True, slots=True)
class PaymentCredit:
    """A payment as its event states it (strings: SQL casts them, and a malformed one fails
    the statement, so the inbox isolates and parks that event)."""

    payment_id: str
    account_id: str
    amount: str
    received_on: str


# The CTE `e` is materialised once (it draws ids), so `ins` and the final SELECT see the same
# ids; all CTEs see the ledger as it was before the statement, so `before` + the window is the
# balance after each new entry, in the events' order.
_POST = text("""
    WITH e AS MATERIALIZED (
        SELECT gen_random_uuid() AS id, t.account_id, -t.amount AS amount, t.posted_on,
               t.reference, t.ord
        FROM unnest(CAST(:accounts AS text[])::uuid[], CAST(:amounts AS text[])::numeric[],
                    CAST(:dates AS text[])::date[], CAST(:refs AS text[]))
             WITH ORDINALITY AS t(account_id, amount, posted_on, reference, ord)
    ), ins AS (
        INSERT INTO ledger_entries (id, account_id, kind, amount, posted_on, reference,
                                    created_by)
        SELECT id, account_id, 'payment', amount, posted_on, reference, CAST(:who AS text)
        FROM e ORDER BY ord
        ON CONFLICT (kind, reference) WHERE reference IS NOT NULL DO NOTHING
        RETURNING id
    ), before AS (
        SELECT l.account_id, sum(l.amount) AS amount FROM ledger_entries l
        WHERE l.account_id IN (SELECT account_id FROM e) GROUP BY l.account_id
    )
    SELECT e.id, e.account_id, e.amount::numeric(14,2)::text AS amount, e.posted_on,
           e.reference, e.ord,
           (coalesce(b.amount, 0)
             + sum(e.amount) OVER (PARTITION BY e.account_id ORDER BY e.ord))::text AS balance
    FROM e JOIN ins ON ins.id = e.id LEFT JOIN before b ON b.account_id = e.account_id
    ORDER BY e.ord
""")

# `billing.LedgerEntryPosted` for each entry just posted, in the shape `service.post` gives it.
_ANNOUNCE = publishing("""
        SELECT gen_random_uuid() AS event_id, 'billing.LedgerEntryPosted' AS type,
               1 AS version, 'account:' || t.account_id AS key,
               jsonb_build_object('entry', jsonb_build_object(
                   'id', t.id, 'account_id', t.account_id, 'kind', 'payment',
                   'amount', t.amount, 'posted_on', t.posted_on,
                   'reference', t.reference, 'corrects', NULL),
                   'balance', t.balance) AS payload,
               t.ord
        FROM unnest(CAST(:ids AS uuid[]), CAST(:accounts AS uuid[]),
                    CAST(:amounts AS text[]), CAST(:dates AS date[]),
                    CAST(:refs AS text[]), CAST(:balances AS text[]))
             WITH ORDINALITY AS t(id, account_id, amount, posted_on, reference, balance, ord)
""")


async def post_payments(s: AsyncSession, credits: Sequence[PaymentCredit], who: str) -> int:
    """Credit each payment once (by its id as reference) and announce each new entry with the
    account's balance after it. Returns how many entries were posted now."""
    if not credits:
        return 0
    rows = (await s.execute(_POST, {
        "accounts": [c.account_id for c in credits], "amounts": [c.amount for c in credits],
        "dates": [c.received_on for c in credits], "refs": [c.payment_id for c in credits],
        "who": who})).all()
    if not rows:
        return 0
    await publish_batch(s, _ANNOUNCE, {
        "ids": [r.id for r in rows], "accounts": [r.account_id for r in rows],
        "amounts": [r.amount for r in rows], "dates": [r.posted_on for r in rows],
        "refs": [r.reference for r in rows], "balances": [r.balance for r in rows]},
        actor=who)
    return len(rows)
