"""All SQL of usage: an account's meters, AMI days, what a projection needs, leak alerts (found
set-based over a whole day's AMI data) and alert preferences."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.outbox import publish_batch, publishing
from kernel.rows import all_as, first_as

# The meters an account holds or held: an agreement's own meter, else every meter at its
# premise (as the bill run measures it). Each branch starts from the account's few agreements
# (`sa_account_ix`) and looks its meters up by index (primary key, `meters_premise_ix`); no OR
# join, and no join against `meters` after an aggregate (whose row estimate once chose a
# sequential scan of every meter).
_HELD = """
    held AS (
        SELECT m.id AS meter_id, m.serial, m.size, m.unit, m.premise_id, sa.service,
               sa.start_date, sa.stop_date
        FROM service_agreements sa JOIN meters m ON m.id = sa.meter_id
        WHERE sa.account_id = :a AND sa.status <> 'pending'
        UNION ALL
        SELECT m.id, m.serial, m.size, m.unit, m.premise_id, sa.service, sa.start_date,
               sa.stop_date
        FROM service_agreements sa JOIN meters m ON m.premise_id = sa.premise_id
        WHERE sa.account_id = :a AND sa.status <> 'pending' AND sa.meter_id IS NULL
    ), by_meter AS (
        SELECT meter_id, serial, size, unit, premise_id, min(start_date) AS held_from,
               CASE WHEN bool_or(stop_date IS NULL) THEN NULL ELSE max(stop_date) END AS held_to,
               bool_or(service = 'water') AS water,
               EXISTS (SELECT 1 FROM ami_days a WHERE a.meter_id = held.meter_id) AS has_data
        FROM held GROUP BY meter_id, serial, size, unit, premise_id
    )"""


@dataclass(frozen=True)
class HeldMeter:
    meter_id: uuid.UUID
    serial: str
    size: str
    unit: str
    premise_id: uuid.UUID | None
    address: dict[str, object]
    held_from: date
    held_to: date | None
    has_interval_data: bool


async def account_meters(s: AsyncSession, account_id: uuid.UUID) -> list[HeldMeter]:
    """Water meters first, then the most recently started."""
    return all_as(HeldMeter, await s.execute(text(
        "WITH " + _HELD + """
        SELECT h.meter_id, h.serial, h.size, h.unit, h.premise_id,
               coalesce((SELECT p.address FROM premises p WHERE p.id = h.premise_id),
                        '{}'::jsonb) AS address,
               h.held_from, h.held_to, h.has_data AS has_interval_data
        FROM by_meter h
        ORDER BY h.water DESC, h.held_from DESC, h.serial
        """), {"a": account_id}))


async def account_known(s: AsyncSession, account_id: uuid.UUID) -> bool:
    return (await s.execute(text("SELECT 1 FROM accounts WHERE id = :a"),
                            {"a": account_id})).first() is not None


@dataclass(frozen=True)
class AmiDay:
    day: date
    hourly: list[Decimal | None]
    total: Decimal


async def ami_days(s: AsyncSession, meter_id: uuid.UUID, start: date, end: date
                   ) -> list[AmiDay]:
    """A meter's days in [start, end] (the primary key's range: the chart's one lookup)."""
    return all_as(AmiDay, await s.execute(text(
        "SELECT day, hourly, total FROM ami_days WHERE meter_id = :m AND day BETWEEN :s AND :e "
        "ORDER BY day"), {"m": meter_id, "s": start, "e": end}))


@dataclass(frozen=True)
class MeterDay:
    """The chosen meter (repeated on each row) and one of its days (None: no day in range)."""

    meter_id: uuid.UUID
    serial: str
    unit: str
    day: date | None
    hourly: list[Decimal | None] | None
    total: Decimal | None


# The portal's chart in one round trip: the account's meter `:m` (else the one
# `account_meters` lists first among those with AMI data, else first) and its days in
# [:s, :e] that the account held it (`domain.clamp`, here in SQL). No rows: the account holds
# no such meter.
METER_DAYS = text("WITH " + _HELD + """,
        chosen AS (
            SELECT * FROM by_meter WHERE CAST(:m AS uuid) IS NULL OR meter_id = :m
            ORDER BY has_data DESC, water DESC, held_from DESC, serial
            LIMIT 1
        )
        SELECT c.meter_id, c.serial, c.unit, a.day, a.hourly, a.total
        FROM chosen c LEFT JOIN ami_days a ON a.meter_id = c.meter_id
             AND a.day BETWEEN greatest(CAST(:s AS date), c.held_from)
                           AND least(CAST(:e AS date), coalesce(c.held_to, CAST(:e AS date)))
        ORDER BY a.day
    """)


