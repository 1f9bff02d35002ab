"""36協定 (Article 36 agreement) checks on our own employees' overtime (DOMAIN.md §7).

Limits are those of the Labour Standards Act since 2019 and the company's agreement; they live
in ``Limits`` so the agreement's values (and its first month) are settings, not code paths.

* monthly overtime over 45 h needs the special clause, in at most 6 months of the agreement year;
* yearly overtime: 360 h, 720 h with the special clause;
* overtime + legal-holiday work under 100 h in every month;
* overtime + legal-holiday work averaging at most 80 h over every window of 2 to 6 months
  (90, 75, 80 -> 81.7 -> violation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..core.i18n import lazy_gettext as _l

H = 60


@dataclass(frozen=True)
class Limits:
    monthly: int = 45 * H
    special_months: int = 6
    yearly: int = 360 * H
    yearly_special: int = 720 * H
    monthly_with_holiday: int = 100 * H      # must stay below
    average: int = 80 * H
    agreement_start_month: int = 4           # the agreement year starts in April


@dataclass(frozen=True)
class MonthOvertime:
    year: int
    month: int
    overtime_minutes: int
    holiday_minutes: int = 0

    @property
    def total(self) -> int:
        return self.overtime_minutes + self.holiday_minutes


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    violation: bool


def _hours(minutes: int | Decimal) -> str:
    value = (Decimal(minutes) / H).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value}"


def _agreement_year(months: Sequence[MonthOvertime], limits: Limits) -> list[MonthOvertime]:
    current = months[-1]
    start_year = current.year if current.month >= limits.agreement_start_month else current.year - 1
    start = start_year * 12 + limits.agreement_start_month - 1
    return [m for m in months if start <= m.year * 12 + m.month - 1 <= current.year * 12 + current.month - 1]


def _monthly(current: MonthOvertime, year: list[MonthOvertime], limits: Limits) -> list[Finding]:
    findings = []
    if current.overtime_minutes > limits.monthly:
        findings.append(Finding("MONTHLY_45", str(_l(
            "今月の時間外労働が%(h)s時間で、月45時間を超えています（特別条項の適用が必要です）。",
            h=_hours(current.overtime_minutes))), False))
    over = sum(1 for m in year if m.overtime_minutes > limits.monthly)
    if over > limits.special_months:
        findings.append(Finding("SPECIAL_MONTHS", str(_l(
            "月45時間を超えた月が協定年度で%(n)d回になり、年6回の上限を超えています。", n=over)), True))
    if current.total >= limits.monthly_with_holiday:
        findings.append(Finding("MONTHLY_100", str(_l(
            "時間外労働と休日労働の合計が%(h)s時間で、月100時間未満の上限に違反しています。",
            h=_hours(current.total))), True))
    return findings


def _yearly(year: list[MonthOvertime], limits: Limits) -> list[Finding]:
    total = sum(m.overtime_minutes for m in year)
    if total > limits.yearly_special:
        return [Finding("YEARLY_720", str(_l(
            "協定年度の時間外労働が%(h)s時間で、年720時間の上限に違反しています。", h=_hours(total))), True)]
    if total > limits.yearly:
        return [Finding("YEARLY_360", str(_l(
            "協定年度の時間外労働が%(h)s時間で、年360時間を超えています（特別条項の範囲内か確認してください）。",
            h=_hours(total))), False)]
    return []


def _averages(months: Sequence[MonthOvertime], limits: Limits) -> list[Finding]:
    """Windows of 2..6 months ending with the current one; a month without a timesheet is 0."""
    by_index = {m.year * 12 + m.month: m.total for m in months}
    last = max(by_index)
    for size in range(2, 7):
        average = Decimal(sum(by_index.get(last - k, 0) for k in range(size))) / size
        if average > limits.average:
            return [Finding("AVERAGE_80", str(_l(
                "直近%(n)dか月の時間外・休日労働の平均が%(h)s時間で、平均80時間以内の上限に違反しています。",
                n=size, h=_hours(average))), True)]
    return []


def check(months: Sequence[MonthOvertime], limits: Limits = Limits()) -> list[Finding]:
    """Findings for the last month of ``months`` (oldest first, the month checked last)."""
    if not months:
        return []
    months = sorted(months, key=lambda m: (m.year, m.month))
    year = _agreement_year(months, limits)
    return _monthly(months[-1], year, limits) + _yearly(year, limits) + _averages(months, limits)
