"""The floor under issue 9's lockbox target: what the rows a posted check must write cost alone.

Every check in a lockbox file, as Tapline is designed (one event per payment, an outbox per
service, an inbox per subscriber), writes at least these rows before its ledger entry is
visible: the payment, its `payments.PaymentPosted` and its key's sequence; the relay's copy in
billing's inbox; the ledger entry, its `billing.LedgerEntryPosted` and its key's sequence; the
inbox row marked applied and the key's progress. Off that path, but on the same two cores, the
relay copies the two events to the other subscribers (four more inbox rows today).

`floor` writes exactly those rows for `n` synthetic checks with plain set-based SQL (one
statement per step, no Python, no relay, no worker, no waiting), into the real tables with
their real indexes, constraints and triggers, in one transaction that is then rolled back.
Nothing of ours writes the same rows with less work than this, so `n / total` is what one
core can do at best; stages of a file can overlap on two cores (payments importing while
billing applies), so `2 n / total` bounds the end-to-end rate of any implementation of the
present design on a two-core machine. `payments_and_entries_alone_per_s` is the same bound for
the rows a design with one event per batch of checks would still write per check.
"""

from __future__ import annotations

import time
from typing import Any


def _numbered(schema: str, event_type: str) -> str:
    """The rest of a statement whose CTE `ev` (event_id, key, ord, payload) holds the events:
    each key's sequence bumped and the events numbered into the outbox, as the kernel's
    publishing statement does (kernel/outbox.py)."""
    return f"""
, counts AS (
    SELECT key, count(*) AS n FROM ev GROUP BY key
), bumped AS (
    INSERT INTO {schema}.outbox_key AS k (key, last_seq) SELECT key, n FROM counts ORDER BY key
    ON CONFLICT (key) DO UPDATE SET last_seq = k.last_seq + excluded.last_seq
    RETURNING k.key, k.last_seq
)
INSERT INTO {schema}.outbox (event_id, type, version, key, key_seq, payload)
SELECT ev.event_id, '{event_type}', 1, ev.key,
       b.last_seq - c.n + row_number() OVER (PARTITION BY ev.key ORDER BY ev.ord), ev.payload
FROM ev JOIN bumped b USING (key) JOIN counts c USING (key)
ORDER BY ev.ord
"""

_PAYMENTS = """
INSERT INTO payments.payments (id, account_id, account_number, amount, tender, check_number,
                               received_on, channel, batch_id, status, taken_by,
                               idempotency_key, posted_at)
SELECT md5('floor-p' || g)::uuid, md5('a' || (g % $2))::uuid, 'F' || g, 12.34, 'check',
       g::text, current_date, 'lockbox', NULL, 'posted', 'floor', 'lockbox:' || md5('k' || g),
       now()
FROM generate_series(1, $1) g
"""

_PAYMENT_EVENTS = """
WITH ev AS MATERIALIZED (
    SELECT md5('floor-e' || p.receipt_number)::uuid AS event_id,
           'account:' || p.account_id AS key, p.receipt_number AS ord,
           jsonb_build_object('payment', jsonb_build_object(
               'id', p.id, 'account_id', p.account_id, 'amount', p.amount::text,
               'received_on', p.received_on, 'account_number', p.account_number,
               'receipt_number', p.receipt_number, 'tender', p.tender, 'channel', p.channel,
               'drawer_id', p.drawer_id, 'batch_id', p.batch_id,
               'idempotency_key', p.idempotency_key, 'taken_by', p.taken_by)) AS payload
    FROM payments.payments p WHERE p.taken_by = 'floor'
)""" + _numbered("payments", "payments.PaymentPosted")

_COPY = """
INSERT INTO {dst}.inbox (event_id, source, type, version, key, key_seq, prev_seq, payload,
                         occurred_at)
SELECT event_id, '{src}', type, version, key, key_seq, key_seq - 1, payload, occurred_at
FROM {src}.outbox WHERE type = '{type}' AND id > $1 ORDER BY id
"""

_LEDGER = """
WITH e AS MATERIALIZED (
    SELECT gen_random_uuid() AS id, (i.payload->'payment'->>'account_id')::uuid AS account_id,
           -(i.payload->'payment'->>'amount')::numeric AS amount,
           (i.payload->'payment'->>'received_on')::date AS posted_on,
           i.payload->'payment'->>'id' AS reference, i.position AS ord
    FROM billing.inbox i WHERE i.type = 'payments.PaymentPosted' AND i.status = 'pending'
), ins AS (
    INSERT INTO billing.ledger_entries (id, account_id, kind, amount, posted_on, reference,
                                        created_by)
    SELECT id, account_id, 'payment', amount, posted_on, reference, 'floor' FROM e ORDER BY ord
    RETURNING id, amount
), before AS (  -- the balance each event carries starts from the account's entries
    SELECT a.account_id, (SELECT sum(l.amount) FROM billing.ledger_entries l
                          WHERE l.account_id = a.account_id) AS amount
    FROM (SELECT DISTINCT account_id FROM e) a
), ev AS MATERIALIZED (
    SELECT gen_random_uuid() AS event_id, 'account:' || e.account_id AS key, e.ord,
           jsonb_build_object('entry', jsonb_build_object(
               'id', e.id, 'account_id', e.account_id, 'kind', 'payment',
               'amount', ins.amount::text, 'posted_on', e.posted_on,
               'reference', e.reference, 'corrects', NULL),
               'balance', (coalesce(b.amount, 0) + sum(ins.amount)
                           OVER (PARTITION BY e.account_id ORDER BY e.ord))::text) AS payload
    FROM e JOIN ins USING (id) LEFT JOIN before b USING (account_id)
)""" + _numbered("billing", "billing.LedgerEntryPosted")