async def meter_days(s: AsyncSession, account_id: uuid.UUID, meter_id: uuid.UUID | None,
                     start: date, end: date) -> list[MeterDay]:
    """See `METER_DAYS`."""
    return all_as(MeterDay, await s.execute(
        METER_DAYS, {"a": account_id, "m": meter_id, "s": start, "e": end}))


# ---- what a projection needs -----------------------------------------------------------------

@dataclass(frozen=True)
class LastBill:
    period_start: date
    period_end: date


async def last_final_bill(s: AsyncSession, account_id: uuid.UUID) -> LastBill | None:
    return first_as(LastBill, await s.execute(text(
        "SELECT period_start, period_end FROM bills WHERE account_id = :a AND status = 'final' "
        "ORDER BY period_end DESC LIMIT 1"), {"a": account_id}))


@dataclass(frozen=True)
class Agreement:
    """An agreement as the bill run sees it (its meter: its own, else the premise's
    installed one; see `runs.repository._SA`)."""

    service: str
    rate_class: str
    start_date: date
    stop_date: date | None
    meter_id: uuid.UUID | None
    meter_size: str | None
    dwelling_units: int
    winter_per_day: Decimal | None


async def agreements(s: AsyncSession, account_id: uuid.UUID, start: date, end: date
                     ) -> list[Agreement]:
    return all_as(Agreement, await s.execute(text(
        """
        SELECT x.service, x.rate_class, x.start_date, x.stop_date, x.meter_id,
               m.size AS meter_size, x.dwelling_units, x.winter_per_day
        FROM (SELECT sa.service, sa.rate_class, sa.start_date, sa.stop_date,
                     p.dwelling_units, wa.per_day AS winter_per_day,
                     coalesce(sa.meter_id, (SELECT m.id FROM meters m
                              WHERE m.premise_id = sa.premise_id AND m.status = 'installed'
                              ORDER BY m.id LIMIT 1)) AS meter_id
              FROM service_agreements sa JOIN premises p ON p.id = sa.premise_id
              LEFT JOIN winter_averages wa ON wa.premise_id = sa.premise_id
              WHERE sa.account_id = :a AND sa.status <> 'pending' AND sa.start_date <= :e
                AND (sa.stop_date IS NULL OR sa.stop_date >= :s)) x
        LEFT JOIN meters m ON m.id = x.meter_id
        ORDER BY x.service, x.start_date
        """), {"a": account_id, "s": start, "e": end}))


@dataclass(frozen=True)
class MeterUse:
    meter_id: uuid.UUID
    unit: str
    use: Decimal
    days: int


async def use_between(s: AsyncSession, meter_ids: list[uuid.UUID], start: date, end: date
                      ) -> list[MeterUse]:
    """Each meter's AMI use (register unit) and days with data in [start, end]."""
    return all_as(MeterUse, await s.execute(text(
        "SELECT a.meter_id, m.unit, sum(a.total) AS use, count(*)::int AS days "
        "FROM ami_days a JOIN meters m ON m.id = a.meter_id "
        "WHERE a.meter_id = ANY(:ms) AND a.day BETWEEN :s AND :e GROUP BY a.meter_id, m.unit"),
        {"ms": meter_ids, "s": start, "e": end}))


# ---- leak detection: one statement over every meter with data on the day --------------------

