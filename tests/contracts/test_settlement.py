"""Monthly settlement (精算) against the worked numbers of DOMAIN.md §1-2, and edge cases."""

from decimal import Decimal
from fractions import Fraction

import pytest

from app.contracts.settlement import SettlementTerms, billable_minutes, rates, settle

BASE = 800_000


def terms(method="UPPER_LOWER", unit=10, **kw) -> SettlementTerms:
    defaults = dict(monthly_price=BASE, method=method, lower_hours=Decimal(140),
                    upper_hours=Decimal(180), rate_rounding_unit=unit)
    defaults.update(kw)
    return SettlementTerms(**defaults)


@pytest.mark.parametrize("t, excess, deduction", [
    (terms(unit=10), 4440, 5710),
    (terms(unit=1), 4444, 5714),
    (terms("MIDDLE", unit=1), 5000, 5000),
    (terms("FIXED", excess_rate=4500, deduction_rate=5500), 4500, 5500),
])
def test_rates_table(t, excess, deduction):
    assert rates(t) == (excess, deduction)


@pytest.mark.parametrize("hours, ul10, ul1, middle, none", [
    ("190.5", 846_620, 846_662, 852_500, 800_000),
    ("130", 742_900, 742_860, 750_000, 800_000),
    ("160", 800_000, 800_000, 800_000, 800_000),
])
def test_amounts_table(hours, ul10, ul1, middle, none):
    minutes = int(Decimal(hours) * 60)
    assert settle(terms(unit=10), minutes).amount == ul10
    assert settle(terms(unit=1), minutes).amount == ul1
    assert settle(terms("MIDDLE", unit=1), minutes).amount == middle
    assert settle(terms("NONE", lower_hours=None, upper_hours=None), minutes).amount == none


def test_chain_example_sell_and_buy_from_the_same_hours():
    minutes = 190 * 60 + 30
    sell = settle(terms(unit=10), minutes)
    buy = settle(terms("MIDDLE", monthly_price=680_000, unit=1), minutes)
    assert (sell.amount, buy.amount) == (846_620, 724_625)
    assert buy.excess_rate == 4250
    margin = sell.amount - buy.amount
    assert margin == 121_995
    assert round(Fraction(margin, sell.amount) * 100, 1) == Decimal("14.4")


def test_exactly_at_the_bounds_nothing_is_adjusted():
    for hours in (140, 180):
        result = settle(terms(), hours * 60)
        assert (result.amount, result.excess_minutes, result.deduction_minutes) == (BASE, 0, 0)


def test_just_outside_the_bounds():
    over = settle(terms(unit=1), 180 * 60 + 15)       # +0.25h x 4444 = 1111
    under = settle(terms(unit=1), 140 * 60 - 15)      # -0.25h x 5714 = 1428.5 -> 1428
    assert over.amount == BASE + 1111
    assert under.amount == BASE - 1428


def test_adjustment_amount_variant_truncates_the_amount_not_the_rate():
    # 800,000 x 10.5 / 180 = 46,666.67 -> +46,666
    result = settle(terms(unit=1, rounding_target="AMOUNT"), 190 * 60 + 30)
    assert result.adjustment_amount == 46_666
    assert result.amount == 846_666


@pytest.mark.parametrize("unit, expected_minutes", [(15, 190 * 60 + 45), (30, 190 * 60 + 30), (60, 190 * 60)])
def test_monthly_hours_rounding(unit, expected_minutes):
    # 190h50m -> 190.75 (15-minute unit), 190.5 (30), 190 (60)
    t = terms(hours_rounding_minutes=unit, hours_rounding_scope="MONTHLY")
    assert billable_minutes([190 * 60 + 50], t) == expected_minutes


def test_daily_hours_rounding_rounds_each_day_first():
    t = terms(hours_rounding_minutes=15, hours_rounding_scope="DAILY")
    days = [8 * 60 + 10] * 3            # 8h10m x 3: daily 8h00m each; monthly would be 24h30m
    assert billable_minutes(days, t) == 24 * 60
    monthly = terms(hours_rounding_minutes=15, hours_rounding_scope="MONTHLY")
    assert billable_minutes(days, monthly) == 24 * 60 + 30


def test_ten_minute_units_give_fractional_hours_but_whole_yen():
    t = terms(unit=10, hours_rounding_minutes=10)
    result = settle(t, billable_minutes([190 * 60 + 10], t))     # 10h10m over: 10.1666.. x 4440
    assert result.excess_minutes == 610
    assert result.adjustment_amount == 45_140
    assert result.billed_hours == Decimal("190.17")


def test_no_settlement_ignores_hours_entirely():
    result = settle(terms("NONE", lower_hours=None, upper_hours=None), 0)
    assert result.amount == BASE and result.excess_rate is None


def test_partial_month_prorates_base_and_range():
    # Joined mid-month: 10 of 20 business days -> half the base and half the range.
    result = settle(terms(unit=10), 100 * 60, ratio=Fraction(1, 2))
    assert result.base_amount == 400_000
    assert (result.lower_hours, result.upper_hours) == (Decimal(70), Decimal(90))
    assert result.amount == 400_000 + 10 * 4440       # rates stay those of the full month


def test_inverted_range_is_refused():
    with pytest.raises(ValueError, match="range"):
        settle(terms(lower_hours=Decimal(180), upper_hours=Decimal(140)), 160 * 60)
