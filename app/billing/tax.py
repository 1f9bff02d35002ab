"""Consumption tax and the qualified-invoice rules (DOMAIN.md §3).

* Tax is computed once per invoice per tax rate from the rate's subtotal, rounded with the
  issuer's setting -- never as a sum of rounded line taxes.
* Registration numbers (``T`` + 13 digits) are checked by ``app.core.registration``.
* Withholding (源泉徴収) for payments to individuals for listed work, and the deductible share
  of the tax paid to unregistered partners (a dated table in the database).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from ..core.money import round_to_unit

TAX_RATES = (10, 8, 0)


@dataclass(frozen=True)
class RateTotal:
    rate: int
    subtotal: int
    tax: int
    reduced: bool = False

    @property
    def total(self) -> int:
        return self.subtotal + self.tax


def tax_for(subtotal: int, rate: int, rounding: str) -> int:
    """The tax of one rate's subtotal, rounded once (FLOOR truncates towards zero)."""
    return round_to_unit(Fraction(subtotal * rate, 100), 1, rounding)


def totals_by_rate(lines: Iterable[tuple[int, int]], rounding: str,
                   reduced_rates: Iterable[int] = (8,)) -> list[RateTotal]:
    """Per-rate subtotal and tax of ``(amount, rate)`` lines, highest rate first."""
    subtotals: dict[int, int] = {}
    for amount, rate in lines:
        if rate not in TAX_RATES:
            raise ValueError(f"unknown tax rate {rate}")
        subtotals[rate] = subtotals.get(rate, 0) + amount
    reduced = set(reduced_rates)
    return [RateTotal(rate, subtotal, tax_for(subtotal, rate, rounding), rate in reduced)
            for rate, subtotal in sorted(subtotals.items(), reverse=True)]


WITHHOLDING_THRESHOLD = 1_000_000


def withholding_tax(amount: int) -> int:
    """源泉徴収税額 for one payment to an individual for listed work: 10.21% up to ¥1,000,000,
    above that (amount - 1,000,000) x 20.42% + 102,100; fractions of a yen are dropped."""
    if amount <= 0:
        return 0
    if amount <= WITHHOLDING_THRESHOLD:
        return round_to_unit(Fraction(amount * 1021, 10000), 1, "FLOOR")
    excess = Fraction((amount - WITHHOLDING_THRESHOLD) * 2042, 10000)
    return round_to_unit(excess, 1, "FLOOR") + 102_100


def deductible_tax(tax: int, deductible_percent: int) -> int:
    """The part of the tax paid that may be deducted (経過措置 for unregistered partners);
    rounded down, the conservative direction for a deduction."""
    return round_to_unit(Fraction(tax * deductible_percent, 100), 1, "FLOOR")
