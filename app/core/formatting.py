"""Japanese business formatting (DOMAIN.md §10): ¥1,748,472, 2026年4月30日, 令和8年."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask

ERAS = ((date(2019, 5, 1), "令和"), (date(1989, 1, 8), "平成"), (date(1926, 12, 25), "昭和"))


def yen(value: int | Decimal | None) -> str:
    """¥1,748,472; a negative amount (a credit note, a reversed payment) as -¥880,000."""
    if value is None:
        return ""
    return f"-¥{-int(value):,}" if value < 0 else f"¥{int(value):,}"


def number(value, places: int = 0) -> str:
    if value is None:
        return ""
    return f"{Decimal(value):,.{places}f}"


def jdate(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def slashdate(value: date | datetime | None) -> str:
    return "" if value is None else value.strftime("%Y/%m/%d")


def jdatetime(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y/%m/%d %H:%M")


def wareki(value: date | datetime | None) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    for start, name in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return jdate(day)


def register_filters(app: Flask) -> None:
    app.add_template_filter(yen)
    app.add_template_filter(number)
    app.add_template_filter(jdate)
    app.add_template_filter(slashdate)
    app.add_template_filter(jdatetime)
    app.add_template_filter(wareki)
