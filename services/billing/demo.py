"""Demo data for billing: a realistic rate schedule and the billing cycles (caller commits)."""

from __future__ import annotations

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.auth import Principal
from services.billing.config import service as config
from services.billing.rates import service as rates
from services.billing.rates.schemas import RateVersionIn

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
