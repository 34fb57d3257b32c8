"""The district's delinquency policy and the SB 998 floors under it (pure, no I/O).

The policy is configuration (`services/collections/config/policy.toml`, see
docs/collections.md); the floors are the law (California Health and Safety Code §116900 ff.,
summarised in DOMAIN.md) and live here, in code. A policy that would break a floor is refused
when it is loaded, naming the rule it breaks, so the service never runs the ladder on it.

Also here: the late-charge formula (Decimal, half-up to the cent at each line).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def _no_float(v: Any) -> Any:
    """TOML floats are binary: 0.1 is not a tenth. Money and percentages are written as
    strings ("1.50") or integers."""
    if isinstance(v, float):
        raise ValueError("write money and percentages as a string, e.g. \"1.50\"")
    return v


Money = Annotated[Decimal, BeforeValidator(_no_float), Field(ge=0, decimal_places=2)]
Percent = Annotated[Decimal, BeforeValidator(_no_float), Field(ge=0, le=100)]
Factor = Annotated[Decimal, BeforeValidator(_no_float), Field(gt=0)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Ladder(_Section):
    """Steps of the ladder in days after the bill's due date, and the notice periods."""

    reminder_days: int = Field(5, ge=0)
    first_notice_days: int = Field(20, ge=0)
    second_notice_days: int = Field(35, ge=0)
    shutoff_notice_days: int = Field(50, ge=0)
    #: SB 998: not before the bill has been delinquent 60 days.
    disconnect_after_days: int = Field(75, ge=0)
    #: SB 998: the written shut-off notice at least 7 business days before disconnection.
    shutoff_notice_business_days: int = Field(10, ge=0)
    #: SB 998: a customer not reached gets a notice left at the residence 48 hours before.
    door_tag_hours: int = Field(48, ge=0)


class LateCharge(_Section):
    """`flat`: the flat amount; `percent_of_past_due`: `percent` of the past-due bill;
    `current_and_prior`: `current_percent` of the current charges plus `prior_percent` of the
    prior balance. Then at least `minimum` and at most `maximum` (when set); nothing when
    nothing is past due."""

    method: Literal["flat", "percent_of_past_due", "current_and_prior"] = "percent_of_past_due"
    flat: Money = ZERO
    percent: Percent = Decimal("1.5")
    current_percent: Percent = ZERO
    prior_percent: Percent = ZERO
    minimum: Money = ZERO
    maximum: Money | None = None
    #: The ladder steps that assess it (once per bill and step).
    at_steps: tuple[Literal["first_notice", "second_notice", "shutoff_notice"], ...] = (
        "second_notice",)


class Reconnection(_Section):
    office_hours_fee: Money = Decimal("50.00")
    after_hours_fee: Money = Decimal("150.00")
    #: SB 998: at most $50 in office hours and $150 after hours for a low-income household,
    #: times `cap_index` (the CPI adjustment since the caps were set; 1 = the statute's amounts).
    low_income_office_hours_fee: Money = Decimal("50.00")
    low_income_after_hours_fee: Money = Decimal("150.00")
    cap_index: Factor = Decimal("1")
    #: SB 998: interest on unpaid bills waived for a low-income household once in this many
    #: months (at most 12).
    low_income_interest_waiver_months: int = Field(12, ge=1)


class Tenants(_Section):
    """SB 998: where the landlord is the customer, tenants are told before disconnection."""

    multi_unit_notice_days: int = Field(10, ge=0)
    detached_house_notice_days: int = Field(7, ge=0)


class Arrangements(_Section):
    default_months: int = Field(12, ge=1, le=60)
    #: SB 998: an arrangement is broken after an instalment is this many days past due (>= 60),
    broken_after_days: int = Field(60, ge=0)
    #: and then a final notice is posted at the premise at least 5 business days before.
    final_notice_business_days: int = Field(5, ge=0)


class Calendar(_Section):
    #: Days the office is closed besides weekends and California's holidays.
    closures: tuple[date, ...] = ()


class ClosedAccounts(_Section):
    """Closed accounts still owing after the closing bill (`closed/`), in days."""

    #: Days after the closing bill's due date before a closed account's balance is worked.
    grace_days: int = Field(10, ge=0)
    #: Smaller balances are not worked (no letters, no agency).
    minimum_balance: Money = Decimal("5.00")
    #: A transfer to the customer's active account is offered first; the letters wait this
    #: long for staff to confirm or decline it.
    transfer_offer_days: int = Field(14, ge=0)
    #: Collection letter 2 this many days after letter 1, the referral to the agency this many
    #: days after letter 2; each letter asks for payment within `pay_within_days`.
    letter_2_days: int = Field(30, ge=1)
    referral_days: int = Field(30, ge=1)
    pay_within_days: int = Field(15, ge=1)


