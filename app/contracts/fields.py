"""The editable fields of a contract, their types and allowed values, and the conversion of raw
input (a form, a CSV row, a Python caller) into typed values with a message per bad field.

A CSV import hands over strings; the web form hands over typed values; both come out the same.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core.i18n import lazy_gettext as _l

CHOICES: dict[str, tuple[str, ...]] = {
    "contract_type": ("QUASI_MANDATE", "DISPATCH", "CONTRACTED_WORK"),
    "side": ("SELL", "BUY"),
    "status": ("DRAFT", "PENDING_APPROVAL", "CONCLUDED", "ACTIVE", "ENDED", "TERMINATED"),
    "settlement_method": ("NONE", "UPPER_LOWER", "MIDDLE", "FIXED"),
    "rate_rounding_mode": ("FLOOR", "HALF_UP", "CEIL"),
    "rounding_target": ("RATE", "AMOUNT"),
    "hours_rounding_scope": ("DAILY", "MONTHLY"),
    "hours_rounding_mode": ("FLOOR", "HALF_UP", "CEIL"),
    "partial_month_rule": ("CALENDAR_DAYS", "BUSINESS_DAYS", "NONE"),
    "payment_holiday_rule": ("PREVIOUS", "NEXT"),
    "chain_restriction": ("NONE", "NO_FURTHER_TIERS", "PARTNER_ONE_TIER", "NO_SOLE_PROPRIETORS",
                          "EMPLOYEES_ONLY"),
}
# (minimum, maximum) of the integer fields; rounding units are choices among numbers.
INT_RANGES: dict[str, tuple[int, int]] = {
    "monthly_price": (1, 99_999_999), "excess_rate": (0, 9_999_999), "deduction_rate": (0, 9_999_999),
    "closing_day": (0, 28), "payment_month_offset": (0, 3), "payment_day": (0, 28),
    "chain_position": (1, 9), "defect_liability_months": (0, 120),
}
INT_CHOICES: dict[str, tuple[int, ...]] = {
    "tax_rate_percent": (0, 8, 10), "rate_rounding_unit": (1, 10, 100, 1000),
    "hours_rounding_minutes": (1, 5, 10, 15, 30, 60),
}
DECIMAL_FIELDS = ("lower_hours", "upper_hours")
DATE_FIELDS = ("start_date", "end_date", "acceptance_date")
UUID_FIELDS = ("project_id", "engineer_id", "customer_id", "partner_company_id", "sell_contract_id",
               "template_id", "matching_result_id", "renewed_from_id")
TEXT_FIELDS = ("contract_number", "title", "responsible_person", "client_supervisor", "work_site",
               "work_description", "dispatch_license_number", "deliverables", "notes")
TEXT_LIMITS = {"contract_number": 40, "title": 200}

DEFAULTS: dict[str, Any] = {
    "side": "SELL", "status": "DRAFT", "tax_rate_percent": 10, "settlement_method": "UPPER_LOWER",
    "rate_rounding_unit": 10, "rate_rounding_mode": "FLOOR", "rounding_target": "RATE",
    "hours_rounding_minutes": 15, "hours_rounding_scope": "MONTHLY", "hours_rounding_mode": "FLOOR",
    "partial_month_rule": "BUSINESS_DAYS", "closing_day": 0, "payment_month_offset": 1,
    "payment_day": 0, "payment_holiday_rule": "PREVIOUS", "chain_position": 1,
    "chain_restriction": "NONE",
}
ALL_FIELDS = (*CHOICES, *INT_RANGES, *INT_CHOICES, *DECIMAL_FIELDS, *DATE_FIELDS, *UUID_FIELDS,
              *TEXT_FIELDS)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _to_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip().replace("/", "-"))


def _to_int(value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    number = Decimal(str(value).strip().replace(",", "").replace("¥", "").replace("円", ""))
    if number != number.to_integral_value():
        raise ValueError
    return int(number)


def _to_decimal(value) -> Decimal:
    number = Decimal(str(value).strip())
    if not number.is_finite() or number < 0 or number > Decimal("744"):
        raise ValueError
    return number.quantize(Decimal("0.01"))


def _convert(name: str, value):
    """The typed value of one field; ValueError with a message when it is not acceptable."""
    try:
        if name in DATE_FIELDS:
            return _to_date(value)
        if name in UUID_FIELDS:
            return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value).strip())
        if name in DECIMAL_FIELDS:
            return _to_decimal(value)
    except (ValueError, TypeError, InvalidOperation, AttributeError):
        raise ValueError(_messages[name if name in DATE_FIELDS + DECIMAL_FIELDS else "uuid"]) from None
    if name in INT_RANGES or name in INT_CHOICES:
        return _convert_int(name, value)
    if name in CHOICES:
        text = str(value).strip()
        if text not in CHOICES[name]:
            raise ValueError(_l("選択肢から選んでください。"))
        return text
    text = str(value).strip()
    if len(text) > TEXT_LIMITS.get(name, 2000):
        raise ValueError(_l("%(n)d文字以内で入力してください。", n=TEXT_LIMITS.get(name, 2000)))
    return text


def _convert_int(name: str, value) -> int:
    try:
        number = _to_int(value)
    except (ValueError, TypeError, InvalidOperation):
        raise ValueError(_l("整数で入力してください。")) from None
    if name in INT_CHOICES and number not in INT_CHOICES[name]:
        raise ValueError(_l("選択肢から選んでください。"))
    low, high = INT_RANGES.get(name, (None, None))
    if low is not None and not low <= number <= high:
        raise ValueError(_l("%(low)s〜%(high)sの範囲で入力してください。", low=f"{low:,}", high=f"{high:,}"))
    return number


_messages = {
    "start_date": _l("日付の形式が正しくありません（例: 2026-04-01）。"),
    "end_date": _l("日付の形式が正しくありません（例: 2026-04-01）。"),
    "acceptance_date": _l("日付の形式が正しくありません（例: 2026-04-01）。"),
    "lower_hours": _l("0〜744の時間数で入力してください（例: 140 や 140.5）。"),
    "upper_hours": _l("0〜744の時間数で入力してください（例: 180 や 180.5）。"),
    "uuid": _l("選択肢から選んでください。"),
}


def convert(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(typed values, errors by field) for the known fields of ``raw``; blanks become None."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in ALL_FIELDS:
        if name not in raw:
            continue
        if _blank(raw[name]):
            values[name] = None
            continue
        try:
            values[name] = _convert(name, raw[name])
        except ValueError as error:
            errors[name] = str(error.args[0])
    return values, errors


def with_defaults(values: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULTS, **{k: v for k, v in values.items() if v is not None or k not in DEFAULTS}}
