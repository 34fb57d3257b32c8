"""AMI data for usage tests, imported through billing's real AMI file import."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

TZ = ZoneInfo("America/Los_Angeles")


def steady(each: str, last: str | None = None) -> list[str | None]:
    """24 hours of the same use (the last hour `last`, to make a round day)."""
    return [each] * 23 + [last or each]


def ami_csv(serial: str, days: dict[date, list[str | None]]) -> str:
    rows = ["meter_serial,interval_start,usage"]
    for day, hours in sorted(days.items()):
        for h, v in enumerate(hours):
            if v is not None:
                at = datetime.combine(day, time(h), TZ)
                rows.append(f"{serial},{at.isoformat()},{v}")
    return "\n".join(rows) + "\n"


async def import_ami(client, headers, serial: str, days: dict[date, list[str | None]]) -> None:
    r = await client.post("/api/billing/reads/imports/ami", headers=headers,
                          files={"file": ("ami.csv", ami_csv(serial, days).encode())})
    assert r.status_code == 200, r.text
    assert r.json()["rejected"] == 0, r.json()
