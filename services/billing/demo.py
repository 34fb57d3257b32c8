"""Demo data for billing: a realistic rate schedule and the billing cycles (caller commits);
and, once billing's copy holds the demo district, a month of hourly AMI data (`load_ami_demo`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.auth import Principal
from kernel.rows import all_as
from services.billing.config import service as config
from services.billing.rates import service as rates
from services.billing.rates.schemas import RateVersionIn
from services.billing.reads import service as reads
from services.billing.usage import service as usage

SYSTEM = Principal("demo", "system", "Demo loader")

SIZES = {"5/8": "18.50", "3/4": "24.10", "1": "38.40", "1.5": "72.90", "2": "114.60",
         "3": "228.00", "4": "356.00", "6": "712.00"}
FIRE = {"2": "12.00", "4": "28.00", "6": "55.00", "8": "92.00"}

CYCLES = [{"cycle": f"C{i}", "read_day": 5 * i, "routes": [f"R{i}{j}" for j in range(1, 5)]}
          for i in range(1, 5)]


def rate_schedule(effective: date) -> RateVersionIn:
    return RateVersionIn.model_validate({
        "name": f"Rates effective {effective.isoformat()}",
        "effective_date": effective,
        "drought_stage": 0,
        "fixed": [{"service": "water", "meter_size": k, "amount": v} for k, v in SIZES.items()]
        + [{"service": "wastewater", "meter_size": k, "amount": "22.75"} for k in SIZES]
        + [{"service": "fire_line", "meter_size": k, "amount": v} for k, v in FIRE.items()],
        "classes": [
            {"service": "water", "rate_class": "RES", "blocks": [
                {"width": "6", "price": "3.12"}, {"width": "14", "price": "4.05"},
                {"width": None, "price": "5.87"}]},
            {"service": "water", "rate_class": "MFR", "widths_per_unit": True, "blocks": [
                {"width": "4", "price": "3.12"}, {"width": "4", "price": "4.05"},
                {"width": None, "price": "5.87"}]},
            {"service": "water", "rate_class": "COM", "minimum_charge": "45.00",
             "blocks": [{"width": None, "price": "4.21"}]},
            {"service": "water", "rate_class": "IRR", "blocks": [
                {"width": None, "price": "4.95"}]},
            {"service": "wastewater", "rate_class": "RES", "basis": "winter_average",
             "cap": "12", "blocks": [{"width": None, "price": "5.40"}]},
            {"service": "wastewater", "rate_class": "COM", "basis": "metered",
             "blocks": [{"width": None, "price": "6.10"}]},
            {"service": "fire_line", "rate_class": "FIRE", "basis": "fixed_only"},
        ],
        "surcharges": [{"service": "water", "stage": s, "price": p}
                       for s, p in ((1, "0.25"), (2, "0.60"), (3, "1.20"))],
        "fees": [{"service": "water", "name": "State water fee", "amount": "0.85"}],
    })


async def load_rates(session: AsyncSession, effective: date) -> None:
    if not await rates.in_force_from(session, effective):
        await rates.create(session, SYSTEM, rate_schedule(effective))


async def load_demo(session: AsyncSession, today: date) -> None:
    """A rate schedule in force since the start of the fiscal year, and four monthly cycles."""
    fy = date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    await load_rates(session, fy)
    await config.save(session, "billing.cycles", {"cycles": CYCLES})


# ---- AMI demo (issue 12): a month of hourly use, one continuous leak, two courtesy calls ------

#: A household's day in gallons by local hour: nothing at night, peaks morning and evening
#: (215 gal, about 0.29 HCF). No hour runs all night, so no continuous-flow rule can trip.
HOUSEHOLD = (0, 0, 0, 0, 0, 0, 25, 30, 15, 5, 5, 5, 5, 5, 5, 5, 5, 15, 20, 25, 20, 15, 10, 0)
#: The leak: a running toilet, 20 gal every hour of the month (over DOMAIN.md's 3 gal/h for 48 h;
#: never over 30 gal/h for 8 hours, so it is a continuous alert, not a burst).
LEAK_GPH = 20
#: A new lawn watered every evening, 18:00-23:59 (6 hours: under the burst rule's 8).
IRRIGATION = {h: 75 for h in range(18, 24)}
GALLONS_PER_HCF = Decimal(748)
AMI_DAYS = 30


@dataclass(frozen=True)
class AmiMeter:
    id: uuid.UUID
    serial: str
    install_read: Decimal
    installed_at: date


def _hour_hcf(gallons: int) -> Decimal:
    return (Decimal(gallons) / GALLONS_PER_HCF).quantize(Decimal("0.001"), ROUND_HALF_UP)


def _profile(kind: str) -> list[Decimal]:
    """A day's 24 hourly uses (HCF) for a meter of the demo: normal, leak or irrigation."""
    extra = {"leak": dict.fromkeys(range(24), LEAK_GPH), "irrigation": IRRIGATION}.get(kind, {})
    return [_hour_hcf(g + extra.get(h, 0)) for h, g in enumerate(HOUSEHOLD)]


