"""Attendance arithmetic (DOMAIN.md §7), pure functions over minutes.

* A day's span runs from start to end; an end at or before the start is the next morning
  (across midnight), so a span is 1 minute to 24 hours.  Worked = span - break.
* Late night (深夜) is 22:00-05:00.  We do not know when a break was taken, so breaks are
  assumed to fall outside the late-night hours unless there is nothing else left to take them
  from: late-night minutes = min(late-night overlap of the span, worked minutes).
* Legal minimum breaks: 45 minutes over 6 hours of work, 60 minutes over 8 hours (warnings).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from ..core.i18n import lazy_gettext as _l

DAY = 24 * 60
# Late-night windows on a two-day minute axis (a span starts on day 0 and ends before 48:00).
LATE_NIGHT = ((0, 5 * 60), (22 * 60, 29 * 60), (46 * 60, 48 * 60))
LONG_DAY_MINUTES = 12 * 60
WORKING_KINDS = ("NORMAL", "HOLIDAY_WORK")


class DayError(ValueError):
    """A day that cannot be saved, with the field it concerns."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = str(message)


@dataclass(frozen=True)
class DayTime:
    worked_minutes: int
    late_night_minutes: int
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def span_minutes(start: time, end: time) -> int:
    """Minutes from start to end; an end at or before the start is the next day."""
    begin, finish = _minutes(start), _minutes(end)
    return finish - begin if finish > begin else finish + DAY - begin


def late_night_overlap(start: time, end: time) -> int:
    begin = _minutes(start)
    finish = begin + span_minutes(start, end)
    return sum(max(0, min(finish, hi) - max(begin, lo)) for lo, hi in LATE_NIGHT)


def break_warnings(worked: int, break_minutes: int) -> list[str]:
    if worked > 8 * 60 and break_minutes < 60:
        return [str(_l("8時間を超える勤務には60分以上の休憩が必要です。"))]
    if worked > 6 * 60 and break_minutes < 45:
        return [str(_l("6時間を超える勤務には45分以上の休憩が必要です。"))]
    return []


def day_time(kind: str, start: time | None, end: time | None, break_minutes: int) -> DayTime:
    """Worked and late-night minutes of one day, or DayError for an impossible entry."""
    if break_minutes < 0 or break_minutes > DAY:
        raise DayError("break_minutes", _l("休憩時間は0〜1440分で入力してください。"))
    if kind not in WORKING_KINDS:
        if start or end or break_minutes:
            raise DayError("kind", _l("休暇・欠勤の日には時刻と休憩を入力しないでください。"))
        return DayTime(0, 0)
    if start is None and end is None:
        if break_minutes:
            raise DayError("start_time", _l("休憩だけの入力はできません。開始・終了時刻を入力してください。"))
        return DayTime(0, 0)
    if start is None or end is None:
        missing = "start_time" if start is None else "end_time"
        raise DayError(missing, _l("開始時刻と終了時刻の両方を入力してください。"))
    if start == end:
        raise DayError("end_time", _l("終了時刻が開始時刻と同じです。"))
    span = span_minutes(start, end)
    if break_minutes >= span:
        raise DayError("break_minutes", _l("休憩時間が勤務時間以上になっています。"))
    worked = span - break_minutes
    warnings = break_warnings(worked, break_minutes)
    if worked > LONG_DAY_MINUTES:
        warnings.append(str(_l("1日の勤務が12時間を超えています。入力を確認してください。")))
    return DayTime(worked, min(late_night_overlap(start, end), worked), tuple(warnings))


# --- the month ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Day:
    work_date: date
    kind: str
    worked_minutes: int
    late_night_minutes: int = 0
    work_location: str = "ONSITE"


LEGAL_HOLIDAY_WEEKDAY = 6      # Sunday: the company's 法定休日 (a setting of the work rules)
DAILY_LIMIT = 8 * 60
WEEKLY_LIMIT = 40 * 60


def totals(days: Iterable[Day]) -> dict:
    """The month's totals for work_summary."""
    days = list(days)
    working = [d for d in days if d.worked_minutes > 0]
    count = lambda kind: sum(1 for d in days if d.kind == kind)  # noqa: E731
    return {
        "worked_minutes": sum(d.worked_minutes for d in days),
        "late_night_minutes": sum(d.late_night_minutes for d in days),
        "work_days": len(working),
        "holiday_work_days": sum(1 for d in working if d.kind == "HOLIDAY_WORK"),
        "paid_leave_days": count("PAID_LEAVE"),
        "absence_days": count("ABSENCE"),
        "special_leave_days": count("SPECIAL_LEAVE"),
        "substitute_holidays": count("SUBSTITUTE_HOLIDAY"),
        "remote_days": sum(1 for d in working if d.work_location == "REMOTE"),
    }


def _week_start(day: date) -> date:
    """Weeks run Sunday to Saturday (暦週)."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def overtime(days: Iterable[Day]) -> tuple[int, int]:
    """(statutory overtime minutes, legal-holiday work minutes) of a month for our employees:
    beyond 8 hours a day, then beyond 40 hours a week of the remaining time; work on the legal
    holiday counts separately.  Weeks cut by the month's edges count their days in this month."""
    weeks: dict[date, int] = {}
    daily_excess = holiday = 0
    for day in days:
        if day.work_date.weekday() == LEGAL_HOLIDAY_WEEKDAY:
            holiday += day.worked_minutes
            continue
        excess = max(0, day.worked_minutes - DAILY_LIMIT)
        daily_excess += excess
        week = _week_start(day.work_date)
        weeks[week] = weeks.get(week, 0) + day.worked_minutes - excess
    weekly_excess = sum(max(0, regular - WEEKLY_LIMIT) for regular in weeks.values())
    return daily_excess + weekly_excess, holiday
