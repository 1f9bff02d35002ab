"""Business days and due dates against DOMAIN.md §4 and §8."""

from datetime import date

import pytest

from app.core import calendar as cal


def test_2026_checks_from_the_domain_rules():
    assert cal.holiday_name(date(2026, 5, 6))          # substitute holiday
    assert cal.holiday_name(date(2026, 9, 22))         # 国民の休日
    assert cal.holiday_name(date(2026, 2, 23))         # Emperor's Birthday
    assert not cal.is_business_day(date(2026, 5, 6))


def test_business_days_per_month_in_2026():
    counts = [len(cal.business_days(2026, m)) for m in range(1, 13)]
    assert counts == [19, 18, 21, 21, 18, 22, 22, 20, 19, 21, 19, 22]


@pytest.mark.parametrize("day, rule, expected", [
    (date(2026, 5, 31), "NEXT", date(2026, 6, 1)),       # Sunday
    (date(2026, 5, 31), "PREVIOUS", date(2026, 5, 29)),
    (date(2026, 12, 31), "PREVIOUS", date(2026, 12, 30)),  # bank year-end break
    (date(2026, 12, 31), "NEXT", date(2027, 1, 4)),
    (date(2026, 6, 1), "NEXT", date(2026, 6, 1)),        # already a business day
])
def test_moves_to_a_business_day(day, rule, expected):
    assert cal.move_to_business_day(day, rule) == expected


def test_company_closures_are_not_business_days():
    closure = date(2026, 8, 13)
    assert cal.is_business_day(closure)
    assert not cal.is_business_day(closure, {closure})
    assert cal.next_business_day(closure, {closure}) == date(2026, 8, 14)
    assert len(cal.business_days(2026, 8, {closure})) == 19


@pytest.mark.parametrize("offset, day, rule, expected", [
    (1, 0, "PREVIOUS", date(2026, 5, 29)),   # 30-day: end of May is a Sunday
    (2, 15, "PREVIOUS", date(2026, 6, 15)),  # 45-day: the 15th of the month after next
    (2, 0, "NEXT", date(2026, 6, 30)),       # 60-day
])
def test_payment_due_dates_for_an_april_close(offset, day, rule, expected):
    assert cal.payment_due_date(date(2026, 4, 30), offset, day, rule) == expected


def test_sixty_day_terms_can_exceed_sixty_days():
    # DOMAIN.md §4: 04-30 -> 06-30 is 61 days, which 取適法 forbids.
    due = cal.payment_due_date(date(2026, 4, 30), 2, 0, "NEXT")
    assert (due - date(2026, 4, 30)).days == 61


def test_closing_dates():
    assert cal.closing_date(2026, 2, 0) == date(2026, 2, 28)
    assert cal.closing_date(2026, 2, 20) == date(2026, 2, 20)