_MARK = """
WITH done AS (
    UPDATE billing.inbox SET status = 'applied', applied_at = now(), attempts = attempts + 1
    WHERE type = 'payments.PaymentPosted' AND status = 'pending'
    RETURNING source, key, key_seq
)
INSERT INTO billing.inbox_progress AS p (source, key, last_seq)
SELECT source, key, max(key_seq) FROM done GROUP BY source, key
ON CONFLICT (source, key) DO UPDATE SET last_seq = greatest(p.last_seq, excluded.last_seq)
"""

# A design with one event per batch of checks (not Tapline's today) would still write each
# payment and each ledger entry: this is the ledger's share of that.
_LEDGER_ALONE = """
INSERT INTO billing.ledger_entries (id, account_id, kind, amount, posted_on, reference,
                                    created_by)
SELECT gen_random_uuid(), p.account_id, 'payment', -p.amount, p.received_on,
       'alone:' || p.id, 'floor'
FROM payments.payments p WHERE p.taken_by = 'floor' ORDER BY p.receipt_number
"""

#: (step, statement, on the path to the ledger entry?, its argument: "new" the checks' count,
#: or the source whose outbox rows written by the floor it copies)
STEPS: list[tuple[str, str, bool, str | None]] = [
    ("payments", _PAYMENTS, True, "new"),
    ("payment events", _PAYMENT_EVENTS, True, None),
    ("copy to billing", _COPY.format(dst="billing", src="payments",
                                     type="payments.PaymentPosted"), True, "payments"),
    ("ledger entries and their events", _LEDGER, True, None),
    ("mark applied, key progress", _MARK, True, None),
    ("copy to accounts", _COPY.format(dst="accounts", src="payments",
                                      type="payments.PaymentPosted"), False, "payments"),
    ("copy entries to accounts", _COPY.format(dst="accounts", src="billing",
                                              type="billing.LedgerEntryPosted"), False, "billing"),
    ("copy entries to payments", _COPY.format(dst="payments", src="billing",
                                              type="billing.LedgerEntryPosted"), False, "billing"),
    ("copy entries to collections", _COPY.format(dst="collections", src="billing",
                                                 type="billing.LedgerEntryPosted"), False,
     "billing"),
    ("ledger entries alone", _LEDGER_ALONE, False, None),
]


async def floor(admin: Any, n: int, accounts: int) -> dict[str, Any]:
    """Write the rows of `n` checks step by step, then roll back. The billing inbox must hold
    no pending `PaymentPosted` (the benchmark's run has applied every one)."""
    marks = {src: await admin.fetchval(f"SELECT coalesce(max(id), 0) FROM {src}.outbox")
             for src in ("payments", "billing")}
    steps: dict[str, float] = {}
    on_path = 0.0
    tr = admin.transaction()
    await tr.start()
    # CTEs joined on their ids: the planner cannot know their sizes and once chose a nested
    # loop (5,000 checks: 44 s for one step). The floor measures writing, not planning.
    await admin.execute("SET LOCAL enable_nestloop = off")
    try:
        for name, sql, path, arg in STEPS:
            args = (n, accounts) if arg == "new" else (marks[arg],) if arg else ()
            t0 = time.perf_counter()
            status = await admin.execute(sql, *args)
            took = time.perf_counter() - t0
            steps[name] = round(took, 3)
            on_path += took if path else 0.0
            if not status.endswith(f" {n}") and "progress" not in name:
                raise RuntimeError(f"floor step {name!r} wrote {status!r}, not {n} rows")
    finally:
        await tr.rollback()
    everything = sum(t for k, t in steps.items() if k != "ledger entries alone")
    batched = steps["payments"] + steps["ledger entries alone"]
    return {"n": n, "steps_s": steps, "critical_path_s": round(on_path, 3),
            "critical_path_per_s": round(n / on_path), "all_rows_s": round(everything, 3),
            "all_rows_per_s": round(n / everything),
            "payments_and_entries_alone_per_s": round(n / batched)}
