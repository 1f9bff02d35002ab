"""Japanese business days (DOMAIN.md §4, §8).

A business day is a weekday that is not a national holiday (jpholiday), not in the bank
year-end break (31 Dec - 3 Jan) and not a company closure day (platform.company_closures, edited
by administrators).  Pure functions take the closures as an argument; ``BusinessCalendar.load``
reads them from the database.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import jpholiday

YEAR_END_BREAK = {(12, 31), (1, 1), (1, 2), (1, 3)}


def holiday_name(day: date) -> str | None:
    """The national holiday's Japanese name, or None."""
    return jpholiday.is_holiday_name(day)


def is_business_day(day: date, closures: Collection[date] = ()) -> bool:
    return (
        day.weekday() < 5
        and (day.month, day.day) not in YEAR_END_BREAK
        and not jpholiday.is_holiday(day)
        and day not in closures
    )


def next_business_day(day: date, closures: Collection[date] = ()) -> date:
    """``day`` itself if it is a business day, else the next one (翌営業日)."""
    while not is_business_day(day, closures):
        day += timedelta(days=1)
    return day


def previous_business_day(day: date, closures: Collection[date] = ()) -> date:
    """``day`` itself if it is a business day, else the previous one (前営業日)."""
    while not is_business_day(day, closures):
        day -= timedelta(days=1)
    return day


def move_to_business_day(day: date, rule: str, closures: Collection[date] = ()) -> date:
    """Apply a contract's holiday rule: PREVIOUS (前営業日) or NEXT (翌営業日)."""
    if rule == "PREVIOUS":
        return previous_business_day(day, closures)
    if rule == "NEXT":
        return next_business_day(day, closures)
    raise ValueError(f"unknown holiday rule {rule!r}")


def month_days(year: int, month: int) -> Iterator[date]:
    for d in range(1, _calendar.monthrange(year, month)[1] + 1):
        yield date(year, month, d)


def business_days(year: int, month: int, closures: Collection[date] = ()) -> list[date]:
    return [d for d in month_days(year, month) if is_business_day(d, closures)]


def business_days_between(start: date, end: date, closures: Collection[date] = ()) -> int:
    """Business days in [start, end], both included."""
    count, day = 0, start
    while day <= end:
        count += is_business_day(day, closures)
        day += timedelta(days=1)
    return count


def month_end(year: int, month: int) -> date:
    return date(year, month, _calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def payment_due_date(closing: date, month_offset: int, payment_day: int, rule: str,
                     closures: Collection[date] = ()) -> date:
    """When money is due for a period closed on ``closing``: ``month_offset`` months later,
    on ``payment_day`` (0 = month end), moved to a business day by ``rule``.

    30-day terms (月末締め翌月末払い) are offset 1, day 0; 45-day terms offset 2, day 15;
    60-day terms offset 2, day 0.
    """
    year, month = add_months(closing.year, closing.month, month_offset)
    last = month_end(year, month)
    nominal = last if payment_day == 0 else date(year, month, min(payment_day, last.day))
    return move_to_business_day(nominal, rule, closures)


def closing_date(year: int, month: int, closing_day: int) -> date:
    """The closing date (締め日) of a month: 0 = month end."""
    return month_end(year, month) if closing_day == 0 else date(year, month, closing_day)


@dataclass
class BusinessCalendar:
    """Business days with the company's closure days loaded from the database."""

    closures: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def load(cls, start: date | None = None, end: date | None = None) -> BusinessCalendar:
        from sqlalchemy import text

        from ..extensions import db

        rows = db.session.execute(text(
            "SELECT closure_date FROM platform.company_closures WHERE deleted_at IS NULL"
            " AND closure_date BETWEEN coalesce(:s, '-infinity'::date) AND coalesce(:e, 'infinity'::date)"),
            {"s": start, "e": end})
        return cls(frozenset(r[0] for r in rows))

    def is_business_day(self, day: date) -> bool:
        return is_business_day(day, self.closures)

    def business_days(self, year: int, month: int) -> list[date]:
        return business_days(year, month, self.closures)

    def business_days_between(self, start: date, end: date) -> int:
        return business_days_between(start, end, self.closures)

    def move(self, day: date, rule: str) -> date:
        return move_to_business_day(day, rule, self.closures)

    def payment_due_date(self, closing: date, month_offset: int, payment_day: int, rule: str) -> date:
        return payment_due_date(closing, month_offset, payment_day, rule, self.closures)
