"""Green Button Download My Data: the ESPI feed of a customer's hourly water use is valid
against the published NAESB ESPI 4.0 schema (and the Atom schema it imports), vendored
unchanged in services/billing/usage/espi/; the CSV says the same hours."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from xml.etree import ElementTree as ET

import xmlschema

from tests.billing.helpers import make_site
from tests.billing.usage_helpers import import_ami, steady

SCHEMAS = Path(__file__).resolve().parents[2] / "services" / "billing" / "usage" / "espi"
A = "{http://www.w3.org/2005/Atom}"
E = "{http://naesb.org/espi}"


@cache
def feed_schema() -> xmlschema.XMLSchema:
    """Atom's `content` takes any element of another namespace strictly (processContents
    defaults to strict), so with ESPI loaded every ESPI resource in the feed is validated."""
    schema = xmlschema.XMLSchema(str(SCHEMAS / "atom.xsd"), locations=[
        ("http://naesb.org/espi", str(SCHEMAS / "espi.xsd"))])
    assert "http://naesb.org/espi" in schema.maps.namespaces  # else content passes unchecked
    return schema


@cache
def espi_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "espi.xsd"))


def test_the_vendored_schema_is_the_published_espi_4_0():
    head = (SCHEMAS / "espi.xsd").read_text()[:2000]
    assert 'targetNamespace="http://naesb.org/espi"' in head
    assert 'version="4.0.20231213"' in head and "Apache License, Version 2.0" in head
    assert (SCHEMAS / "LICENSE").read_text().lstrip().startswith("Apache License")


async def test_a_customers_green_button_xml_is_valid_espi_with_water_readings(
        client, feed, tech, auth):
    site = await make_site(feed)
    d = date(2026, 6, 1)
    hours = steady("0.012")
    hours[5] = None  # an hour the AMI did not send is left out, not sent as zero
    await import_ami(client, tech, site.serial, {d: hours, d + timedelta(days=1): steady("0.001")})
    r = await client.get(f"/api/billing/usage/accounts/{site.account_id}/green-button.xml",
                         params={"start": "2026-06-01", "end": "2026-06-30"},
                         headers=auth("customer", "c1", (site.account_id,)))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/atom+xml")
    assert "attachment" in r.headers["content-disposition"]

    feed_schema().validate(r.content)  # raises with the first violation
    root = ET.fromstring(r.content)
    contents = [e.find(f"{A}content") for e in root.findall(f"{A}entry")]
    resources = [list(c)[0] for c in contents if c is not None]
    for res in resources:  # each resource on its own, against espi.xsd alone
        espi_schema().validate(ET.tostring(res))
    assert [x.tag.removeprefix(E) for x in resources] == [
        "UsagePoint", "MeterReading", "ReadingType", "IntervalBlock", "IntervalBlock"]
    assert resources[0].findtext(f"{E}ServiceCategory/{E}kind") == "2"  # water
    rt = resources[2]
    assert (rt.findtext(f"{E}uom"), rt.findtext(f"{E}powerOfTenMultiplier"),
            rt.findtext(f"{E}commodity"), rt.findtext(f"{E}intervalLength")) == (
        "119", "-1", "9", "3600")  # tenths of a cubic foot of potable water, hourly
    first = resources[3]
    readings = first.findall(f"{E}IntervalReading")
    assert len(readings) == 23
    assert readings[0].findtext(f"{E}value") == "12"  # 0.012 HCF = 1.2 ft3 = 12 x 10^-1 ft3
    # 1 June 2026 00:00 in Los Angeles (UTC-7)
    assert first.findtext(f"{E}interval/{E}start") == "1780297200"
    assert readings[0].findtext(f"{E}timePeriod/{E}start") == "1780297200"


async def test_the_csv_has_one_row_per_measured_hour_in_the_meter_unit_and_gallons(
        client, feed, tech, auth):
    site = await make_site(feed)
    await import_ami(client, tech, site.serial, {date(2026, 6, 1): steady("0.010")})
    r = await client.get(f"/api/billing/usage/accounts/{site.account_id}/green-button.csv",
                         params={"start": "2026-06-01", "end": "2026-06-01"},
                         headers=auth("customer", "c1", (site.account_id,)))
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 24
    assert rows[0] == {"meter_serial": site.serial,
                       "interval_start": "2026-06-01T00:00:00-07:00",
                       "interval_end": "2026-06-01T01:00:00-07:00", "duration_seconds": "3600",
                       "usage": "0.010", "unit": "HCF", "gallons": "7.480"}
    assert sum(Decimal(x["gallons"]) for x in rows) == Decimal("179.520")


def test_a_feed_that_breaks_the_schema_is_caught():
    """The validation can fail: an IntervalReading value that is not an integer."""
    bad = (b'<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>t</title>'
           b'<updated>2026-01-01T00:00:00Z</updated><link rel="self" href="x"/>'
           b'<entry><id>urn:y</id><link rel="self" href="a"/><link rel="up" href="b"/>'
           b'<title>t</title><published>2026-01-01T00:00:00Z</published>'
           b'<updated>2026-01-01T00:00:00Z</updated><content>'
           b'<IntervalBlock xmlns="http://naesb.org/espi"><IntervalReading>'
           b'<value>1.5</value></IntervalReading></IntervalBlock></content></entry></feed>')
    assert not feed_schema().is_valid(bad)
    assert feed_schema().is_valid(bad.replace(b"1.5", b"15"))