class Agency(_Section):
    """The collection agency closed accounts are referred to."""

    name: str = Field("Collection agency", min_length=1)
    #: The agency's commission on what it collects (when its file does not state it).
    commission_percent: Percent = Decimal("25")
    #: True: the agency's fee is added to the customer's debt (a `collection_fee` entry with
    #: each payment the agency reports); false: the district bears it.
    fee_added_to_debt: bool = False
    #: Balances below this are not referred (the agency will not take them).
    minimum_referral: Money = Decimal("25.00")


class Liens(_Section):
    """Delinquent amounts listed on the county's property tax roll (`liens/`)."""

    #: An owner's account is listed when at least this much is past due,
    minimum_amount: Money = Decimal("100.00")
    #: some of it at least this many days.
    minimum_days_past_due: int = Field(90, ge=1)
    #: The lien notice goes out at least this many days before the list is certified.
    notice_days: int = Field(30, ge=0)
    county: str = Field("County", min_length=1)
    #: Who certifies the list (title printed under the certification statement).
    certified_by_title: str = Field("General Manager", min_length=1)


class Policy(_Section):
    ladder: Ladder = Ladder()
    late_charge: LateCharge = LateCharge()
    reconnection: Reconnection = Reconnection()
    tenants: Tenants = Tenants()
    arrangements: Arrangements = Arrangements()
    calendar: Calendar = Calendar()
    closed_accounts: ClosedAccounts = ClosedAccounts()
    agency: Agency = Agency()
    liens: Liens = Liens()


# ---- the floors -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Breach:
    """A rule the policy breaks: `rule` is its stable name, `detail` says how."""

    rule: str
    detail: str


class PolicyRefused(ValueError):
    """A policy that breaks SB 998 (or is not a policy at all): refused with the rule(s)."""

    def __init__(self, breaches: list[Breach]) -> None:
        self.breaches = breaches
        self.rule = breaches[0].rule
        super().__init__("; ".join(f"{b.rule}: {b.detail}" for b in breaches))


#: SB 998's statutory reconnection fee caps for low-income households (before indexing).
LOW_INCOME_CAP_OFFICE_HOURS = Decimal("50.00")
LOW_INCOME_CAP_AFTER_HOURS = Decimal("150.00")

#: (rule, section, field, floor, "min" (the value must be at least the floor) or "max").
FLOORS: tuple[tuple[str, str, str, int, str], ...] = (
    ("sb998.delinquent_60_days", "ladder", "disconnect_after_days", 60, "min"),
    ("sb998.notice_7_business_days", "ladder", "shutoff_notice_business_days", 7, "min"),
    ("sb998.visit_48_hours", "ladder", "door_tag_hours", 48, "min"),
    ("sb998.tenant_notice_10_days", "tenants", "multi_unit_notice_days", 10, "min"),
    ("sb998.tenant_notice_detached_7_days", "tenants", "detached_house_notice_days", 7, "min"),
    ("sb998.broken_arrangement_60_days", "arrangements", "broken_after_days", 60, "min"),
    ("sb998.broken_arrangement_final_notice_5_business_days", "arrangements",
     "final_notice_business_days", 5, "min"),
    ("sb998.low_income_interest_waiver_12_months", "reconnection",
     "low_income_interest_waiver_months", 12, "max"),
)

RULES: tuple[str, ...] = (
    *(f[0] for f in FLOORS), "sb998.low_income_reconnection_office_hours",
    "sb998.low_income_reconnection_after_hours", "policy.ladder_order",
    "policy.late_charge_range", "policy.lien_notice_10_days", "policy.agency_minimum",
)

#: The owner is told of the lien at least 10 days before the list goes to the county (the
#: hearing notice of Government Code §54354.5 / Health and Safety Code §5473.1).
LIEN_NOTICE_DAYS = 10


def capped(cap: Decimal, index: Decimal) -> Decimal:
    """A statutory cap indexed by the configured factor, to the cent (half-up)."""
    return (cap * index).quantize(CENT, ROUND_HALF_UP)


