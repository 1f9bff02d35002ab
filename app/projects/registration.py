"""法人番号 (corporate number) and 適格請求書発行事業者登録番号 (T + 13 digits) checks.

The corporate number's first digit is a check digit (DOMAIN.md §3):
check = 9 - (sum of P_n * Q_n mod 9), P_n the n-th of the other twelve digits counted from the
right, Q_n = 1 for odd n and 2 for even n.  A corporation's registration number is "T" followed
by its corporate number; a sole proprietor's is a separately assigned number.
"""

from __future__ import annotations

import re

from ..core.i18n import lazy_gettext as _l


def corporate_number_is_valid(number: str) -> bool:
    if not re.fullmatch(r"[0-9]{13}", number or ""):
        return False
    digits = [int(d) for d in reversed(number[1:])]
    total = sum(d * (1 if n % 2 else 2) for n, d in enumerate(digits, start=1))
    return int(number[0]) == 9 - total % 9


def check_registration_fields(company, error_class, sole_proprietor: bool = False) -> None:
    """Validate ``company.corporate_number`` / ``registration_number``; raise ``error_class``."""
    corporate = company.corporate_number
    registration = company.registration_number
    if corporate and not corporate_number_is_valid(corporate):
        raise error_class("corporate_number", _l("法人番号が正しくありません（13桁・チェックデジット）。"))
    if not registration:
        return
    if not re.fullmatch(r"T[0-9]{13}", registration):
        raise error_class("registration_number", _l("登録番号は T + 13桁の数字で入力してください。"))
    if sole_proprietor:
        return
    if not corporate_number_is_valid(registration[1:]):
        raise error_class("registration_number", _l("登録番号が正しくありません（チェックデジット）。"))
    if corporate and registration[1:] != corporate:
        raise error_class("registration_number", _l("法人の登録番号は T + 法人番号です。"))
