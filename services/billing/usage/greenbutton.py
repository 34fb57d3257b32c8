"""Green Button Download My Data (pure: no I/O): an ESPI Atom feed and a CSV of hourly water use.

The feed has, for one meter (a UsagePoint of service kind 2, water): the UsagePoint, its
MeterReading, the ReadingType (potable water, volume, delta data per hour, forward flow) and one
IntervalBlock per day of hourly IntervalReadings. Values are integers, so the ReadingType's
`powerOfTenMultiplier` carries the decimals: the AMI keeps thousandths of the meter's unit, so
an HCF meter is reported in tenths of a cubic foot (uom 119 ft3, 10^-1) and a gallon meter in
thousandths of a gallon (uom 128 US gallons, 10^-3): nothing is rounded away.
`tests/billing/test_usage_greenbutton.py` validates the feed against the published schemas
vendored in `espi/`.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
ESPI = "http://naesb.org/espi"
ET.register_namespace("", ATOM)
ET.register_namespace("espi", ESPI)
# Ids of the feed's resources are name-based, so the same data downloads the same ids.
_NS = uuid.UUID("6f1c3a52-3f0e-4c1b-9b7a-0d6a8c2e5b11")

SERVICE_KIND_WATER = 2
COMMODITY_POTABLE_WATER = 9
KIND_VOLUME = 58
ACCUMULATION_DELTA = 4
QUALIFIER_NORMAL = 12
FLOW_FORWARD = 1
QUALITY_VALID = 0


@dataclass(frozen=True)
class Unit:
    """How a register unit is written in ESPI: uom code, power of ten, value = use x scale."""

    uom: int
    power_of_ten: int
    scale: int


def espi_unit(unit: str) -> Unit:
    u = unit.strip().upper()
    if u in ("HCF", "CCF"):  # 0.001 HCF = 0.1 ft3
        return Unit(119, -1, 1000)
    if u == "CF":
        return Unit(119, -3, 1000)
    if u == "KGAL":
        return Unit(128, 0, 1000)
    return Unit(128, -3, 1000)  # gallons


@dataclass(frozen=True)
class Day:
    day: date
    starts: list[datetime]  # the 24 local hours as instants
    hourly: list[Decimal | None]  # in the meter's unit


@dataclass(frozen=True)
class Export:
    account_id: uuid.UUID
    meter_id: uuid.UUID
    serial: str
    unit: str
    base_url: str
    generated: datetime
    days: list[Day]


def _id(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, '/'.join(str(p) for p in parts))}"


def _epoch(at: datetime) -> str:
    return str(int(at.timestamp()))


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, ns: str, tag: str, value: object | None = None,
         **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if value is not None:
        el.text = str(value)
    return el


def _entry(feed: ET.Element, x: Export, ident: str, title: str, self_href: str, up_href: str,
           related: list[str]) -> ET.Element:
    entry = _sub(feed, ATOM, "entry")
    _sub(entry, ATOM, "id", ident)
    _sub(entry, ATOM, "link", rel="self", href=self_href)
    _sub(entry, ATOM, "link", rel="up", href=up_href)
    for href in related:
        _sub(entry, ATOM, "link", rel="related", href=href)
    _sub(entry, ATOM, "title", title)
    _sub(entry, ATOM, "published", _stamp(x.generated))
    _sub(entry, ATOM, "updated", _stamp(x.generated))
    return _sub(entry, ATOM, "content")


def espi_feed(x: Export) -> bytes:
    """The ESPI Atom feed of one meter's hourly use over the export's days."""
    unit = espi_unit(x.unit)
    base = f"{x.base_url}/espi/1_1/resource/RetailCustomer/{x.account_id}"
    up = f"{base}/UsagePoint"
    up_self = f"{up}/{x.meter_id}"
    mr = f"{up_self}/MeterReading"
    mr_self = f"{mr}/1"
    rt_self = f"{x.base_url}/espi/1_1/resource/ReadingType/{x.meter_id}"
    ib = f"{mr_self}/IntervalBlock"

    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, ATOM, "id", _id("feed", x.account_id, x.meter_id, x.generated.isoformat()))
    _sub(feed, ATOM, "title", "Green Button Download My Data: water use")
    _sub(feed, ATOM, "updated", _stamp(x.generated))
    _sub(feed, ATOM, "link", rel="self", href=f"{up_self}/Download")

    content = _entry(feed, x, _id("UsagePoint", x.meter_id), f"Water meter {x.serial}", up_self,
                     up, [mr, f"{x.base_url}/espi/1_1/resource/LocalTimeParameters/1"])
    point = _sub(content, ESPI, "UsagePoint")
    category = _sub(point, ESPI, "ServiceCategory")
    _sub(category, ESPI, "kind", SERVICE_KIND_WATER)

    content = _entry(feed, x, _id("MeterReading", x.meter_id), "Hourly water use", mr_self, mr,
                     [rt_self, ib])
    _sub(content, ESPI, "MeterReading")

    content = _entry(feed, x, _id("ReadingType", x.meter_id), "Water volume per hour",
                     rt_self, f"{x.base_url}/espi/1_1/resource/ReadingType", [])
    rt = _sub(content, ESPI, "ReadingType")
    for tag, value in (("accumulationBehaviour", ACCUMULATION_DELTA),
                       ("commodity", COMMODITY_POTABLE_WATER),
                       ("dataQualifier", QUALIFIER_NORMAL),
                       ("defaultQuality", QUALITY_VALID),
                       ("flowDirection", FLOW_FORWARD), ("intervalLength", 3600),
                       ("kind", KIND_VOLUME), ("powerOfTenMultiplier", unit.power_of_ten),
                       ("uom", unit.uom)):
        _sub(rt, ESPI, tag, value)

    for d in x.days:
        if all(v is None for v in d.hourly):
            continue
        content = _entry(feed, x, _id("IntervalBlock", x.meter_id, d.day),
                         f"Hourly water use on {d.day.isoformat()}",
                         f"{ib}/{d.day.isoformat()}", ib, [])
        block = _sub(content, ESPI, "IntervalBlock")
        interval = _sub(block, ESPI, "interval")
        _sub(interval, ESPI, "duration", 86400)
        _sub(interval, ESPI, "start", _epoch(d.starts[0]))
        for at, v in zip(d.starts, d.hourly, strict=True):
            if v is None:
                continue
            reading = _sub(block, ESPI, "IntervalReading")
            period = _sub(reading, ESPI, "timePeriod")
            _sub(period, ESPI, "duration", 3600)
            _sub(period, ESPI, "start", _epoch(at))
            _sub(reading, ESPI, "value", int(v * unit.scale))
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def csv_rows(x: Export, gallons_per_unit: Decimal) -> str:
    """One row per measured hour: when it started and ended (local, with offset), its use in
    the meter's unit and in gallons."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["meter_serial", "interval_start", "interval_end", "duration_seconds", "usage",
                "unit", "gallons"])
    for d in x.days:
        for at, v in zip(d.starts, d.hourly, strict=True):
            if v is None:
                continue
            w.writerow([x.serial, at.isoformat(), (at + timedelta(hours=1)).isoformat(), 3600,
                        f"{v:f}", x.unit, f"{(v * gallons_per_unit).quantize(Decimal('0.001')):f}"])
    return out.getvalue()
