"""Demo data: a few thousand fictional accounts across cycles and routes, set-based and fast.

Every row's event is published (in batches) exactly as the workflows would announce it, so the
other services build their copies from the outbox like in production. A bulk load, not a use
case: it writes the rows, events and search tables itself instead of recording facts. Names,
streets and parcels are invented; phone numbers use the 555-01xx fiction range.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.outbox import Event, publish
from services.accounts import demo_repository as repo
from services.accounts.agreements.domain import default_services
from services.accounts.agreements.facts import ServiceStarted
from services.accounts.agreements.schemas import SAOut
from services.accounts.common import Address
from services.accounts.customers.domain import account_number
from services.accounts.customers.facts import AccountChanged, CustomerChanged
from services.accounts.customers.schemas import AccountOut, CustomerOut
from services.accounts.meters.facts import MeterChanged
from services.accounts.meters.schemas import MeterOut
from services.accounts.premises.facts import PremiseChanged
from services.accounts.premises.schemas import PremiseOut
from services.accounts.rebates import domain as rebates  # rebates (issue 15)
from services.accounts.search import repository as search_repo

LOADER = Principal(sub="demo-loader", role="admin")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Maria Jose Juan Guadalupe Linda James Mary Robert Patricia Michael Jennifer David "
    "Elizabeth William Susan Richard Jessica Thomas Sarah Daniel Karen Anh Minh Priya "
    "Arjun Mei Wei Fatima Omar Kou Yer Tou Gurpreet Harjit Rosa Luis Carmen Jorge "
    "Ana Miguel Sofia Alejandro Thanh Emily Joshua Ashley Kevin")
LAST = _words(
    "Garcia Hernandez Lopez Martinez Gonzalez Rodriguez Perez Sanchez Ramirez Torres "
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
    "Nguyen Tran Le Pham Vang Xiong Yang Lee Her Singh Sandhu Gill Kaur Patel Chen Wang "
    "Kim Park Okafor Mensah Ali Khan Romero Flores Rivera Vasquez Castillo Mendoza Delgado "
    "Muñoz Peña Núñez Ibáñez Nguyễn")
STREETS = _words(
    "Alder Birch Cedar Dogwood Elm Fir Ginkgo Hawthorn Ironwood Juniper Kingsley Laurel "
    "Magnolia Nectarine Olive Pistachio Quince Redwood Sycamore Tamarack Valencia Walnut "
    "Yosemite Zinfandel Almond Peach Plum Orchard Vineyard Riverbend Foothill Canal "
    "Mission Ranchero Sierra Shaw Herndon Barstow Bullard Nees")
SUFFIXES = ("St", "Ave", "Way", "Dr", "Ln", "Ct", "Blvd", "Pl")
CITIES = (("Riverbend", "93650"), ("Oak Hollow", "93651"), ("Las Palmas", "93652"),
          ("Sierra Vista", "93653"))
ORGS = ("Valley Fresh Market", "Sunrise Dental Group", "Riverbend Unified School District",
        "Orchard Park HOA", "Golden State Laundromat", "Foothill Auto Care", "Canal Street Cafe",
        "Mission Plaza LLC", "Sierra Vista Apartments LP", "Peach Tree Nursery")
CYCLES = ("C1", "C2", "C3", "C4")
ROUTES_PER_CYCLE = 6

KINDS = (("single_family", 78), ("multi_family", 10), ("commercial", 7), ("irrigation", 4),
         ("fire", 1))
SIZES = {"single_family": ("5/8", "3/4"), "multi_family": ("1-1/2", "2"),
         "commercial": ("1", "1-1/2", "2"), "irrigation": ("1", "1-1/2"), "fire": ("4", "6")}


def _kind(rnd: random.Random) -> str:
    return rnd.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]


def _address(number: int, street: str, unit: str | None = None) -> Address:
    city, zip_code = CITIES[sum(map(ord, street)) % len(CITIES)]
    return Address(line1=f"{number} {street}", line2=unit, city=city, state="CA",
                   postal_code=zip_code)


def _phone(rnd: random.Random) -> str:
    return f"({rnd.choice(('559', '209', '661'))}) 555-01{rnd.randint(0, 99):02d}"


class _Batch:
    def __init__(self) -> None:
        self.customers: list[CustomerOut] = []
        self.accounts: list[AccountOut] = []
        self.premises: list[PremiseOut] = []
        self.meters: list[MeterOut] = []
        self.sas: list[SAOut] = []
        self.backflow: list[dict[str, Any]] = []
        self.deposits: list[dict[str, Any]] = []


def _generate(rnd: random.Random, today: date, count: int, sequences: list[int]) -> _Batch:
    b = _Batch()
    streets = [f"{s} {rnd.choice(SUFFIXES)}" for s in STREETS]
    serial = 30_000_000
    for i in range(count):
        kind = _kind(rnd)
        street = streets[i % len(streets)]
        house = 100 + (i // len(streets)) * 4 + rnd.randint(0, 3)
        cycle = CYCLES[(i // len(streets)) % len(CYCLES)]
        route = f"{cycle}-R{(i % len(streets)) % ROUTES_PER_CYCLE + 1:02d}"
        units = rnd.randint(2, 24) if kind == "multi_family" else 1
        address = _address(house, street)
        premise = PremiseOut(
            id=uuid.uuid4(), address=address, kind=kind, dwelling_units=units, cycle=cycle,
            route=route,
            apn=f"{410 + i % len(streets):03d}-{(i // len(streets)) % 1000:03d}-{i % 97:02d}",
            latitude=Decimal("36.7") + Decimal(rnd.randint(0, 99999)) / Decimal(1_000_000),
            longitude=Decimal("-119.8") + Decimal(rnd.randint(0, 99999)) / Decimal(1_000_000),
            location_note=rnd.choice((None, "meter box in front planter", "dog in yard",
                                      "meter behind gate, code at office")),
        )
        b.premises.append(premise)
        start = today - timedelta(days=rnd.randint(30, 15 * 365))
        serial += rnd.randint(1, 7)
        size = rnd.choice(SIZES[kind])
        meter = MeterOut(
            id=uuid.uuid4(), serial=f"TL{serial}", size=size,
            kind="compound" if size in ("2", "4", "6") else "positive_displacement",
            dials=6 if kind in ("single_family", "multi_family") else 7,
            multiplier=Decimal(1), unit="HCF",
            endpoint_id=f"AMI{serial}" if rnd.random() < 0.7 else None, status="installed",
            premise_id=premise.id, installed_at=start - timedelta(days=rnd.randint(0, 900)),
            install_read=Decimal(rnd.randint(0, 200)), removed_at=None, removal_read=None)
        b.meters.append(meter)
        org = kind in ("commercial", "irrigation", "fire") or (
            kind == "multi_family" and rnd.random() < 0.5)
        spanish = rnd.random() < 0.22
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        name = rnd.choice(ORGS) if org else f"{first} {last}"
        mailing = address if rnd.random() < 0.85 else _address(
            rnd.randint(100, 9999), rnd.choice(streets), rnd.choice((None, "Apt 2", "#B")))
        customer = CustomerOut(
            id=uuid.uuid4(), kind="organisation" if org else "person", name=name,
            mailing_address=mailing, phones=[_phone(rnd)],
            emails=[f"{first}.{last}{i}@example.com".lower()] if rnd.random() < 0.7 else [],
            language="es" if spanish else "en", paperless=rnd.random() < 0.35,
            text_messages=rnd.random() < 0.4)
        b.customers.append(customer)
        deposit = Decimal("100.00") if rnd.random() < 0.3 and kind != "fire" else Decimal("0")
        account = AccountOut(
            id=uuid.uuid4(), number=account_number(sequences[i]), customer_id=customer.id,
            status="active", mailing_address=mailing, language=customer.language,
            paperless=customer.paperless, deposit_held=deposit,
            deposit_held_since=start if deposit else None, opened_on=start)
        b.accounts.append(account)
        if deposit:
            b.deposits.append({"account_id": account.id, "kind": "required", "amount": deposit,
                               "on_date": start, "reason": "policy deposit (demo)",
                               "actor": LOADER.sub})
        for service, rate_class in default_services(kind):
            b.sas.append(SAOut(
                id=uuid.uuid4(), account_id=account.id, premise_id=premise.id,
                service=service,
                rate_class=rate_class,
                meter_id=meter.id if service != "fire_line" else None, start_date=start,
                stop_date=None, status="active"))
        if kind in ("commercial", "irrigation", "fire"):
            due = today + timedelta(days=rnd.randint(-120, 330))
            b.backflow.append({
                "id": uuid.uuid4(), "premise_id": premise.id,
                "kind": {"fire": "DCDA", "irrigation": "PVB"}.get(kind, "RP"),
                "serial": f"BF{serial}", "size": size, "location": "street side of the meter",
                "installed_on": start, "next_test_due": due,
                "last_tested_on": due - timedelta(days=365), "last_result": "pass"})
    for _ in range(max(10, count // 60)):
        serial += 1
        b.meters.append(MeterOut(
            id=uuid.uuid4(), serial=f"TL{serial}", size=rnd.choice(("5/8", "3/4", "1")),
            kind="positive_displacement", dials=6, multiplier=Decimal(1), unit="HCF",
            endpoint_id=f"AMI{serial}", status="in_stock", premise_id=None, installed_at=None,
            install_read=None, removed_at=None, removal_read=None))
    return b


def _rows(models: list[Any]) -> list[dict[str, Any]]:
    return [m.model_dump(mode="json") for m in models]


def _rebate_forms(rnd: random.Random, b: _Batch, today: date) -> list[dict[str, Any]]:
    """Rebates (issue 15): three forms waiting for approval at single-family homes (a toilet,
    a washer, a lawn replaced), so the Rebates screen has work on it."""
    homes = {p.id for p in b.premises if p.kind == "single_family"}
    sas = [sa for sa in b.sas if sa.service == "water" and sa.premise_id in homes][:3]
    programmes = rebates.load_programmes()
    out = []
    for i, (sa, (key, units, payment)) in enumerate(zip(sas, (
            ("toilet", Decimal("2"), "credit"), ("washer", Decimal("1"), "check"),
            ("turf", Decimal("640"), "credit")), strict=False)):
        if key not in programmes:
            continue
        out.append({"id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                    "account_id": str(sa.account_id), "premise_id": str(sa.premise_id),
                    "programme": key, "units": str(units),
                    "amount": str(rebates.amount(programmes[key], units)), "payment": payment,
                    "received_on": (today - timedelta(days=3 + i)).isoformat(),
                    "installed_on": (today - timedelta(days=20 + i)).isoformat(),
                    "requested_by": LOADER.sub})
    return out


async def load_demo(session: AsyncSession, today: date, count: int = 3000) -> None:
    """Create `count` fictional accounts with premises, meters and active agreements, publish
    their events in batches and index them for search. The caller commits."""
    if await repo.has_accounts(session):
        return
    rnd = random.Random(20261123)
    b = _generate(rnd, today, count, await repo.next_account_sequences(session, count))
    await repo.insert_rows(session, "customers", _rows(b.customers))
    await repo.insert_rows(session, "accounts", _rows(b.accounts))
    await repo.insert_rows(session, "premises", _rows(b.premises))
    await repo.insert_rows(session, "meters", _rows(b.meters))
    await repo.insert_rows(session, "service_agreements", _rows(b.sas))
    await repo.insert_rows(session, "backflow_devices", b.backflow)
    await repo.insert_rows(session, "deposit_transactions", b.deposits)
    await repo.insert_rows(session, "meter_history", [
        {"meter_id": m.id, "premise_id": m.premise_id,
         "action": "installed" if m.premise_id else "received",
         "on_date": m.installed_at or today, "read_value": m.install_read, "actor": LOADER.sub}
        for m in b.meters])
    events: list[Event] = [CustomerChanged(c).event() for c in b.customers]
    events += [PremiseChanged(p).event() for p in b.premises]
    events += [MeterChanged(m).event() for m in b.meters]
    events += [AccountChanged(a).event() for a in b.accounts]
    events += [ServiceStarted(sa).event() for sa in b.sas]
    for i in range(0, len(events), 2000):
        await publish(session, events[i:i + 2000], LOADER.sub)
    await repo.insert_rows(session, "rebate_applications", _rebate_forms(rnd, b, today))
    await search_repo.refresh_premises(session, [p.id for p in b.premises])
    await search_repo.refresh_accounts(session, [a.id for a in b.accounts])
    await audit.record(session, LOADER, "demo.load", "accounts", "demo",
                       after={"accounts": count, "meters": len(b.meters),
                              "service_agreements": len(b.sas),
                              "backflow_devices": len(b.backflow)})
