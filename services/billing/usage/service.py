"""Use cases of usage: an account's meters and their daily and hourly use, this period against
last year's, the current period's bill projection, leak alerts and how the account hears of
them, and the Green Button download. A portal customer reaches only their own accounts, and of
a meter only the days their account held it: anything else answers 404 as unknown ids do."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal, ensure_own_account
from kernel.clock import utc_now
from kernel.errors import NotFound, Unprocessable
from kernel.settings import get_settings
from services.billing.config import service as config
from services.billing.rates import domain as rates
from services.billing.rates import service as rates_service
from services.billing.usage import domain, greenbutton
from services.billing.usage import repository as repo
from services.billing.usage.schemas import (
    AlertPreferences,
    AlertPreferencesOut,
    ComparedDay,
    Comparison,
    DailySeries,
    DailyUse,
    DetectResult,
    HourlyDay,
    HourlySeries,
    LeakAlert,
    LeakHour,
    LeakRulesIO,
    PeriodUse,
    ProjectedLine,
    Projection,
    UsageMeter,
)

RULES_KEY = "usage.leaks"


def _tz() -> str:
    return get_settings().timezone


# ---- whose meter, which days ------------------------------------------------------------------

async def _account(s: AsyncSession, who: Principal, account_id: uuid.UUID) -> None:
    """404 for another customer's account, and for an account billing has not heard of."""
    ensure_own_account(who, account_id)
    if not await repo.account_known(s, account_id):
        raise NotFound("No such account", field="account_id")


async def meters(s: AsyncSession, who: Principal, account_id: uuid.UUID) -> list[UsageMeter]:
    await _account(s, who, account_id)
    return [UsageMeter.model_validate(m, from_attributes=True)
            for m in await repo.account_meters(s, account_id)]


async def _held(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                meter_id: uuid.UUID | None) -> repo.HeldMeter:
    """The account's meter (`meter_id`, else its water meter): 404 for a foreign account or a
    meter the account never held."""
    ensure_own_account(who, account_id)
    held = await repo.account_meters(s, account_id)
    if meter_id is None:
        with_data = [m for m in held if m.has_interval_data]
        if not (with_data or held):
            raise NotFound("This account has no meter", field="account_id")
        return (with_data or held)[0]
    for m in held:
        if m.meter_id == meter_id:
            return m
    raise NotFound("No such meter on this account", field="meter_id")


def _span(start: date, end: date) -> None:
    why = domain.span_error(start, end)
    if why:
        raise Unprocessable(why, field="end")


async def _days(s: AsyncSession, m: repo.HeldMeter, start: date, end: date
                ) -> list[repo.AmiDay]:
    """The meter's days in [start, end] that the account held it."""
    window = domain.clamp(start, end, m.held_from, m.held_to)
    if window is None:
        return []
    return await repo.ami_days(s, m.meter_id, *window)


async def _series(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                  meter_id: uuid.UUID | None, start: date, end: date
                  ) -> tuple[repo.MeterDay, list[repo.AmiDay]]:
    """The account's meter and its days in [start, end] that the account held it, in one
    round trip; 404 for another customer's account or a meter the account never held."""
    ensure_own_account(who, account_id)  # first: another's account is 404 whatever it asks
    _span(start, end)
    rows = await repo.meter_days(s, account_id, meter_id, start, end)
    if not rows:
        if meter_id is not None:
            raise NotFound("No such meter on this account", field="meter_id")
        raise NotFound("This account has no meter", field="account_id")
    return rows[0], [repo.AmiDay(r.day, r.hourly, r.total) for r in rows
                     if r.day is not None and r.hourly is not None and r.total is not None]


async def daily(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                meter_id: uuid.UUID | None, start: date, end: date) -> DailySeries:
    m, ami = await _series(s, who, account_id, meter_id, start, end)
    days = [DailyUse(day=d.day, gallons=domain.to_gallons(d.total, m.unit) or Decimal(0),
                     hours_measured=sum(v is not None for v in d.hourly)) for d in ami]
    return DailySeries(account_id=account_id, meter_id=m.meter_id, start=start, end=end,
                       total_gallons=sum((d.gallons for d in days), Decimal(0)), days=days)


async def hourly(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                 meter_id: uuid.UUID | None, start: date, end: date) -> HourlySeries:
    m, ami = await _series(s, who, account_id, meter_id, start, end)
    f = domain.gallons_per_unit(m.unit)
    return HourlySeries(
        account_id=account_id, meter_id=m.meter_id, start=start, end=end, timezone=_tz(),
        days=[HourlyDay(day=d.day, gallons=[None if v is None else
                                            (v * f).quantize(domain.THOUSANDTH)
                                            for v in d.hourly]) for d in ami])


