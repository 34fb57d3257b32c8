"""Collections' copy takes the events accounts really publishes (the accounts demo's customers,
premises, accounts and agreements), not only hand-written ones; billing's real events are
relayed in test_report_ties.py."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from services.accounts.demo import load_demo


async def test_accounts_demo_events_fill_the_copy_and_none_is_parked(bound, service_apps, pump):
    async with service_apps["accounts"].state.db.session() as s:
        await load_demo(s, date(2026, 1, 15), count=40)
        await s.commit()
    applied = await pump("accounts", "collections")
    assert applied > 0
    c = bound["collections"]
    counts = (await c.execute(text(
        "SELECT (SELECT count(*) FROM accounts) AS accounts, "
        "(SELECT count(*) FROM customers) AS customers, "
        "(SELECT count(*) FROM premises) AS premises, "
        "(SELECT count(*) FROM service_agreements) AS agreements, "
        "(SELECT count(*) FROM inbox WHERE status = 'parked') AS parked"))).one()
    source = (await bound["accounts"].execute(text(
        "SELECT (SELECT count(*) FROM accounts) AS accounts, "
        "(SELECT count(*) FROM premises) AS premises, "
        "(SELECT count(*) FROM service_agreements) AS agreements"))).one()
    assert counts.parked == 0
    assert (counts.accounts, counts.premises, counts.agreements) == (
        source.accounts, source.premises, source.agreements)
    langs = set((await c.execute(text("SELECT DISTINCT language FROM customers"))).scalars())
    assert langs and None not in langs
    kinds = set((await c.execute(text("SELECT DISTINCT kind FROM premises"))).scalars())
    assert "single_family" in kinds
