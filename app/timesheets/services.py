"""Monthly timesheets: open a month, save a day, copy the standard pattern, keep the month's
summary (work_summary) current, and record approved hours sent in the customer's own format.

The area's API for other contexts:

* ``record_approved_monthly_hours(contract_id, year, month, minutes, note=None)`` -- an IMPORTED,
  closed (APPROVED) timesheet for customers who send their own timesheet format (billing);
* ``open_timesheet(contract_id, year, month)`` -- the month's timesheet of a sell contract;
* ``save_day(...)``, ``copy_standard_pattern(...)``, ``refresh_summary(timesheet)``.

Approval lives in approval.py, corrections after close in adjustments.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import select, text

from ..contracts.settlement import SettlementTerms, billable_minutes
from ..core.calendar import BusinessCalendar, month_end
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..extensions import db
from . import rules
from .models import DailyAttendance, Timesheet, TimesheetApprovalStep

CONTRACT_SQL = ("SELECT id, contract_number, title, side, status, engineer_id, project_id, customer_id,"
                " start_date, end_date FROM contract_context.contracts"
                " WHERE id = :id AND deleted_at IS NULL")
UNSTARTED = ("DRAFT", "PENDING_APPROVAL")
MAX_MONTH_MINUTES = 744 * 60


class TimesheetError(Exception):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = str(message)


def _contract(contract_id: uuid.UUID) -> Mapping:
    row = db.session.execute(text(CONTRACT_SQL), {"id": contract_id}).mappings().first()
    if row is None:
        raise TimesheetError("contract_id", _l("契約が見つかりません。"))
    if row["side"] != "SELL":
        raise TimesheetError("contract_id", _l("勤務表は売上側の契約に記録します。"))
    if row["status"] in UNSTARTED:
        raise TimesheetError("contract_id", _l("締結前の契約には勤務表を作成できません。"))
    return row


def _check_period(contract: Mapping, year: int, month: int) -> None:
    if not 1 <= month <= 12 or not 2000 <= year <= 2999:
        raise TimesheetError("period", _l("年月が正しくありません。"))
    if date(year, month, 1) > contract["end_date"] or month_end(year, month) < contract["start_date"]:
        raise TimesheetError("period", _l("契約期間外の月です。"))


def _partner_of(engineer_id: uuid.UUID) -> uuid.UUID | None:
    return db.session.execute(text(
        "SELECT partner_company_id FROM engineer_context.engineers WHERE id = :id"),
        {"id": engineer_id}).scalar()


def timesheet_for(contract_id: uuid.UUID, year: int, month: int) -> Timesheet | None:
    return db.session.scalar(select(Timesheet).where(
        Timesheet.contract_id == contract_id, Timesheet.period_year == year,
        Timesheet.period_month == month))


def month_to_open(contract_id: uuid.UUID, year: int, month: int) -> Mapping:
    """The sell contract whose month may get a timesheet (TimesheetError if none may); creates
    nothing."""
    contract = _contract(contract_id)
    _check_period(contract, year, month)
    return contract


def open_timesheet(contract_id: uuid.UUID, year: int, month: int) -> Timesheet:
    """The month's timesheet of a sell contract, created as a DRAFT the first time (two users
    opening the same month at once get the same sheet)."""
    db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                       {"k": f"timesheets:open:{contract_id}:{year}-{month}"})
    existing = timesheet_for(contract_id, year, month)
    if existing is not None:
        return existing
    contract = month_to_open(contract_id, year, month)
    timesheet = Timesheet(
        period_year=year, period_month=month, contract_id=contract_id,
        engineer_id=contract["engineer_id"], project_id=contract["project_id"],
        customer_id=contract["customer_id"], partner_company_id=_partner_of(contract["engineer_id"]),
        work_summary={})
    db.session.add(timesheet)
    db.session.flush()
    return timesheet


def days_of(timesheet: Timesheet) -> dict[date, DailyAttendance]:
    rows = db.session.scalars(select(DailyAttendance).where(
        DailyAttendance.timesheet_id == timesheet.id,
        DailyAttendance.period_year == timesheet.period_year,
        DailyAttendance.period_month == timesheet.period_month))
    return {row.work_date: row for row in rows}


def _require_editable(timesheet: Timesheet) -> None:
    if not timesheet.is_editable:
        raise TimesheetError("status", _l("提出済み・締め済みの勤務表は編集できません。"))


@dataclass(frozen=True)
class DayInput:
    kind: str = "NORMAL"
    start_time: time | None = None
    end_time: time | None = None
    break_minutes: int = 0
    work_location: str = "ONSITE"
    note: str | None = None


def save_day(timesheet: Timesheet, work_date: date, entry: DayInput,
             calendar: BusinessCalendar | None = None) -> tuple[DailyAttendance, tuple[str, ...]]:
    """Save one day (insert or update) and refresh the month's summary.  Returns the row and
    its warnings; raises TimesheetError / rules.DayError for what cannot be saved."""
    _require_editable(timesheet)
    contract = _contract(timesheet.contract_id)
    if (work_date.year, work_date.month) != (timesheet.period_year, timesheet.period_month):
        raise TimesheetError("work_date", _l("この月の日付ではありません。"))
    if not contract["start_date"] <= work_date <= contract["end_date"]:
        raise TimesheetError("work_date", _l("契約期間外の日です。"))
    result = rules.day_time(entry.kind, entry.start_time, entry.end_time, entry.break_minutes)
    days = days_of(timesheet)
    row = days.get(work_date) or DailyAttendance(
        timesheet_id=timesheet.id, period_year=timesheet.period_year,
        period_month=timesheet.period_month, work_date=work_date)
    _apply(row, entry, result)
    db.session.add(row)
    db.session.flush()
    refresh_summary(timesheet, days | {work_date: row})
    return row, result.warnings + _holiday_warning(work_date, entry, result, calendar)


def _apply(row: DailyAttendance, entry: DayInput, result: rules.DayTime) -> None:
    row.kind = entry.kind
    row.start_time, row.end_time = entry.start_time, entry.end_time
    row.break_minutes = entry.break_minutes
    row.work_location = entry.work_location
    row.note = (entry.note or "").strip() or None
    row.worked_minutes, row.late_night_minutes = result.worked_minutes, result.late_night_minutes


def _holiday_warning(day: date, entry: DayInput, result: rules.DayTime,
                     calendar: BusinessCalendar | None) -> tuple[str, ...]:
    calendar = calendar or BusinessCalendar.load(day, day)
    if entry.kind == "NORMAL" and result.worked_minutes and not calendar.is_business_day(day):
        return (str(_l("休日の勤務です。休日出勤の場合は種別を「休日出勤」にしてください。")),)
    return ()


def copy_standard_pattern(timesheet: Timesheet, pattern: DayInput, overwrite: bool = False) -> int:
    """Fill every business day of the month inside the contract period with the standard
    pattern; days already entered are kept unless ``overwrite``.  Returns the days written."""
    _require_editable(timesheet)
    contract = _contract(timesheet.contract_id)
    result = rules.day_time("NORMAL", pattern.start_time, pattern.end_time, pattern.break_minutes)
    if result.worked_minutes == 0:
        raise TimesheetError("start_time", _l("開始時刻と終了時刻を入力してください。"))
    existing = days_of(timesheet)
    calendar = BusinessCalendar.load(date(timesheet.period_year, timesheet.period_month, 1),
                                     month_end(timesheet.period_year, timesheet.period_month))
    written = 0
    for day in calendar.business_days(timesheet.period_year, timesheet.period_month):
        row = existing.get(day)
        if not contract["start_date"] <= day <= contract["end_date"]:
            continue
        if row is not None and not overwrite and (row.worked_minutes or row.kind != "NORMAL"):
            continue
        row = row or DailyAttendance(timesheet_id=timesheet.id, period_year=timesheet.period_year,
                                     period_month=timesheet.period_month, work_date=day)
        _apply(row, DayInput(start_time=pattern.start_time, end_time=pattern.end_time,
                             break_minutes=pattern.break_minutes, work_location=pattern.work_location,
                             note=row.note), result)
        db.session.add(row)
        written += 1
    db.session.flush()
    refresh_summary(timesheet)
    return written


# --- the month's summary --------------------------------------------------------------------

def rounding_terms(contract_id: uuid.UUID, year: int, month: int) -> SettlementTerms:
    """The hours-rounding rule in force for the month (readable by the engineer too)."""
    rule = db.session.execute(text(
        "SELECT contract_context.hours_rounding_in_force(:c, :y, :m)"),
        {"c": contract_id, "y": year, "m": month}).scalar() or {}
    return SettlementTerms(monthly_price=0, method="NONE",
                           hours_rounding_minutes=int(rule.get("hours_rounding_minutes", 15)),
                           hours_rounding_scope=rule.get("hours_rounding_scope", "MONTHLY"),
                           hours_rounding_mode=rule.get("hours_rounding_mode", "FLOOR"))


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def summarize(timesheet: Timesheet, days: list[rules.Day]) -> dict:
    """work_summary: totals, statutory overtime and the billable time after the contract's
    rounding (per day or on the monthly total)."""
    terms = rounding_terms(timesheet.contract_id, timesheet.period_year, timesheet.period_month)
    billable = billable_minutes([d.worked_minutes for d in days], terms)
    overtime, holiday = rules.overtime(days)
    return {**rules.totals(days), "overtime_minutes": overtime, "legal_holiday_minutes": holiday,
            "billable_minutes": billable, "billable_hours": str(_hours(billable)),
            "rounding": {"minutes": terms.hours_rounding_minutes, "scope": terms.hours_rounding_scope,
                         "mode": terms.hours_rounding_mode}}


def refresh_summary(timesheet: Timesheet, rows: dict[date, DailyAttendance] | None = None) -> dict:
    """Recompute the month's summary from its days (``rows``: the month's rows if the caller
    already holds them, saved ones included)."""
    if timesheet.source == "IMPORTED":
        return timesheet.work_summary
    days = [rules.Day(r.work_date, r.kind, r.worked_minutes, r.late_night_minutes, r.work_location)
            for r in (days_of(timesheet) if rows is None else rows).values()]
    summary = summarize(timesheet, days)
    timesheet.work_summary = summary
    timesheet.worked_minutes = summary["worked_minutes"]
    timesheet.billable_hours = _hours(summary["billable_minutes"])
    db.session.flush()
    return summary


def record_step(timesheet: Timesheet, step: str, decision: str, comment: str | None) -> None:
    identity = current_identity()
    if identity is None or identity.user_id is None:   # system jobs leave no personal record
        return
    db.session.add(TimesheetApprovalStep(
        timesheet_id=timesheet.id, period_year=timesheet.period_year,
        period_month=timesheet.period_month, step=step, decision=decision,
        actor_user_id=identity.user_id, actor_name=identity.display_name or "-",
        comment=(comment or "").strip() or None))
    db.session.flush()


# --- customers' own formats -----------------------------------------------------------------

def record_approved_monthly_hours(contract_id: uuid.UUID, year: int, month: int, minutes: int, *,
                                  note: str | None = None) -> Timesheet:
    """Record the month's hours the customer approved in its own format: an IMPORTED timesheet,
    closed (APPROVED) at once, billable minutes rounded on the monthly total by the contract's
    rule.  Refused for a month already closed (use an adjustment) or in approval."""
    contract = _contract(contract_id)
    _check_period(contract, year, month)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= MAX_MONTH_MINUTES:
        raise TimesheetError("minutes", _l("稼働時間は0〜744時間の範囲で入力してください。"))
    timesheet = timesheet_for(contract_id, year, month)
    if timesheet is not None and timesheet.is_closed:
        raise TimesheetError("period", _l("この月の勤務表は締め済みです。訂正は勤怠調整で登録してください。"))
    if timesheet is not None and (timesheet.status != "DRAFT" or timesheet.worked_minutes):
        raise TimesheetError("period", _l("この月は勤務表の入力・承認が進んでいるため取り込めません。"))
    if timesheet is None:
        timesheet = Timesheet(period_year=year, period_month=month, contract_id=contract_id,
                              engineer_id=contract["engineer_id"], project_id=contract["project_id"],
                              customer_id=contract["customer_id"],
                              partner_company_id=_partner_of(contract["engineer_id"]))
    _close_as_imported(timesheet, minutes, note)
    db.session.add(timesheet)
    db.session.flush()
    record_step(timesheet, "CUSTOMER_CONFIRM", "APPROVED", note or str(_l("顧客様式の勤務表から取込")))
    return timesheet


def _close_as_imported(timesheet: Timesheet, minutes: int, note: str | None) -> None:
    terms = rounding_terms(timesheet.contract_id, timesheet.period_year, timesheet.period_month)
    billable = billable_minutes([minutes], SettlementTerms(
        monthly_price=0, method="NONE", hours_rounding_minutes=terms.hours_rounding_minutes,
        hours_rounding_scope="MONTHLY", hours_rounding_mode=terms.hours_rounding_mode))
    now = datetime.now().astimezone()
    timesheet.source, timesheet.status = "IMPORTED", "APPROVED"
    timesheet.worked_minutes, timesheet.billable_hours = minutes, _hours(billable)
    timesheet.work_summary = {"worked_minutes": minutes, "billable_minutes": billable,
                              "billable_hours": str(_hours(billable)), "imported_note": note}
    timesheet.approved_at = timesheet.closed_at = now