# Each meter's hours of the window [:d0, :day] in gallons (the unit table is a parameter: the
# rule lives in `domain.GALLONS_PER_UNIT`), the runs of consecutive hours over each rule's rate
# (gaps and islands: a run's hours share `idx - row_number()`), kept when long enough and
# reaching into the day; the account whose agreement held the meter that day (residential
# premises only for a continuous-flow rule); then an open episode the run continues is
# extended, a new one inserted, and an open one whose flow stopped before the day is ended.
DETECT = text("""
    WITH rules AS (
        SELECT * FROM jsonb_to_recordset(CAST(:rules AS jsonb))
            AS r(kind text, gph numeric, hours int, residential_only boolean)
    ), today AS (
        -- the meters that may have a run reaching into the day: for a rule longer than a day
        -- the run holds the day's first hour; for a shorter one, some hour of the day
        SELECT a.meter_id,
               coalesce((CAST(:units AS jsonb) ->> upper(m.unit))::numeric, 1) AS factor
        FROM ami_days a JOIN meters m ON m.id = a.meter_id
        WHERE a.day = :day AND EXISTS (
            SELECT 1 FROM rules r
            WHERE (CASE WHEN r.hours > 24 THEN a.hourly[1]
                        ELSE (SELECT max(v) FROM unnest(a.hourly) v) END)
                  * coalesce((CAST(:units AS jsonb) ->> upper(m.unit))::numeric, 1) > r.gph)
    ), hrs AS (
        SELECT a.meter_id, (a.day - CAST(:d0 AS date)) * 24 + (u.h - 1)::int AS idx,
               u.v * t.factor AS gallons
        FROM today t JOIN ami_days a ON a.meter_id = t.meter_id
             AND a.day BETWEEN CAST(:d0 AS date) AND CAST(:day AS date)
        CROSS JOIN LATERAL unnest(a.hourly) WITH ORDINALITY AS u(v, h)
        WHERE u.v IS NOT NULL
    ), flagged AS (
        SELECT h.*, r.kind, r.gph, r.hours AS min_hours, r.residential_only,
               h.idx - row_number() OVER (PARTITION BY h.meter_id, r.kind ORDER BY h.idx) AS grp
        FROM hrs h JOIN rules r ON h.gallons > r.gph
    ), long_runs AS (
        SELECT meter_id, kind, grp FROM flagged GROUP BY meter_id, kind, grp
        HAVING count(*) >= min(min_hours) AND max(idx) >= :first_idx
    ), runs AS (
        -- the hours of the runs kept, as instants: the window's local wall clock in the zone
        SELECT f.meter_id, f.kind, min(f.gph) AS gph, min(f.min_hours) AS min_hours,
               bool_and(f.residential_only) AS residential_only,
               min(x.at) AS first_hour, max(x.at) AS last_hour,
               round(max(f.gallons), 3) AS peak,
               jsonb_agg(jsonb_build_object(
                   'at', to_char(x.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   'gallons', round(f.gallons, 3)::text) ORDER BY f.idx) AS hours
        FROM flagged f JOIN long_runs l USING (meter_id, kind, grp)
        CROSS JOIN LATERAL (SELECT (CAST(:d0 AS date) + make_interval(hours => f.idx::int))
                                   AT TIME ZONE :tz AS at) x
        GROUP BY f.meter_id, f.kind, f.grp
    ), owners AS (
        SELECT DISTINCT ON (r.meter_id, r.kind, r.first_hour) r.*, sa.account_id
        FROM runs r JOIN meters m ON m.id = r.meter_id
        JOIN service_agreements sa ON sa.premise_id = m.premise_id
             AND (sa.meter_id = m.id OR sa.meter_id IS NULL)
             AND sa.status <> 'pending' AND sa.start_date <= :day
             AND (sa.stop_date IS NULL OR sa.stop_date >= :day)
        JOIN premises p ON p.id = sa.premise_id
        WHERE NOT r.residential_only OR p.kind IN ('single_family', 'multi_family')
        ORDER BY r.meter_id, r.kind, r.first_hour, (sa.service = 'water') DESC,
                 sa.start_date DESC
    ), ext AS (
        UPDATE leak_alerts a SET
            last_hour = greatest(a.last_hour, o.last_hour),
            last_seen_on = greatest(a.last_seen_on, CAST(:day AS date)),
            peak_gph = greatest(a.peak_gph, o.peak),
            hours = a.hours || coalesce((SELECT jsonb_agg(x ORDER BY x->>'at')
                                         FROM jsonb_array_elements(o.hours) x
                                         WHERE (x->>'at')::timestamptz > a.last_hour),
                                        '[]'::jsonb)
        FROM owners o
        WHERE a.status = 'open' AND a.meter_id = o.meter_id AND a.kind = o.kind
          AND a.account_id = o.account_id AND a.last_hour >= o.first_hour - interval '1 hour'
        RETURNING a.id
    ), ins AS (
        INSERT INTO leak_alerts (id, account_id, meter_id, kind, first_hour, last_hour, hours,
                                 peak_gph, threshold_gph, min_hours, detected_on, last_seen_on)
        SELECT gen_random_uuid(), o.account_id, o.meter_id, o.kind, o.first_hour, o.last_hour,
               o.hours, o.peak, o.gph, o.min_hours, :day, :day
        FROM owners o
        WHERE NOT EXISTS (SELECT 1 FROM leak_alerts a WHERE a.status = 'open'
                            AND a.meter_id = o.meter_id AND a.kind = o.kind
                            AND a.account_id = o.account_id
                            AND a.last_hour >= o.first_hour - interval '1 hour')
        ON CONFLICT ON CONSTRAINT leak_alerts_episode_uq DO NOTHING
        RETURNING id
    ), ended AS (
        UPDATE leak_alerts a SET status = 'ended'
        WHERE a.status = 'open'
          AND EXISTS (SELECT 1 FROM ami_days x WHERE x.meter_id = a.meter_id AND x.day = :day)
          AND a.last_hour < CAST(:day_start AS timestamptz)
          AND a.id NOT IN (SELECT id FROM ext)
        RETURNING a.id
    )
    SELECT id FROM ins
""")

