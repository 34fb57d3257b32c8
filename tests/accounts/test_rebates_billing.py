"""An approved rebate paid as a bill credit is one `rebate_credit` on billing's ledger, once:
accounts announces `accounts.RebateApproved`, billing's inbox applies it (the in-process relay,
`pump`), and neither a redelivery nor the same approval announced again under another event id
credits twice. A rebate paid by check posts nothing to the ledger."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import text

from tests.accounts.test_rebates import R, apply, customer
from tests.payments.refunds_helpers import ledger


async def approved(client, auth, **kw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    c = await customer(client, auth)
    a = await apply(client, auth, account_id=c["account_id"], **kw)
    ok = await client.post(f"{R}/applications/{a['id']}/approve", headers=auth("supervisor"),
                           json={"on_date": "2026-03-05"})
    assert ok.status_code == 200, ok.text
    return c, ok.json()


async def rebate_entries(client, auth, account_id: str) -> list[tuple[str, str, str]]:
    return [(e["kind"], e["amount"], e["posted_on"])
            for e in await ledger(client, auth("supervisor"), account_id)
            if e["kind"] == "rebate_credit"]


async def test_an_approved_rebate_is_one_credit_on_billings_ledger_once_under_replay(
        client, auth, bound, pump, service_apps):
    c, a = await approved(client, auth, programme="turf", units="300")
    await pump("accounts", "billing")
    assert await rebate_entries(client, auth, c["account_id"]) == [
        ("rebate_credit", "-600.00", "2026-03-05")]
    await pump("accounts", "billing")  # the relay delivers again: the inbox knows the id
    # the same approval announced again under a new event id: the reference knows it
    (ev,) = (await bound["accounts"].execute(text(
        "SELECT type, version, key, payload, occurred_at FROM outbox "
        "WHERE type = 'accounts.RebateApproved'"))).all()
    await bound["billing"].execute(text(
        "INSERT INTO inbox (event_id, source, type, version, key, key_seq, payload, "
        "occurred_at) VALUES (:e, 'accounts', :t, :v, :k, "
        "(SELECT coalesce(max(key_seq), 0) + 1 FROM inbox WHERE source = 'accounts' "
        "AND key = :k), CAST(:p AS jsonb), :o)"),
        {"e": uuid.uuid4(), "t": ev.type, "v": ev.version, "k": ev.key,
         "p": json.dumps(ev.payload), "o": ev.occurred_at})
    assert await service_apps["billing"].state.inbox.drain() == 1
    assert await rebate_entries(client, auth, c["account_id"]) == [
        ("rebate_credit", "-600.00", "2026-03-05")]
    assert a["amount"] == "600.00"


async def test_a_rebate_paid_by_check_posts_nothing_to_the_ledger(client, auth, pump):
    c, _ = await approved(client, auth, payment="check")
    await pump("accounts", "billing")
    assert await rebate_entries(client, auth, c["account_id"]) == []
