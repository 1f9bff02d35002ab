"""Attendance arithmetic and 36協定 checks (DOMAIN.md §7), pure."""

from datetime import date, time

import pytest

from app.timesheets import agreement36, rules
from app.timesheets.agreement36 import MonthOvertime
from app.timesheets.rules import Day, DayError, day_time


def t(text: str) -> time:
    return time.fromisoformat(text)


@pytest.mark.parametrize("start, end, brk, worked, late", [
    ("09:00", "18:00", 60, 480, 0),
    ("09:00", "23:30", 60, 810, 90),          # 22:00-23:30
    ("22:00", "07:00", 60, 480, 420),         # across midnight: 22:00-05:00 is 7 h late night
    ("23:00", "06:00", 0, 420, 360),
    ("01:00", "09:00", 30, 450, 240),         # early morning: 01:00-05:00
    ("20:00", "04:00", 450, 30, 30),          # breaks cannot leave more late night than work
    ("09:00", "09:01", 0, 1, 0),
])
def test_worked_and_late_night_minutes(start, end, brk, worked, late):
    result = day_time("NORMAL", t(start), t(end), brk)
    assert (result.worked_minutes, result.late_night_minutes) == (worked, late)


@pytest.mark.parametrize("start, end, brk, expected", [
    ("09:00", "15:00", 0, []),                 # exactly 6 h: no break needed
    ("09:00", "15:31", 0, ["45分"]),
    ("09:00", "17:45", 45, []),                # 8 h of work with 45 min
    ("09:00", "17:46", 45, ["60分"]),
    ("09:00", "18:00", 60, []),
])
def test_legal_break_warnings(start, end, brk, expected):
    warnings = day_time("NORMAL", t(start), t(end), brk).warnings
    assert len(warnings) == len(expected)
    for text, warning in zip(expected, warnings, strict=True):
        assert text in warning


def test_a_long_day_is_flagged():
    assert any("12時間" in w for w in day_time("NORMAL", t("08:00"), t("22:00"), 60).warnings)


@pytest.mark.parametrize("kind, start, end, brk, field", [
    ("NORMAL", "09:00", None, 0, "end_time"),
    ("NORMAL", None, "18:00", 0, "start_time"),
    ("NORMAL", "09:00", "09:00", 0, "end_time"),
    ("NORMAL", "09:00", "10:00", 60, "break_minutes"),
    ("NORMAL", "09:00", "18:00", -5, "break_minutes"),
    ("NORMAL", None, None, 30, "start_time"),
    ("PAID_LEAVE", "09:00", "18:00", 60, "kind"),
])
def test_impossible_days(kind, start, end, brk, field):
    with pytest.raises(DayError) as excinfo:
        day_time(kind, start and t(start), end and t(end), brk)
    assert excinfo.value.field == field


def test_leave_and_empty_days_count_nothing():
    assert day_time("PAID_LEAVE", None, None, 0).worked_minutes == 0
    assert day_time("NORMAL", None, None, 0).worked_minutes == 0


def test_month_totals():
    days = [Day(date(2026, 10, 1), "NORMAL", 480, 0, "REMOTE"),
            Day(date(2026, 10, 2), "NORMAL", 540, 60),
            Day(date(2026, 10, 3), "HOLIDAY_WORK", 240),
            Day(date(2026, 10, 5), "PAID_LEAVE", 0),
            Day(date(2026, 10, 6), "ABSENCE", 0)]
    totals = rules.totals(days)
    assert totals == {"worked_minutes": 1260, "late_night_minutes": 60, "work_days": 3,
                      "holiday_work_days": 1, "paid_leave_days": 1, "absence_days": 1,
                      "special_leave_days": 0, "substitute_holidays": 0, "remote_days": 1}


def test_statutory_overtime_daily_weekly_and_legal_holiday():
    # Week of Sun 2026-10-04 .. Sat 10-10: Mon-Fri 9 h each (5 h daily excess), Sat 8 h.
    week = [Day(date(2026, 10, d), "NORMAL", 540) for d in range(5, 10)]
    week.append(Day(date(2026, 10, 10), "HOLIDAY_WORK", 480))
    sunday = Day(date(2026, 10, 11), "HOLIDAY_WORK", 300)
    overtime, holiday = rules.overtime(week + [sunday])
    # daily: 5 x 60 = 300; weekly: 5 x 480 + 480 = 2880 regular -> 480 over 40 h
    assert (overtime, holiday) == (300 + 480, 300)


H = 60


def months(*totals, start=(2026, 7)):
    year, month = start
    found = []
    for value in totals:
        found.append(MonthOvertime(year, month, value * H))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def codes(findings):
    return {(f.code, f.violation) for f in findings}


def test_the_domain_example_90_75_80_averages_81_7_and_violates():
    findings = agreement36.check(months(90, 75, 80))
    average = [f for f in findings if f.code == "AVERAGE_80"]
    assert average and average[0].violation and "81.7" in average[0].message
    assert ("MONTHLY_45", False) in codes(findings)


def test_two_to_six_month_averages_at_80_are_allowed():
    assert "AVERAGE_80" not in {f.code for f in agreement36.check(months(80, 80, 80, 80, 80, 80))}
    assert "AVERAGE_80" in {f.code for f in agreement36.check(months(70, 91))}          # 2 months 80.5


def test_a_month_without_timesheet_counts_as_zero_in_averages():
    history = [MonthOvertime(2026, 7, 95 * H), MonthOvertime(2026, 9, 90 * H)]
    assert "AVERAGE_80" not in {f.code for f in agreement36.check(history)}             # (0+90)/2, (95+0+90)/3


def test_100_hours_with_holiday_work_is_a_violation():
    assert ("MONTHLY_100", True) in codes(agreement36.check([MonthOvertime(2026, 10, 70 * H, 30 * H)]))
    assert "MONTHLY_100" not in {f.code for f in agreement36.check([MonthOvertime(2026, 10, 70 * H, 29 * H)])}


def test_more_than_six_months_over_45_in_an_agreement_year():
    history = months(46, 46, 46, 46, 46, 46, start=(2026, 4))
    assert ("SPECIAL_MONTHS", True) not in codes(agreement36.check(history))
    history.append(MonthOvertime(2026, 10, 46 * H))
    assert ("SPECIAL_MONTHS", True) in codes(agreement36.check(history))
    # March belongs to the previous agreement year (April start)
    assert ("SPECIAL_MONTHS", True) not in codes(agreement36.check(months(46, 46, 46, 46, 46, 46, 46,
                                                                           start=(2025, 12))))


def test_yearly_limits():
    assert ("YEARLY_360", False) in codes(agreement36.check(months(40, 40, 40, 40, 40, 40, 40, 40, 40, 5,
                                                                    start=(2026, 4))))
    assert ("YEARLY_720", True) in codes(agreement36.check(months(*[61] * 12, start=(2026, 4))))


def test_nothing_to_report_under_the_limits():
    assert agreement36.check(months(20, 30, 44)) == []
    assert agreement36.check([]) == []
