"""Payments posted to the ledger set-based: a whole wave of `payments.PaymentPosted` events in
one statement, instead of three statements per payment.

A lock box file announces 100,000 payments at once; one INSERT, one balance query and one
publish per payment kept billing at a few hundred payments a second. Here one statement per wave
of events posts every credit (INSERT ... SELECT FROM unnest, ON CONFLICT on the reference: a
payment posted before, by a redelivery or an earlier wave, posts nothing and announces nothing),
computes each new entry's running balance (the account's entries before the statement plus the
new credits up to it, by a window over the events' order) and announces a
`billing.LedgerEntryPosted` per new entry, the same event `service.post` writes for one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.outbox import publish_batch
from kernel.outbox_after import publishing_after


@dataclass(frozen=True, slots=True)
class PaymentCredit:
    """A payment as its event states it (strings: SQL casts them, and a malformed one fails
    the statement, so the inbox isolates and parks that event)."""

    payment_id: str
    account_id: str
    amount: str
    received_on: str


# One statement per wave. The CTE `e` is materialised once (it draws the entries' ids), so `ins`
# and the events see the same ids; every CTE sees the ledger as it was before the statement, so
# `before` + the window over the wave's order is the balance after each new entry. Only rows the
# INSERT returned (new references) are announced, with the kernel's publishing statement.
_POST = publishing_after("""
    e AS MATERIALIZED (
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
        RETURNING id, amount
    ), before AS (  -- an index lookup per account, never a scan of the whole ledger per wave
        SELECT a.account_id, (SELECT sum(l.amount) FROM ledger_entries l
                              WHERE l.account_id = a.account_id) AS amount
        FROM (SELECT DISTINCT account_id FROM e) a
    ), posted AS (
        SELECT e.id, e.account_id, ins.amount, e.posted_on, e.reference, e.ord,
               coalesce(b.amount, 0)
                 + sum(ins.amount) OVER (PARTITION BY e.account_id ORDER BY e.ord) AS balance
        FROM e JOIN ins ON ins.id = e.id LEFT JOIN before b ON b.account_id = e.account_id
    )""", """
        SELECT gen_random_uuid() AS event_id, 'billing.LedgerEntryPosted' AS type,
               1 AS version, 'account:' || p.account_id AS key,
               jsonb_build_object('entry', jsonb_build_object(
                   'id', p.id, 'account_id', p.account_id, 'kind', 'payment',
                   'amount', p.amount::text, 'posted_on', p.posted_on,
                   'reference', p.reference, 'corrects', NULL),
                   'balance', p.balance::text) AS payload,
               p.ord
        FROM posted p
""")


async def post_payments(s: AsyncSession, credits: Sequence[PaymentCredit], who: str) -> int:
    """Credit each payment once (by its id as reference) and announce each new entry with the
    account's balance after it. Returns how many entries were posted now."""
    if not credits:
        return 0
    return await publish_batch(s, _POST, {
        "accounts": [c.account_id for c in credits], "amounts": [c.amount for c in credits],
        "dates": [c.received_on for c in credits], "refs": [c.payment_id for c in credits],
        "who": who}, actor=who)
