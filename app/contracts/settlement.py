"""Monthly settlement (精算) of one side of a contract: the amount for the approved hours.

For hours H and the settlement range [L, U] (DOMAIN.md §2):

* H < L: base - deduction rate x (L - H)   (控除)
* H > U: base + excess rate x (H - U)      (超過)
* otherwise the base.

Rates come from the method -- 上下割 (base / L and base / U), 中間割 (base / ((L + U) / 2)),
fixed rates written in the contract, or no settlement at all -- rounded to the contract's unit
and direction.  The variant that rounds the adjustment amount instead of the rate is a setting.
Hours are counted in minutes and rounded per day or on the monthly total, as the contract says.
The same function prices the sell side and the buy side; the contract page's live preview and
the billing run both call it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..core.money import exact, round_to_unit

METHODS = ("NONE", "UPPER_LOWER", "MIDDLE", "FIXED")


@dataclass(frozen=True)
class SettlementTerms:
    monthly_price: int
    method: str = "UPPER_LOWER"
    lower_hours: Decimal | None = None
    upper_hours: Decimal | None = None
    excess_rate: int | None = None          # FIXED
    deduction_rate: int | None = None       # FIXED
    rate_rounding_unit: int = 10
    rate_rounding_mode: str = "FLOOR"
    rounding_target: str = "RATE"           # RATE (usual) or AMOUNT
    hours_rounding_minutes: int = 15
    hours_rounding_scope: str = "MONTHLY"   # MONTHLY or DAILY
    hours_rounding_mode: str = "FLOOR"

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown settlement method {self.method!r}")
        if self.method != "NONE":
            if self.lower_hours is None or self.upper_hours is None or self.lower_hours <= 0:
                raise ValueError("a settlement range needs positive lower and upper hours")
            if self.upper_hours < self.lower_hours:
                raise ValueError("settlement range inverted: upper hours below lower hours")
        if self.method == "FIXED" and (self.excess_rate is None or self.deduction_rate is None):
            raise ValueError("fixed rates need both an excess and a deduction rate")

    @classmethod
    def from_mapping(cls, values) -> SettlementTerms:
        """From a contract row, an amendment's terms JSON or a form (extra keys ignored)."""
        def dec(v):
            return None if v in (None, "") else Decimal(str(v))

        def num(v):
            return None if v in (None, "") else int(v)

        return cls(
            monthly_price=int(values["monthly_price"]),
            method=values.get("settlement_method") or values.get("method") or "UPPER_LOWER",
            lower_hours=dec(values.get("lower_hours")), upper_hours=dec(values.get("upper_hours")),
            excess_rate=num(values.get("excess_rate")), deduction_rate=num(values.get("deduction_rate")),
            rate_rounding_unit=int(values.get("rate_rounding_unit") or 10),
            rate_rounding_mode=values.get("rate_rounding_mode") or "FLOOR",
            rounding_target=values.get("rounding_target") or "RATE",
            hours_rounding_minutes=int(values.get("hours_rounding_minutes") or 15),
            hours_rounding_scope=values.get("hours_rounding_scope") or "MONTHLY",
            hours_rounding_mode=values.get("hours_rounding_mode") or "FLOOR",
        )


@dataclass(frozen=True)
class Settlement:
    billed_minutes: int
    base_amount: int
    lower_hours: Decimal | None
    upper_hours: Decimal | None
    excess_rate: int | None
    deduction_rate: int | None
    excess_minutes: int
    deduction_minutes: int
    adjustment_amount: int       # + excess, - deduction
    amount: int                  # tax excluded

    @property
    def billed_hours(self) -> Decimal:
        return _hours(self.billed_minutes)

    @property
    def excess_hours(self) -> Decimal:
        return _hours(self.excess_minutes)

    @property
    def deduction_hours(self) -> Decimal:
        return _hours(self.deduction_minutes)


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _exact_rates(terms: SettlementTerms) -> tuple[Fraction, Fraction] | None:
    base = Fraction(terms.monthly_price)
    if terms.method == "NONE":
        return None
    if terms.method == "FIXED":
        return Fraction(terms.excess_rate), Fraction(terms.deduction_rate)
    lower, upper = exact(terms.lower_hours), exact(terms.upper_hours)
    if terms.method == "UPPER_LOWER":
        return base / upper, base / lower
    middle = base / ((lower + upper) / 2)
    return middle, middle


def rates(terms: SettlementTerms) -> tuple[int, int] | None:
    """(excess rate, deduction rate) in yen per hour, rounded as the contract says."""
    exact_rates = _exact_rates(terms)
    if exact_rates is None:
        return None
    unit, mode = terms.rate_rounding_unit, terms.rate_rounding_mode
    return round_to_unit(exact_rates[0], unit, mode), round_to_unit(exact_rates[1], unit, mode)


def _round_minutes(minutes: int, unit: int, mode: str) -> int:
    return round_to_unit(minutes, unit, mode)


def billable_minutes(worked_minutes: Iterable[int], terms: SettlementTerms) -> int:
    """Minutes to bill: each day rounded (DAILY) or the monthly total rounded (MONTHLY)."""
    unit, mode = terms.hours_rounding_minutes, terms.hours_rounding_mode
    days = list(worked_minutes)
    if terms.hours_rounding_scope == "DAILY":
        return sum(_round_minutes(m, unit, mode) for m in days)
    return _round_minutes(sum(days), unit, mode)


def settle(terms: SettlementTerms, minutes: int, ratio: Fraction = Fraction(1)) -> Settlement:
    """The month's amount for ``minutes`` of (already rounded) billable time.

    ``ratio`` prorates a partial month (日割り): the base and the range shrink by the same
    share; the hourly rates stay those of the full month.
    """
    base = round_to_unit(terms.monthly_price * ratio, 1, "FLOOR")
    if terms.method == "NONE":
        return Settlement(minutes, base, None, None, None, None, 0, 0, 0, base)
    lower_min = exact(terms.lower_hours) * 60 * ratio
    upper_min = exact(terms.upper_hours) * 60 * ratio
    excess_min = max(Fraction(minutes) - upper_min, Fraction(0))
    deduction_min = max(lower_min - Fraction(minutes), Fraction(0))
    rounded = rates(terms)
    if terms.rounding_target == "AMOUNT":
        exact_excess, exact_deduction = _exact_rates(terms)
        excess = exact_excess * excess_min / 60
        deduction = exact_deduction * deduction_min / 60
        adjustment = (round_to_unit(excess, terms.rate_rounding_unit, terms.rate_rounding_mode)
                      - round_to_unit(deduction, terms.rate_rounding_unit, terms.rate_rounding_mode))
    else:
        adjustment = (round_to_unit(rounded[0] * excess_min / 60, 1, "FLOOR")
                      - round_to_unit(rounded[1] * deduction_min / 60, 1, "FLOOR"))
    return Settlement(
        billed_minutes=minutes, base_amount=base,
        lower_hours=_hours(round(lower_min)) if ratio != 1 else terms.lower_hours,
        upper_hours=_hours(round(upper_min)) if ratio != 1 else terms.upper_hours,
        excess_rate=rounded[0], deduction_rate=rounded[1],
        excess_minutes=round_to_unit(excess_min, 1, "CEIL"),
        deduction_minutes=round_to_unit(deduction_min, 1, "CEIL"),
        adjustment_amount=adjustment, amount=base + adjustment)