# `billing.LeakSuspected` for the episodes just opened, with the account's preferences
# (defaults when it saved none), handed to the kernel's one publishing statement.
LEAK_EVENTS = publishing("""
    SELECT gen_random_uuid() AS event_id, 'billing.LeakSuspected' AS type, 1 AS version,
           'account:' || a.account_id AS key, a.first_hour AS ord,
           jsonb_build_object(
               'alert', jsonb_build_object(
                   'id', a.id, 'account_id', a.account_id, 'meter_id', a.meter_id,
                   'kind', a.kind, 'first_hour', a.hours->0->>'at',
                   'last_hour', a.hours->-1->>'at', 'detected_on', a.detected_on,
                   'threshold_gph', a.threshold_gph::text, 'min_hours', a.min_hours,
                   'peak_gph', a.peak_gph::text, 'hours', a.hours),
               'notify', jsonb_build_object(
                   'email', coalesce(p.email, true) AND
                            CASE a.kind WHEN 'continuous' THEN coalesce(p.continuous, true)
                                        ELSE coalesce(p.burst, true) END,
                   'text', coalesce(p.text, false) AND
                           CASE a.kind WHEN 'continuous' THEN coalesce(p.continuous, true)
                                       ELSE coalesce(p.burst, true) END)) AS payload
    FROM leak_alerts a LEFT JOIN usage_alert_prefs p ON p.account_id = a.account_id
    WHERE a.id = ANY(CAST(:ids AS uuid[]))
""")


async def detect(s: AsyncSession, day: date, d0: date, first_idx: int, day_start: datetime,
                 tz: str, rules: list[dict[str, object]], units: dict[str, str]
                 ) -> list[uuid.UUID]:
    """Run the detection for `day`; the ids of the episodes it opened."""
    rows = (await s.execute(DETECT, {
        "day": day, "d0": d0, "first_idx": first_idx, "day_start": day_start, "tz": tz,
        "rules": json.dumps(rules), "units": json.dumps(units)})).all()
    return [r.id for r in rows]


async def publish_leaks(s: AsyncSession, ids: list[uuid.UUID]) -> int:
    return await publish_batch(s, LEAK_EVENTS, {"ids": ids}, actor="billing")


@dataclass(frozen=True)
class Alert:
    id: uuid.UUID
    account_id: uuid.UUID
    meter_id: uuid.UUID
    kind: str
    status: str
    first_hour: datetime
    last_hour: datetime
    detected_on: date
    last_seen_on: date
    threshold_gph: Decimal
    min_hours: int
    peak_gph: Decimal
    hours: list[dict[str, str]]


async def alerts(s: AsyncSession, account_id: uuid.UUID, status: str | None, limit: int
                 ) -> list[Alert]:
    return all_as(Alert, await s.execute(text(
        "SELECT * FROM leak_alerts WHERE account_id = :a "
        "AND (CAST(:st AS text) IS NULL OR status = :st) "
        "ORDER BY detected_on DESC, first_hour DESC LIMIT :n"),
        {"a": account_id, "st": status, "n": limit}))


# ---- alert preferences -----------------------------------------------------------------------

@dataclass(frozen=True)
class Prefs:
    email: bool
    text: bool
    continuous: bool
    burst: bool


async def prefs(s: AsyncSession, account_id: uuid.UUID) -> Prefs | None:
    return first_as(Prefs, await s.execute(text(
        "SELECT email, text, continuous, burst FROM usage_alert_prefs WHERE account_id = :a"),
        {"a": account_id}))


async def save_prefs(s: AsyncSession, account_id: uuid.UUID, p: Prefs, who: str) -> None:
    await s.execute(text(
        "INSERT INTO usage_alert_prefs (account_id, email, text, continuous, burst, updated_by) "
        "VALUES (:a, :e, :t, :c, :b, :w) ON CONFLICT (account_id) DO UPDATE SET "
        "email = excluded.email, text = excluded.text, continuous = excluded.continuous, "
        "burst = excluded.burst, updated_by = excluded.updated_by, updated_at = now()"),
        {"a": account_id, "e": p.email, "t": p.text, "c": p.continuous, "b": p.burst,
         "w": who})