async def _period(s: AsyncSession, account_id: uuid.UUID, held_from: date,
                  today: date) -> domain.Period:
    last = await repo.last_final_bill(s, account_id)
    return domain.current_period(
        last.period_end if last else None,
        (last.period_end - last.period_start).days + 1 if last else None, held_from, today)


async def comparison(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                     meter_id: uuid.UUID | None, start: date | None, end: date | None,
                     today: date) -> Comparison:
    """[start, end] (default: the current period up to today) against the same days a year
    earlier; the change compares gallons per measured day, so a gap in the AMI data does not
    read as saving water."""
    m = await _held(s, who, account_id, meter_id)
    if start is None or end is None:
        p = await _period(s, account_id, m.held_from, today)
        start, end = start or p.start, end or min(p.end, today)
    _span(start, end)
    ly_start, ly_end = domain.same_day_last_year(start), domain.same_day_last_year(end)
    now = {d.day: domain.to_gallons(d.total, m.unit) for d in await _days(s, m, start, end)}
    before = {d.day: domain.to_gallons(d.total, m.unit)
              for d in await _days(s, m, ly_start, ly_end)}

    def use(days: dict[date, Decimal | None], a: date, b: date) -> PeriodUse:
        total = sum((v or Decimal(0) for v in days.values()), Decimal(0))
        return PeriodUse(start=a, end=b, gallons=total, days_measured=len(days),
                         gallons_per_day=domain.per_day(total, len(days)))

    cur, last = use(now, start, end), use(before, ly_start, ly_end)
    out = []
    d = start
    while d <= end:
        ly = domain.same_day_last_year(d)
        out.append(ComparedDay(day=d, gallons=now.get(d), last_year_day=ly,
                               last_year_gallons=before.get(ly)))
        d += timedelta(days=1)
    return Comparison(account_id=account_id, meter_id=m.meter_id, current=cur, last_year=last,
                      change_percent=domain.change_percent(cur.gallons_per_day,
                                                           last.gallons_per_day)
                      if cur.days_measured and last.days_measured else None, days=out)


async def projection(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                     today: date) -> Projection:
    """The current period's bill if the rest of it uses what its measured days did, priced by
    `rates.domain.agreement_lines` (the rule the bill run's SQL is held to, to the cent)."""
    ensure_own_account(who, account_id)
    held = await repo.account_meters(s, account_id)
    if not held:
        raise NotFound("This account has no meter", field="account_id")
    p = await _period(s, account_id, min(m.held_from for m in held), today)
    sas = await repo.agreements(s, account_id, p.start, p.end)
    meter_ids = sorted({a.meter_id for a in sas if a.meter_id is not None})
    used = {u.meter_id: u for u in await repo.use_between(s, meter_ids, p.start, today)}
    projected = {mid: domain.projected_use(u.use, u.days, p.days) for mid, u in used.items()}
    schedules = [domain.schedule_of(v) for v in await rates_service.list_all(s)]
    lines: list[ProjectedLine] = []
    for a in sas:
        sa = rates.Agreement(a.service, a.rate_class, a.start_date, a.stop_date, a.meter_size,
                             a.dwelling_units, projected.get(a.meter_id, Decimal(0))
                             if a.meter_id else Decimal(0), a.winter_per_day)
        lines.extend(ProjectedLine(service=a.service, kind=ln.kind, description=ln.description,
                                   quantity=ln.quantity, unit_price=ln.unit_price,
                                   amount=ln.amount)
                     for ln in rates.agreement_lines(sa, p.start, p.end, schedules))
    days_measured = max((u.days for u in used.values()), default=0)
    use_to_date = sum((u.use for u in used.values()), Decimal(0))
    gallons = sum((domain.to_gallons(projected[u.meter_id], u.unit) or Decimal(0)
                   for u in used.values()), Decimal(0))
    note = (f"{days_measured} of {p.days} days measured; the other days are taken to use "
            "what they did on average" if days_measured else
            "no AMI data yet this period: only the charges that do not depend on use")
    return Projection(
        account_id=account_id, period_start=p.start, period_end=p.end, as_of=today,
        days_in_period=p.days, days_measured=days_measured, use_to_date=use_to_date,
        projected_use=sum(projected.values(), Decimal(0)), projected_gallons=gallons,
        projected_total=sum((ln.amount for ln in lines), Decimal(0)), lines=lines, note=note)


# ---- leaks ------------------------------------------------------------------------------------

async def leak_rules(s: AsyncSession) -> LeakRulesIO:
    return await config.load(s, RULES_KEY, LeakRulesIO)