async def _ami_meters(session: AsyncSession, before: date) -> list[AmiMeter]:
    """Four AMI meters of single-family homes on active water service, installed well before
    the data starts, in serial order (the same ones for the same district)."""
    return all_as(AmiMeter, await session.execute(text(
        "SELECT m.id, m.serial, m.install_read, m.installed_at FROM meters m "
        "JOIN premises p ON p.id = m.premise_id AND p.kind = 'single_family' "
        "WHERE m.endpoint_id IS NOT NULL AND m.status = 'installed' AND m.installed_at < :d "
        "AND m.install_read IS NOT NULL AND EXISTS (SELECT 1 FROM service_agreements sa "
        "WHERE sa.meter_id = m.id AND sa.service = 'water' AND sa.status = 'active') "
        "ORDER BY m.serial LIMIT 4"), {"d": before}))


async def load_ami_demo(session: AsyncSession, today: date) -> int:
    """A month of hourly AMI data, to yesterday, for four homes of the demo district (billing's
    copy must hold it: `tapline.demo` catches the copy up first). One has a running toilet
    (a continuous-flow leak alert), one waters a new lawn; both month-end register reads come
    in over 2.5 times the month before, so both are on the courtesy call worklist (the leak
    with its alert beside it). Everything goes through billing's own use cases: the readings
    as a route file and an AMI interval file, leak detection for each day as the nightly runs
    it. Returns how many meters got data (0: the copy does not hold the district yet)."""
    first = today - timedelta(days=AMI_DAYS)
    meters = await _ami_meters(session, today - timedelta(days=400))
    if not meters:
        return 0
    kinds = dict(zip([m.id for m in meters], ["leak", "irrigation", "normal", "normal"],
                     strict=False))
    # two ordinary monthly route reads before the AMI month: 0.3 HCF a day
    r1_on, r2_on = first - timedelta(days=31), first - timedelta(days=1)
    r1 = {m.id: m.install_read + (Decimal("0.3") * (r1_on - m.installed_at).days).quantize(
        Decimal(1), ROUND_HALF_UP) for m in meters}
    r2 = {m.id: r1[m.id] + 9 for m in meters}
    for on, values in ((r1_on, r1), (r2_on, r2)):
        rows = [f"{m.serial},{on},{values[m.id]}" for m in meters]
        await reads.import_file(session, SYSTEM, "handheld", f"demo-route-{on}.csv",
                                "\n".join(["meter_serial,read_date,reading", *rows]).encode(),
                                today)
    # the AMI month; the head-end sends the register with the month's last interval
    lines = ["meter_serial,interval_start,usage,register"]
    for m in meters:
        day_use = _profile(kinds[m.id])
        month = sum(day_use, Decimal(0)) * AMI_DAYS
        register = r2[m.id] + month.quantize(Decimal(1), ROUND_HALF_UP)
        for d in range(AMI_DAYS):
            on = first + timedelta(days=d)
            for h, hcf in enumerate(day_use):
                last = d == AMI_DAYS - 1 and h == 23
                lines.append(f"{m.serial},{on}T{h:02d}:00:00,{hcf},{register if last else ''}")
    await reads.import_file(session, SYSTEM, "ami", f"demo-ami-{first}.csv",
                            "\n".join(lines).encode(), today)
    for d in range(AMI_DAYS):  # as the nightly update runs it, day by day
        await usage.detect_leaks(session, first + timedelta(days=d))
    return len(meters)
