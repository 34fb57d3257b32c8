"""A large cycle run is calculated in slices by account hash (one statement each, in the
run's one transaction), so its memory does not grow with the run: the bills are the same."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from kernel.auth import Principal
from services.billing.runs import repository as runs_repo
from services.billing.runs import service as runs
from tests.billing.helpers import make_site, read


def test_slices_cover_each_part_once_and_stay_within_the_slice_size() -> None:
    assert runs_repo.slices(0, 1, 50_000) == 1
    assert runs_repo.slices(50_000, 1, 50_000) == 1
    assert runs_repo.slices(50_001, 1, 50_000) == 2
    assert runs_repo.slices(1_000_000, 1, 50_000) == 20
    assert runs_repo.slices(1_000_000, 4, 50_000) == 5


async def _lines(feed, run_id: str) -> list[tuple]:
    return sorted((await feed.bound["billing"].execute(text(
        "SELECT b.account_id, l.sa_id, l.kind, l.description, l.quantity, l.unit_price, "
        "l.amount FROM bill_lines l JOIN bills b ON b.id = l.bill_id WHERE b.run_id = :r"),
        {"r": run_id})).all(), key=str)


async def test_a_run_cut_into_slices_bills_every_account_once_with_the_same_lines(
        client, feed, rates, tech, service_apps, monkeypatch: pytest.MonkeyPatch):
    sites = [await make_site(feed, rate_class="COM" if i % 3 == 0 else "RES", units=1)
             for i in range(7)]
    for i, site in enumerate(sites):
        await read(client, tech, site, str(5 + 7 * i))
    db = service_apps["billing"].state.db
    monkeypatch.setattr(runs_repo, "SLICE_ACCOUNTS", 2)  # 7 accounts: four slices
    async with db.session() as s:
        sliced = await runs.create(s, Principal("sam", "billing_tech"), "C1",
                                   date(2026, 1, 1), date(2026, 1, 31), date(2026, 2, 2))
        await s.commit()
    rid = str(sliced.id)
    per_account = (await feed.bound["billing"].execute(text(
        "SELECT account_id, count(*) FROM bills WHERE run_id = :r GROUP BY account_id"),
        {"r": rid})).all()
    assert sorted(str(a) for a, _ in per_account) == sorted(s.account_id for s in sites)
    assert all(n == 1 for _, n in per_account)
    sliced_lines = await _lines(feed, rid)

    monkeypatch.setattr(runs_repo, "SLICE_ACCOUNTS", 50_000)  # the same run in one statement
    whole = (await client.post(f"/api/billing/runs/{rid}/recalculate", headers=tech)).json()
    assert (whole["bills"], whole["total"], whole["flags"]) == (
        sliced.bills, str(sliced.total), {k: v for k, v in sliced.flags.items()})
    assert await _lines(feed, rid) == sliced_lines
    assert len(sliced_lines) > 7 * 2  # fixed and volume lines at least, minimums for COM


async def test_a_run_announced_in_slices_issues_one_event_per_bill_in_each_accounts_order(
        client, feed, rates, tech, sup, auth, service_apps, monkeypatch: pytest.MonkeyPatch):
    sites = [await make_site(feed, rate_class="RES", units=1) for _ in range(5)]
    for i, site in enumerate(sites):
        await read(client, tech, site, str(6 + 3 * i))
    monkeypatch.setattr(runs_repo, "SLICE_EVENTS", 2)  # 5 bills: three slices
    created = (await client.post("/api/billing/runs", headers=tech, json={
        "cycle": "C1", "period_start": "2026-01-01", "period_end": "2026-01-31",
        "bill_date": "2026-02-02"})).json()
    rid = created["id"]
    for step, h in (("prepare", tech), ("approve", sup),
                    ("finalise", auth("supervisor", "pat"))):
        x = await client.post(f"/api/billing/runs/{rid}/{step}", headers=h)
        assert x.status_code == 200, x.text
    issued = (await feed.bound["billing"].execute(text(
        "SELECT o.key, o.key_seq, o.payload->'bill'->>'id' AS bill FROM outbox o "
        "WHERE o.type = 'billing.BillIssued' AND o.payload->'bill'->>'id' IN "
        "(SELECT id::text FROM bills WHERE run_id = :r)"), {"r": rid})).all()
    assert len(issued) == 5 == len({b for _, _, b in issued})
    assert sorted(k for k, _, _ in issued) == sorted(f"account:{s.account_id}" for s in sites)
    seqs = (await feed.bound["billing"].execute(text(
        "SELECT key, array_agg(key_seq ORDER BY id) AS seqs FROM outbox "
        "WHERE key = ANY(:k) GROUP BY key"), {"k": [k for k, _, _ in issued]})).all()
    for _, s in seqs:  # each account's events numbered 1, 2, ... in the outbox's order
        assert list(s) == list(range(s[0], s[0] + len(s)))