async def set_leak_rules(s: AsyncSession, who: Principal, r: LeakRulesIO) -> LeakRulesIO:
    await config.save(s, RULES_KEY, r)
    await audit.record(s, who, "set-leak-rules", "config", RULES_KEY, after=r)
    return r


def _rules(r: LeakRulesIO) -> list[domain.LeakRule]:
    return [domain.LeakRule("continuous", r.continuous_gph, r.continuous_hours, True),
            domain.LeakRule("burst", r.burst_gph, r.burst_hours, False)]


async def detect_leaks(s: AsyncSession, day: date) -> int:
    """Examine every meter with AMI data on `day`: a run of hours over a rule's rate, long
    enough and reaching into the day, opens an alert for the account that held the meter (once
    per account, meter, kind and episode: a run that continues an open alert extends it) and
    publishes `billing.LeakSuspected`; an open alert whose flow stopped before the day ends.
    Set-based (one statement for the day, one for the events); flushes, never commits.
    Returns how many alerts it opened."""
    rules = _rules(await leak_rules(s))
    back = domain.window_days(rules)
    d0 = day - timedelta(days=back)
    tz = _tz()
    ids = await repo.detect(
        s, day, d0, back * 24, datetime.combine(day, datetime.min.time(), ZoneInfo(tz)), tz,
        [{"kind": r.kind, "gph": str(r.gph), "hours": r.hours,
          "residential_only": r.residential_only} for r in rules],
        {k: str(v) for k, v in domain.GALLONS_PER_UNIT.items()})
    if ids:
        await repo.publish_leaks(s, ids)
    return len(ids)


async def detect(s: AsyncSession, who: Principal, day: date, today: date) -> DetectResult:
    if day > today:
        raise Unprocessable("The day has not ended yet", field="day")
    n = await detect_leaks(s, day)
    await audit.record(s, who, "detect-leaks", "usage", day.isoformat(), after={"opened": n})
    return DetectResult(day=day, alerts_opened=n)


async def alerts(s: AsyncSession, who: Principal, account_id: uuid.UUID, status: str | None,
                 limit: int) -> list[LeakAlert]:
    await _account(s, who, account_id)
    return [LeakAlert(id=a.id, account_id=a.account_id, meter_id=a.meter_id,
                      kind=a.kind,
                      status=a.status,
                      first_hour=a.first_hour, last_hour=a.last_hour, detected_on=a.detected_on,
                      last_seen_on=a.last_seen_on, threshold_gph=a.threshold_gph,
                      min_hours=a.min_hours, peak_gph=a.peak_gph,
                      hours=[LeakHour.model_validate(h) for h in a.hours])
            for a in await repo.alerts(s, account_id, status, limit)]


async def preferences(s: AsyncSession, who: Principal, account_id: uuid.UUID
                      ) -> AlertPreferencesOut:
    await _account(s, who, account_id)
    p = await repo.prefs(s, account_id)
    if p is None:
        return AlertPreferencesOut(account_id=account_id, saved=False)
    return AlertPreferencesOut(account_id=account_id, saved=True, email=p.email, text=p.text,
                               continuous=p.continuous, burst=p.burst)


async def set_preferences(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                          body: AlertPreferences) -> AlertPreferencesOut:
    await _account(s, who, account_id)
    before = await repo.prefs(s, account_id)
    await repo.save_prefs(s, account_id, repo.Prefs(body.email, body.text, body.continuous,
                                                    body.burst), who.sub)
    await audit.record(s, who, "set-alert-preferences", "account", str(account_id),
                       before=before, after=body)
    return AlertPreferencesOut(account_id=account_id, saved=True, **body.model_dump())


# ---- Green Button ------------------------------------------------------------------------------

async def _export(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                  meter_id: uuid.UUID | None, start: date, end: date, base_url: str
                  ) -> greenbutton.Export:
    m, ami = await _series(s, who, account_id, meter_id, start, end)
    tz = _tz()
    days = [greenbutton.Day(d.day, domain.hour_instants(d.day, tz), list(d.hourly))
            for d in ami]
    return greenbutton.Export(account_id, m.meter_id, m.serial, m.unit, base_url.rstrip("/"),
                              utc_now(), days)


async def green_button_xml(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                           meter_id: uuid.UUID | None, start: date, end: date,
                           base_url: str) -> bytes:
    return greenbutton.espi_feed(
        await _export(s, who, account_id, meter_id, start, end, base_url))


async def green_button_csv(s: AsyncSession, who: Principal, account_id: uuid.UUID,
                           meter_id: uuid.UUID | None, start: date, end: date) -> str:
    x = await _export(s, who, account_id, meter_id, start, end, "")
    return greenbutton.csv_rows(x, domain.gallons_per_unit(x.unit))