def breaches(p: Policy) -> list[Breach]:
    """Every SB 998 floor (and every ordering the ladder needs) the policy breaks."""
    out: list[Breach] = []
    for rule, section, name, floor, kind in FLOORS:
        value = getattr(getattr(p, section), name)
        if (kind == "min" and value < floor) or (kind == "max" and value > floor):
            need = "at least" if kind == "min" else "at most"
            out.append(Breach(rule, f"{section}.{name} is {value}; SB 998 needs {need} {floor}"))
    r = p.reconnection
    for rule, name, cap in (
            ("sb998.low_income_reconnection_office_hours", "low_income_office_hours_fee",
             LOW_INCOME_CAP_OFFICE_HOURS),
            ("sb998.low_income_reconnection_after_hours", "low_income_after_hours_fee",
             LOW_INCOME_CAP_AFTER_HOURS)):
        limit = capped(cap, r.cap_index)
        if getattr(r, name) > limit:
            out.append(Breach(rule, f"reconnection.{name} is {getattr(r, name)}; SB 998 caps "
                                    f"it at {limit} ({cap} x index {r.cap_index})"))
    steps = [("reminder_days", p.ladder.reminder_days),
             ("first_notice_days", p.ladder.first_notice_days),
             ("second_notice_days", p.ladder.second_notice_days),
             ("shutoff_notice_days", p.ladder.shutoff_notice_days),
             ("disconnect_after_days", p.ladder.disconnect_after_days)]
    for (a, x), (b, y) in zip(steps, steps[1:], strict=False):
        if x >= y:
            out.append(Breach("policy.ladder_order", f"ladder.{a} ({x}) must come before "
                                                     f"ladder.{b} ({y})"))
    lc = p.late_charge
    if lc.maximum is not None and lc.minimum > lc.maximum:
        out.append(Breach("policy.late_charge_range",
                          f"late_charge.minimum ({lc.minimum}) is above its maximum "
                          f"({lc.maximum})"))
    if p.liens.notice_days < LIEN_NOTICE_DAYS:
        out.append(Breach("policy.lien_notice_10_days",
                          f"liens.notice_days is {p.liens.notice_days}; the owner must be told "
                          f"at least {LIEN_NOTICE_DAYS} days before the list"))
    if p.agency.minimum_referral < p.closed_accounts.minimum_balance:
        out.append(Breach("policy.agency_minimum",
                          f"agency.minimum_referral ({p.agency.minimum_referral}) is below "
                          f"closed_accounts.minimum_balance ({p.closed_accounts.minimum_balance})"
                          ": an account too small to work would be referred"))
    return out


def checked(p: Policy) -> Policy:
    """The policy, or `PolicyRefused` naming the first rule it breaks (and listing all)."""
    found = breaches(p)
    if found:
        raise PolicyRefused(found)
    return p


# ---- late charge -----------------------------------------------------------------------------

def _pct(amount: Decimal, percent: Decimal) -> Decimal:
    """One line of the charge: `percent` of `amount`, half-up to the cent."""
    return (amount * percent / 100).quantize(CENT, ROUND_HALF_UP)


def late_charge(rule: LateCharge, past_due: Decimal, current_charges: Decimal = ZERO,
                prior_balance: Decimal = ZERO) -> Decimal:
    """The late charge on a past-due bill: nothing when nothing is past due; else the
    method's amount, then at least the minimum and at most the maximum."""
    if past_due <= 0:
        return ZERO
    if rule.method == "flat":
        amount = rule.flat
    elif rule.method == "percent_of_past_due":
        amount = _pct(past_due, rule.percent)
    else:
        amount = (_pct(max(current_charges, ZERO), rule.current_percent)
                  + _pct(max(prior_balance, ZERO), rule.prior_percent))
    amount = max(amount, rule.minimum)
    if rule.maximum is not None:
        amount = min(amount, rule.maximum)
    return amount.quantize(CENT, ROUND_HALF_UP)


def interest_part(rule: LateCharge, past_due: Decimal, current_charges: Decimal = ZERO,
                  prior_balance: Decimal = ZERO) -> Decimal:
    """How much of the late charge is interest: what the policy's percentages of a past-due
    amount add above the charge without them (its flat amount and minimum are a fee). SB 998
    has a low-income household's interest waived once in 12 months; the fee stays."""
    fee_only = rule.model_copy(update={"percent": ZERO, "current_percent": ZERO,
                                       "prior_percent": ZERO})
    return (late_charge(rule, past_due, current_charges, prior_balance)
            - late_charge(fee_only, past_due, current_charges, prior_balance))
