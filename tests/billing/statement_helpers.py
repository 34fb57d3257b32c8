"""Statement rows without a database (unit tests, the benchmark): a residential tiered bill with
a year of history, payments, an adjustment and an estimated read."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from kernel.checkdigit import with_check_digit
from services.billing.bills.statement_repository import (
    BillData,
    SBill,
    SEntry,
    SLine,
    SPeriod,
    SRead,
)

D = Decimal


def bill_data(n: int = 0, *, language: str = "en", autopay: str | None = None,
              budget: Decimal | None = None, postal: str = "95000") -> BillData:
    bid, acct, sa, sewer, meter = (uuid.UUID(int=n * 10 + i + 1) for i in range(5))
    ps, pe = date(2026, 1, 1), date(2026, 1, 31)
    number = with_check_digit(f"{10000000 + n:08d}")
    b = SBill(bid, uuid.UUID(int=999), acct, ps, pe, date(2026, 2, 2), date(2026, 2, 23),
              "final", D("96.65"), [], number, f"Customer {n}",
              {"line1": f"{100 + n} Oak Street", "line2": None, "city": "Riverbend",
               "state": "CA", "postal_code": postal}, language, False, "C1", autopay, budget)
    addr = {"line1": f"{100 + n} Oak Street", "city": "Riverbend"}
    common = dict(units=1, premise_address=addr, meter_id=meter, serial=f"M{n:07d}",
                  size="5/8", unit="HCF", install_read=D("0"), installed_at=date(2020, 1, 1),
                  drought_stage=0, widths_per_unit=False)
    v = "Rates effective 2025-07-01"
    lines = [
        SLine(bid, sa, "water", "RES", "fixed", "Water service charge, 5/8 meter", ps, pe, D(1),
              D("18.50"), None, D("18.50"), v, lower=None, width=None, basis="metered",
              **common),  # type: ignore[arg-type]
        SLine(bid, sa, "water", "RES", "volume", "Water use, tier 1", ps, pe, D(6), D("3.12"),
              1, D("18.72"), v, lower=D(0), width=D(6), basis="metered", **common),  # type: ignore[arg-type]
        SLine(bid, sa, "water", "RES", "volume", "Water use, tier 2", ps, pe, D(7), D("4.05"),
              2, D("28.35"), v, lower=D(6), width=D(14), basis="metered", **common),  # type: ignore[arg-type]
        SLine(bid, sewer, "wastewater", "RES", "fixed", "Wastewater service charge", ps, pe,
              D(1), D("22.75"), None, D("22.75"), v, lower=None, width=None,
              basis="winter_average", **common),  # type: ignore[arg-type]
        SLine(bid, sewer, "wastewater", "RES", "volume", "Wastewater use", ps, pe, D("1.55"),
              D("5.40"), 1, D("8.33"), v, lower=D(0), width=None, basis="winter_average",
              **common),  # type: ignore[arg-type]
    ]
    reads = [SRead(bid, meter, D("1013"), pe, "estimated", D("1000"), ps - timedelta(days=1),
                   "actual", D(13))]
    entries = [SEntry(acct, 1, "bill", D("80.10"), date(2025, 12, 2), date(2025, 12, 23),
                      "prev"),
               SEntry(acct, 2, "payment", D("-80.10"), date(2025, 12, 18), None, "p1"),
               SEntry(acct, 3, "adjustment", D("-5.00"), date(2026, 1, 10), None, "a1"),
               SEntry(acct, 4, "bill", D("96.65"), date(2026, 2, 2), date(2026, 2, 23),
                      str(bid))]
    history = [SPeriod(bid, _start(i), _end(i), D(8 + (i * 7) % 9)) for i in range(12)]
    history.append(SPeriod(bid, ps, pe, D(13)))
    return BillData(b, lines, reads, entries, history)


def _start(i: int) -> date:
    return date(2025, i + 1, 1)


def _end(i: int) -> date:
    s = _start(i)
    nxt = date(s.year + (s.month == 12), s.month % 12 + 1, 1)
    return nxt - timedelta(days=1)

