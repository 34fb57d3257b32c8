"""The demo loader fills a realistic district, announced and searchable."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from services.accounts.demo import load_demo


async def test_demo_loads_accounts_across_cycles_and_routes_with_events(
        service_apps, bound, client, auth):
    db = service_apps["accounts"].state.db
    async with db.session() as session:
        await load_demo(session, date(2026, 11, 23), count=400)
        await session.commit()
    conn = bound["accounts"]
    row = (await conn.execute(text(
        "SELECT count(*) AS accounts, count(DISTINCT p.cycle) AS cycles, "
        "count(DISTINCT p.route) AS routes, "
        "count(*) FILTER (WHERE p.kind = 'multi_family') AS mf, "
        "count(*) FILTER (WHERE p.kind IN ('commercial', 'irrigation')) AS nonres "
        "FROM accounts a JOIN service_agreements sa ON sa.account_id = a.id "
        "AND sa.service IN ('water', 'irrigation', 'fire_line') "
        "JOIN premises p ON p.id = sa.premise_id"))).one()
    assert row.accounts == 400 and row.cycles == 4 and row.routes >= 12
    assert row.mf > 0 and row.nonres > 0
    started = (await conn.execute(text(
        "SELECT count(*) FROM outbox WHERE type = 'accounts.ServiceStarted'"))).scalar_one()
    sas = (await conn.execute(text("SELECT count(*) FROM service_agreements"))).scalar_one()
    assert started == sas
    name = (await conn.execute(text(
        "SELECT c.name FROM customers c WHERE kind = 'person' LIMIT 1"))).scalar_one()
    hits = await client.get("/api/accounts/search", headers=auth("csr1"),
                            params={"q": name, "entity": "account"})
    assert hits.status_code == 200 and hits.json()
    # rebates (issue 15): forms waiting for approval at single-family homes
    waiting = (await conn.execute(text(
        "SELECT r.programme, r.amount, p.kind FROM rebate_applications r "
        "JOIN premises p ON p.id = r.premise_id WHERE r.status = 'pending' "
        "ORDER BY r.programme"))).all()
    assert [(w.programme, str(w.amount), w.kind) for w in waiting] == [
        ("toilet", "200.00", "single_family"), ("turf", "1280.00", "single_family"),
        ("washer", "150.00", "single_family")]
