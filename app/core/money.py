"""Money is integer yen; intermediate values are exact fractions, rounded once, explicitly.

Rounding modes are business settings (DOMAIN.md §2, §3): FLOOR (切り捨て, truncation -- the
usual), HALF_UP (四捨五入) and CEIL (切り上げ), to a unit of 1, 10, 100 ... yen.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

ROUNDING_MODES = ("FLOOR", "HALF_UP", "CEIL")

Number = int | Decimal | Fraction


def exact(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def round_to_unit(value: Number, unit: int = 1, mode: str = "FLOOR") -> int:
    """Round ``value`` to a multiple of ``unit`` (non-negative values and negative alike:
    FLOOR truncates towards zero, as amounts are written in documents)."""
    if unit <= 0:
        raise ValueError("unit must be positive")
    if mode not in ROUNDING_MODES:
        raise ValueError(f"unknown rounding mode {mode!r}")
    q = exact(value) / unit
    sign = -1 if q < 0 else 1
    q = abs(q)
    if mode == "FLOOR":
        n = math.floor(q)
    elif mode == "CEIL":
        n = math.ceil(q)
    else:
        n = math.floor(q + Fraction(1, 2))
    return sign * n * unit
