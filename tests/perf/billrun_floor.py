"""The floor under issue 13's target: what the rows a finalised bill run writes cost alone.

A finalised run has written, per bill, the bill, its lines (about twelve here: water and
wastewater, fixed and volume charges, tiers, the fee, two segments across the rate change), a
ledger entry, a `billing.BillIssued` (and an `EBillReady` for paperless accounts) and its key's
sequence. `floor` writes the same rows again, copied from the run just finalised (new ids, the
same widths and counts, payloads copied rather than built), with one plain statement per table
into the real tables with their real indexes and constraints, in one transaction that is then
rolled back. No calculation, no JSON building, no reads but the copy's source: nothing of ours
can write these rows with less work, so `bills / total` is what one core can do at best, and
`2 bills / total` bounds any implementation of the run on a two-core machine (the rows of
different accounts could be written on both cores at once).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from sqlalchemy import text

_BILLS = """
INSERT INTO bills (id, run_id, account_id, period_start, period_end, bill_date, due_date, status,
                   total, flags, segments, messages)
SELECT md5('floor' || id)::uuid, md5('floor' || run_id)::uuid, account_id, period_start,
       period_end, bill_date, due_date, status, total, flags, segments, messages
FROM bills WHERE run_id = :run AND status = 'final'
"""

_LINES = """
INSERT INTO bill_lines (bill_id, sa_id, service, rate_class, kind, description, seg_start,
                        seg_end, quantity, unit_price, tier, rate_version_id, amount)
SELECT md5('floor' || l.bill_id)::uuid, l.sa_id, l.service, l.rate_class, l.kind,
       l.description, l.seg_start, l.seg_end, l.quantity, l.unit_price, l.tier,
       l.rate_version_id, l.amount
FROM bill_lines l JOIN bills b ON b.id = l.bill_id
WHERE b.run_id = :run AND b.status = 'final'
"""

_LEDGER = """
INSERT INTO ledger_entries (id, account_id, kind, amount, posted_on, due_date, reference,
                            created_by)
SELECT gen_random_uuid(), account_id, 'bill', total, bill_date, due_date, 'floor:' || id, 'floor'
FROM bills WHERE run_id = :run AND status = 'final'
"""

_EVENTS = """
INSERT INTO outbox (event_id, type, version, key, key_seq, payload)
SELECT gen_random_uuid(), type, version, key, key_seq + 1000000000, payload
FROM outbox WHERE type IN ('billing.BillIssued', 'billing.EBillReady')
"""  # the benchmark finalises one run: every bill event in the outbox is that run's

_KEYS = """
UPDATE outbox_key k SET last_seq = k.last_seq + 1
FROM (SELECT DISTINCT 'account:' || account_id AS key FROM bills
      WHERE run_id = :run AND status = 'final') b
WHERE k.key = b.key
"""

STEPS = [("bills", _BILLS), ("bill lines", _LINES), ("ledger entries", _LEDGER),
         ("events", _EVENTS), ("key sequences", _KEYS)]


async def floor(session: Any, run_id: uuid.UUID) -> dict[str, Any]:
    """Copy the rows of finalised run `run_id` once more, step by step, then roll back.
    `session` is an AsyncSession of a role that may write billing's tables."""
    steps: dict[str, float] = {}
    rows: dict[str, int] = {}
    try:
        for name, sql in STEPS:
            t0 = time.perf_counter()
            res = await session.execute(text(sql), {"run": run_id})
            steps[name] = round(time.perf_counter() - t0, 3)
            rows[name] = int(res.rowcount)
    finally:
        await session.rollback()
    bills = rows["bills"]
    if not bills or rows["bill lines"] < bills or rows["events"] < bills:
        raise RuntimeError(f"the floor copied too little of run {run_id}: {rows}")
    total = sum(steps.values())
    return {"bills": bills, "rows": rows, "steps_s": steps, "total_s": round(total, 3),
            "one_core_bills_per_s": round(bills / total),
            "two_cores_bills_per_s": round(2 * bills / total)}
