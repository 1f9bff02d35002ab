"""Tax once per invoice per rate, withholding and the deductible share (DOMAIN.md §3);
registration numbers: tests/core/test_registration.py."""

from __future__ import annotations

import pytest

from app.billing.tax import deductible_tax, tax_for, totals_by_rate, withholding_tax

THREE_LINES = [(100_005, 10)] * 3


def test_tax_is_rounded_once_per_rate_truncating():
    (ten,) = totals_by_rate(THREE_LINES, "FLOOR")
    assert (ten.subtotal, ten.tax, ten.total) == (300_015, 30_001, 330_016)
    # the sum of per-line truncated taxes would be 30,000: not what we compute
    assert sum(tax_for(amount, rate, "FLOOR") for amount, rate in THREE_LINES) == 30_000


def test_tax_is_rounded_once_per_rate_half_up_and_up():
    assert totals_by_rate(THREE_LINES, "HALF_UP")[0].tax == 30_002
    assert totals_by_rate(THREE_LINES, "CEIL")[0].tax == 30_002
    assert totals_by_rate([(100_004, 10)], "HALF_UP")[0].tax == 10_000
    assert totals_by_rate([(100_005, 10)], "HALF_UP")[0].tax == 10_001


def test_each_rate_has_its_own_subtotal_and_tax_highest_rate_first():
    totals = totals_by_rate([(1_001, 8), (800_000, 10), (999, 8), (12_340, 0)], "FLOOR")
    assert [(t.rate, t.subtotal, t.tax, t.reduced) for t in totals] == [
        (10, 800_000, 80_000, False), (8, 2_000, 160, True), (0, 12_340, 0, False)]


def test_credit_note_amounts_truncate_towards_zero():
    (ten,) = totals_by_rate([(-100_005, 10)] * 3, "FLOOR")
    assert (ten.subtotal, ten.tax) == (-300_015, -30_001)


def test_unknown_rate_is_refused():
    with pytest.raises(ValueError):
        totals_by_rate([(100, 5)], "FLOOR")


@pytest.mark.parametrize("amount, tax", [(500_000, 51_050), (1_500_000, 204_200), (1_000_000, 102_100),
                                         (1_000_001, 102_100), (99_999, 10_209), (0, 0)])
def test_withholding(amount, tax):
    assert withholding_tax(amount) == tax


def test_deductible_share_of_input_tax():
    assert deductible_tax(68_000, 80) == 54_400
    assert deductible_tax(68_000, 70) == 47_600
    assert deductible_tax(68_001, 80) == 54_400      # rounded down
    assert deductible_tax(68_000, 100) == 68_000
