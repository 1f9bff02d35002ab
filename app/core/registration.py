"""法人番号 (corporate number) and 適格請求書発行事業者登録番号 (registration number): one
implementation for customers, partner companies and our own company as issuer (DOMAIN.md §3).

* A corporate number is 13 digits whose first digit is a check digit: check = 9 - (Σ Pn·Qn mod
  9), Pn the n-th of the other twelve digits counted from the right, Qn = 1 for odd n and 2 for
  even n (7123456789012 and 4011001098993 are valid).
* A registration number is ``T`` + 13 digits: a corporation's digits are its corporate number;
  a sole proprietor's are assigned separately and carry no check digit.
"""

from __future__ import annotations

import re

from .i18n import lazy_gettext as _l

_REGISTRATION = re.compile(r"^T(\d{13})$")
_CORPORATE = re.compile(r"^\d{13}$")

PROBLEM_MESSAGES = {
    "format": _l("登録番号は「T」と13桁の数字で入力してください。"),
    "check_digit": _l("登録番号のチェックデジットが正しくありません。番号をご確認ください。"),
}


def corporate_check_digit(twelve_digits: str) -> int:
    """The check digit of the corporate number whose other twelve digits are given."""
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(twelve_digits), start=1))
    return 9 - total % 9


def with_check_digit(twelve_digits: str) -> str:
    """The corporate number of twelve digits: its check digit in front (for demo data)."""
    return f"{corporate_check_digit(twelve_digits)}{twelve_digits}"


def is_valid_corporate_number(number: str | None) -> bool:
    return bool(_CORPORATE.match(number or "")) and int(number[0]) == corporate_check_digit(number[1:])


def registration_number_problem(value: str | None, *, corporation: bool = True) -> str | None:
    """Why ``value`` is not a valid registration number ("format", "check_digit"), or None."""
    match = _REGISTRATION.match((value or "").strip())
    if not match:
        return "format"
    if corporation and not is_valid_corporate_number(match.group(1)):
        return "check_digit"
    return None


def normalise_registration_number(value: str | None) -> str:
    """Accept full-width digits, spaces and hyphens as typed, and a missing or lower-case T."""
    text = (value or "").translate(str.maketrans("０１２３４５６７８９Ｔｔ", "0123456789TT"))
    text = re.sub(r"[\s\-‐－]", "", text).upper()
    return text if text.startswith("T") or not text else "T" + text


def check_registration_fields(company, error_class, sole_proprietor: bool = False) -> None:
    """Validate ``company.corporate_number`` and ``registration_number`` (both optional); raise
    ``error_class(field, message)`` at the first problem."""
    corporate, registration = company.corporate_number, company.registration_number
    if corporate and not is_valid_corporate_number(corporate):
        raise error_class("corporate_number", _l("法人番号が正しくありません（13桁・チェックデジット）。"))
    if not registration:
        return
    problem = registration_number_problem(registration, corporation=not sole_proprietor)
    if problem:
        raise error_class("registration_number", PROBLEM_MESSAGES[problem])
    if corporate and not sole_proprietor and registration[1:] != corporate:
        raise error_class("registration_number", _l("法人の登録番号は T + 法人番号です。"))
