from decimal import Decimal
from fractions import Fraction

import pytest

from app.core.money import round_to_unit


@pytest.mark.parametrize("value, unit, mode, expected", [
    (Fraction(800000, 180), 10, "FLOOR", 4440),
    (Fraction(800000, 180), 1, "FLOOR", 4444),
    (Fraction(800000, 140), 10, "FLOOR", 5710),
    (Fraction(800000, 140), 1, "FLOOR", 5714),
    (Decimal("30001.5"), 1, "FLOOR", 30001),
    (Decimal("30001.5"), 1, "HALF_UP", 30002),
    (Decimal("30001.4"), 1, "HALF_UP", 30001),
    (Decimal("30001.1"), 1, "CEIL", 30002),
    (Decimal("-46666.7"), 1, "FLOOR", -46666),
    (12345, 100, "CEIL", 12400),
])
def test_round_to_unit(value, unit, mode, expected):
    assert round_to_unit(value, unit, mode) == expected


def test_refuses_unknown_modes_and_units():
    with pytest.raises(ValueError):
        round_to_unit(1, 0)
    with pytest.raises(ValueError):
        round_to_unit(1, 1, "BANKERS")
