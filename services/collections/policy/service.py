"""The delinquency policy in force: read from its TOML file, checked against SB 998's floors.

The file is `services/collections/config/policy.toml` unless `TAPLINE_COLLECTIONS_POLICY`
names another. It is read once per process (and when the path changes); a policy that breaks a
floor refuses to load, and the collections service refuses to start on it (`app.create_app`).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from kernel.settings import get_settings
from services.collections.policy import domain
from services.collections.policy.calendar import BusinessCalendar
from services.collections.policy.domain import Breach, Policy, PolicyRefused
from services.collections.policy.schemas import FloorOut, PolicyOut

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "config" / "policy.toml"


def policy_path() -> Path:
    return get_settings().collections_policy or DEFAULT_PATH


def parse(text: str, source: str = "policy") -> Policy:
    """A policy from TOML text, checked: `PolicyRefused` names the broken rule (`policy.invalid`
    for a file that is not a policy: bad TOML, an unknown key, a float for money)."""
    try:
        policy = Policy.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as e:
        raise PolicyRefused([Breach("policy.invalid", f"{source}: {e}")]) from e
    except ValidationError as e:
        raise PolicyRefused([Breach("policy.invalid", f"{source}: " + "; ".join(
            f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}"
            for err in e.errors()))]) from e
    return domain.checked(policy)


@lru_cache(maxsize=4)
def _load(path: Path) -> Policy:
    return parse(path.read_text(encoding="utf-8"), str(path))


def policy() -> Policy:
    """The policy in force (loaded and checked once per process)."""
    return _load(policy_path())


def calendar() -> BusinessCalendar:
    return BusinessCalendar(policy().calendar.closures)


def policy_out() -> PolicyOut:
    p = policy()
    floors = [FloorOut(rule=rule, setting=f"{section}.{name}",
                       value=str(getattr(getattr(p, section), name)),
                       floor=f"{'>=' if kind == 'min' else '<='} {floor}")
              for rule, section, name, floor, kind in domain.FLOORS]
    r = p.reconnection
    floors += [
        FloorOut(rule="sb998.low_income_reconnection_office_hours",
                 setting="reconnection.low_income_office_hours_fee",
                 value=str(r.low_income_office_hours_fee),
                 floor=f"<= {domain.capped(domain.LOW_INCOME_CAP_OFFICE_HOURS, r.cap_index)}"),
        FloorOut(rule="sb998.low_income_reconnection_after_hours",
                 setting="reconnection.low_income_after_hours_fee",
                 value=str(r.low_income_after_hours_fee),
                 floor=f"<= {domain.capped(domain.LOW_INCOME_CAP_AFTER_HOURS, r.cap_index)}"),
    ]
    return PolicyOut(source=str(policy_path()), policy=p.model_dump(mode="json"),
                     floors=floors)
