"""The bill calculation exists twice: one SQL statement for a whole run (`runs/repository.py`)
and the same rule in Python (`rates/domain.py: agreement_lines`). Whatever the rate schedule,
agreement, reads and period, both give the same lines to the cent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from services.billing.copy import repository as copy_repo
from services.billing.rates import domain
from services.billing.rates import repository as rates_repo
from services.billing.rates.schemas import RateVersionIn
from services.billing.reads import repository as reads_repo
from services.billing.runs import repository as runs_repo

SIZES = ["5/8", "1", "2"]
# (service, rate class, basis) the agreements may be on
CLASSES = [("water", "RES", "metered"), ("water", "MFR", "metered"),
           ("water", "COM", "metered"), ("wastewater", "RES", "winter_average"),
           ("wastewater", "COM", "metered"), ("fire_line", "FIRE", "fixed_only")]


def dec(lo: str, hi: str, places: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(Decimal(lo), Decimal(hi), places=places, allow_nan=False,
                       allow_infinity=False)


@st.composite
def rate_class(draw: Any, service: str, name: str, basis: str) -> dict[str, Any]:
    blocks = []
    if basis != "fixed_only":
        n = draw(st.integers(1, 4))
        blocks = [{"width": None if i == n - 1 else str(draw(dec("0.5", "40", 4))),
                   "price": str(draw(dec("0", "12", 4)))} for i in range(n)]
    return {"service": service, "rate_class": name, "basis": basis, "blocks": blocks,
            "cap": str(draw(dec("1", "40", 4))) if draw(st.booleans()) else None,
            "minimum_charge": str(draw(dec("0", "90", 2))) if draw(st.booleans()) else None,
            "widths_per_unit": draw(st.booleans())}


@st.composite
def schedule(draw: Any, effective: date) -> dict[str, Any]:
    stage = draw(st.integers(0, 2))
    return {
        "name": f"v{effective}", "effective_date": effective, "drought_stage": stage,
        "fixed": [{"service": sv, "meter_size": sz, "amount": str(draw(dec("0", "150", 4)))}
                  for sv in ("water", "wastewater", "fire_line") for sz in SIZES
                  if draw(st.integers(0, 3))],
        "classes": [draw(rate_class(sv, name, basis)) for sv, name, basis in CLASSES
                    if draw(st.integers(0, 4))] or [draw(rate_class("water", "RES", "metered"))],
        "surcharges": [{"service": sv, "stage": k, "price": str(draw(dec("0", "3", 4)))}
                       for sv in ("water", "wastewater") for k in (1, 2)
                       if draw(st.booleans())],
        "fees": [{"service": sv, "name": name, "amount": str(draw(dec("0", "9", 4)))}
                 for sv, name in (("water", "State fee"), ("water", "Capital"),
                                  ("wastewater", "Regional fee")) if draw(st.booleans())],
    }


@dataclass
class Case:
    period_start: date
    period_end: date
    schedules: list[dict[str, Any]]
    agreements: list[tuple[str, str, date, date | None]]  # service, class, start, stop
    meter_size: str
    units: int
    reads: list[tuple[date, Decimal]]
    winter_per_day: Decimal | None


@st.composite
def cases(draw: Any) -> Case:
    start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 365)))
    end = start + timedelta(days=draw(st.integers(0, 95)))
    # the first version usually before the period (sometimes inside it: a part is unpriced),
    # then up to two rate changes inside the period
    first = start + timedelta(days=draw(st.sampled_from([-400, -30, 0, 0, 3])))
    inside = draw(st.sets(st.integers(1, (end - start).days), max_size=2)) \
        if end > start else set()
    dates = sorted({first} | {start + timedelta(days=d) for d in inside if
                              start + timedelta(days=d) > first})
    schedules = [draw(schedule(d)) for d in dates]
    agreements = []
    for sv, name, _ in draw(st.lists(st.sampled_from(CLASSES), min_size=1, max_size=3,
                                     unique_by=lambda c: c[0])):
        sa_start = start + timedelta(days=draw(st.integers(-60, (end - start).days)))
        sa_stop = (sa_start + timedelta(days=draw(st.integers(0, 120)))
                   if draw(st.booleans()) else None)
        if sa_stop is not None and sa_stop < start:
            sa_stop = start
        agreements.append((sv, name, sa_start, sa_stop))
    reads = [(start + timedelta(days=draw(st.integers(-20, (end - start).days + 20))),
              draw(dec("0", "80", 4))) for _ in range(draw(st.integers(0, 4)))]
    return Case(start, end, schedules, agreements, draw(st.sampled_from(SIZES)),
                draw(st.integers(1, 8)), reads,
                draw(dec("0", "3", 6)) if draw(st.booleans()) else None)


def python_lines(c: Case, versions: dict[str, RateVersionIn]) -> dict[str, list[tuple]]:
    schedules = [domain.Schedule(
        vid, v.effective_date, v.drought_stage,
        fixed={(f.service, f.meter_size): f.amount for f in v.fixed},
        classes={(k.service, k.rate_class): domain.RateClass(
            k.basis, tuple(domain.Block(i, b.width, b.price)
                           for i, b in enumerate(k.blocks, start=1)),
            k.cap, k.minimum_charge, k.widths_per_unit) for k in v.classes},
        surcharges={(x.service, x.stage): x.price for x in v.surcharges},
        fees={(f.service, f.name): f.amount for f in v.fees}) for vid, v in versions.items()]
    use = sum((u for on, u in c.reads if c.period_start <= on <= c.period_end), Decimal(0))
    out = {}
    for sv, name, sa_start, sa_stop in c.agreements:
        sa = domain.Agreement(sv, name, sa_start, sa_stop, c.meter_size, c.units, use,
                              c.winter_per_day)
        out[sv] = sorted(_key(ln.kind, ln.description, ln.start, ln.end, ln.quantity,
                              ln.unit_price, ln.tier, ln.version, ln.amount)
                         for ln in domain.agreement_lines(sa, c.period_start, c.period_end,
                                                          schedules))
    return out


def _key(kind, description, start, end, quantity, unit_price, tier, version, amount) -> tuple:
    return (start, kind, tier or 0, description, end, quantity, unit_price, str(version),
            amount)


async def sql_lines(s, c: Case, versions: dict[str, RateVersionIn]) -> dict[str, list[tuple]]:
    for vid, v in versions.items():
        await rates_repo.insert_version(s, uuid.UUID(vid), v, "test")
    acct, prem, meter = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await copy_repo.upsert_premise(s, {"id": prem, "kind": "multi_family",
                                       "dwelling_units": c.units, "cycle": "P1", "route": "R",
                                       "address": {}})
    await copy_repo.upsert_meter(s, {
        "id": meter, "serial": f"P{meter.hex[:12]}", "size": c.meter_size, "dials": 6,
        "multiplier": 1, "unit": "HCF", "endpoint_id": None, "status": "installed",
        "premise_id": prem, "installed_at": None, "install_read": None})
    sa_ids = {}
    for sv, name, sa_start, sa_stop in c.agreements:
        sa_ids[sv] = uuid.uuid4()
        await copy_repo.upsert_sa(s, {
            "id": sa_ids[sv], "account_id": acct, "premise_id": prem, "service": sv,
            "rate_class": name, "meter_id": meter, "start_date": sa_start,
            "stop_date": sa_stop, "status": "active"})
    for i, (on, use) in enumerate(c.reads):
        await reads_repo.insert_read(s, {
            "id": uuid.uuid4(), "meter_id": meter, "read_on": on, "value": i, "usage": use,
            "days": 30, "source": "test", "kind": "actual", "status": "valid",
            "created_by": "test"})
    if c.winter_per_day is not None:
        await s.execute(text(
            "INSERT INTO winter_averages (premise_id, per_day, winter_start, winter_end) "
            "VALUES (:p, :d, '2025-12-01', '2026-02-28')"), {"p": prem, "d": c.winter_per_day})
    run_id = uuid.uuid4()
    await runs_repo.insert_run(s, {
        "id": run_id, "cycle": "P1", "period_start": c.period_start,
        "period_end": c.period_end, "bill_date": c.period_end, "due_date": c.period_end,
        "kind": "account", "account_id": acct, "created_by": "test"})
    await runs_repo.calculate(s, await runs_repo.get_run(s, run_id), Decimal(10**9),
                              Decimal(1))
    rows = (await s.execute(text(
        "SELECT l.* FROM bill_lines l JOIN bills b ON b.id = l.bill_id "
        "WHERE b.run_id = :r"), {"r": run_id})).all()
    return {sv: sorted(_key(r.kind, r.description, r.seg_start, r.seg_end, r.quantity,
                            r.unit_price, r.tier, r.rate_version_id, r.amount)
                       for r in rows if r.sa_id == sid) for sv, sid in sa_ids.items()}


def _one_day_of_thirty(**v: Any) -> dict[str, Any]:
    return {"name": "x", "drought_stage": 0, "surcharges": [], "fees": [], "fixed": [], **v}


# A 30-day period whose last day is under a new version: 1/30 of a charge is exactly half a
# cent (46.35 / 30 = 1.545) or half a step of 0.0001 (0.0015 x 3 units / 30 = 0.00015). Only
# exact arithmetic rounds those up; 1/30 carried as 0.0333…3 rounds them down.
HALVES = [
    _one_day_of_thirty(
        fixed=[{"service": "water", "meter_size": "5/8", "amount": "46.35"}],
        fees=[{"service": "water", "name": "State fee", "amount": "0.15"}],
        classes=[{"service": "water", "rate_class": "COM", "minimum_charge": "61.65",
                  "blocks": [{"width": None, "price": "0"}]},
                 {"service": "wastewater", "rate_class": "COM", "cap": "1.0005",
                  "blocks": [{"width": None, "price": "1"}]}]),
    _one_day_of_thirty(
        classes=[{"service": "water", "rate_class": "RES", "widths_per_unit": True,
                  "blocks": [{"width": "0.0015", "price": "100"},
                             {"width": None, "price": "1"}]}]),
]


@example(c=Case(date(2026, 4, 1), date(2026, 4, 30),
                [{**HALVES[0], "effective_date": date(2025, 7, 1)},
                 {**HALVES[0], "effective_date": date(2026, 4, 30)}],
                [("water", "COM", date(2026, 1, 1), None),
                 ("wastewater", "COM", date(2026, 1, 1), None)],
                "5/8", 3, [(date(2026, 4, 30), Decimal(9))], None))
@example(c=Case(date(2026, 4, 1), date(2026, 4, 30),
                [{**HALVES[1], "effective_date": date(2025, 7, 1)},
                 {**HALVES[1], "effective_date": date(2026, 4, 30)}],
                [("water", "RES", date(2026, 1, 1), None)],
                "5/8", 3, [(date(2026, 4, 30), Decimal(9))], None))
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(c=cases())
async def test_sql_and_python_bill_every_line_alike_to_the_cent(service_apps, c):
    versions = {str(uuid.uuid4()): RateVersionIn.model_validate(v) for v in c.schedules}
    expected = python_lines(c, versions)
    async with service_apps["billing"].state.db.session() as s:
        try:
            got = await sql_lines(s, c, versions)
        finally:
            await s.rollback()
    assert got == expected
