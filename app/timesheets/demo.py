"""Demo timesheets: the last four months of every running sell contract filled day by day and
closed through the whole approval chain, this month in progress -- and what a manager finds on
a real Monday: a month waiting for our approval, one for the partner's confirmation, one for
the demo customer's 作業実績確認, one not submitted after the closing day, an approved
adjustment not yet billed, and an employee whose overtime breaks the 36協定 average (90, 75,
80 hours).  Runs after the contracts loader."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from ..contracts.models import Contract
from ..core.calendar import BusinessCalendar, add_months, month_end
from ..extensions import db
from . import rules
from .models import DailyAttendance, Timesheet, TimesheetAdjustment, TimesheetApprovalStep
from .services import refresh_summary

TOKYO = ZoneInfo("Asia/Tokyo")
SALES = "sales@demo.ses.example"
HISTORY_MONTHS = 4
# The last closed month stops short for these (None: never opened, so it shows as a reminder).
LAST_MONTH = {"E0001": "MANAGER_APPROVED", "E0017": "SUBMITTED", "E0027": "SUBMITTED", "E0003": None}
OVERTIME_HOURS = {"E0005": {-3: 90, -2: 75, -1: 80}}
IN_PROGRESS = ("E0001", "E0005", "E0013", "E0018")
CHAIN = ("SUBMITTED", "PARTNER_CONFIRMED", "MANAGER_APPROVED", "APPROVED")


def load(demo) -> None:
    if db.session.scalar(select(Timesheet.id).limit(1)) or "contract" not in demo.ids:
        return
    for key, contract_id in demo.ids["contract"].items():
        contract = db.session.get(Contract, contract_id)
        if contract.side == "SELL" and contract.status == "ACTIVE":
            _history(demo, key, contract)
    _adjustment(demo)


def _months(demo, contract: Contract) -> list[tuple[int, int, int]]:
    """(year, month, offset) of the closed months to fill, oldest first."""
    found = []
    for offset in range(-HISTORY_MONTHS, 0):
        year, month = add_months(demo.today.year, demo.today.month, offset)
        if date(year, month, 1) >= contract.start_date.replace(day=1):
            found.append((year, month, offset))
    return found


def _history(demo, key: str, contract: Contract) -> None:
    for year, month, offset in _months(demo, contract):
        target = LAST_MONTH.get(key, "APPROVED") if offset == -1 else "APPROVED"
        if target is None:
            continue
        overtime = OVERTIME_HOURS.get(key, {}).get(offset)
        timesheet = _filled(demo, contract, year, month, overtime_hours=overtime)
        _advance(demo, key, timesheet, target)
    if key in IN_PROGRESS:
        _filled(demo, contract, demo.today.year, demo.today.month, until=demo.today)


def _filled(demo, contract: Contract, year: int, month: int, *, overtime_hours: int | None = None,
            until: date | None = None) -> Timesheet:
    timesheet = Timesheet(period_year=year, period_month=month, contract_id=contract.id,
                          engineer_id=contract.engineer_id, project_id=contract.project_id,
                          customer_id=contract.customer_id, partner_company_id=_partner(contract), work_summary={})
    db.session.add(timesheet)
    db.session.flush()
    calendar = BusinessCalendar.load(date(year, month, 1), month_end(year, month))
    days = [d for d in calendar.business_days(year, month)
            if contract.start_date <= d <= contract.end_date and (until is None or d < until)]
    extras = _spread(overtime_hours * 60, len(days)) if overtime_hours else [
        demo.rng.choice((0, 0, 0, 15, 30, 30, 60, 90)) for _ in days]
    leave = demo.rng.choice(days) if days and not overtime_hours and demo.rng.random() < 0.5 else None
    for day, extra in zip(days, extras, strict=True):
        db.session.add(_day(demo, timesheet, day, extra, paid_leave=day == leave))
    db.session.flush()
    refresh_summary(timesheet)
    return timesheet


def _spread(total: int, days: int) -> list[int]:
    """``total`` minutes over ``days`` days in quarter hours, the remainder on the first days."""
    if not days:
        return []
    quarters, rest = divmod(total // 15, days)
    return [(quarters + (1 if i < rest else 0)) * 15 for i in range(days)]


def _day(demo, timesheet: Timesheet, day: date, extra: int, *, paid_leave: bool) -> DailyAttendance:
    row = DailyAttendance(timesheet_id=timesheet.id, period_year=timesheet.period_year,
                          period_month=timesheet.period_month, work_date=day)
    if paid_leave:
        row.kind, row.note = "PAID_LEAVE", "私用のため"
        return row
    start = time(9, demo.rng.choice((0, 0, 0, 15, 30)))
    finish = (datetime.combine(day, start) + timedelta(minutes=9 * 60 + extra)).time()
    result = rules.day_time("NORMAL", start, finish, 60)
    row.kind, row.start_time, row.end_time, row.break_minutes = "NORMAL", start, finish, 60
    row.work_location = "REMOTE" if demo.rng.random() < 0.3 else "ONSITE"
    row.worked_minutes, row.late_night_minutes = result.worked_minutes, result.late_night_minutes
    if extra >= 120:
        row.note = "リリース対応"
    return row


def _partner(contract: Contract):
    return db.session.execute(text("SELECT partner_company_id FROM engineer_context.engineers WHERE id = :e"),
                              {"e": contract.engineer_id}).scalar()


def _actor(demo, role: str, key: str, timesheet: Timesheet) -> tuple:
    """(user id, name, comment) of who took a step in the demo."""
    if role == "SUBMIT" and key == "E0001":
        return demo.user("engineer@demo.ses.example"), "山﨑 翔太", None
    if role == "PARTNER_CONFIRM":
        return demo.user("partner@demo.ses.example"), "協力 次郎", None
    if role == "CUSTOMER_CONFIRM" and key == "E0001":
        return demo.user("customer@demo.ses.example"), "顧客 一郎", None
    manager = db.session.execute(text(
        "SELECT u.id, u.display_name FROM project_context.projects p JOIN platform.users u"
        " ON u.id = p.project_manager_id WHERE p.id = :p"), {"p": timesheet.project_id}).one()
    comments = {"SUBMIT": "技術者からメールで受領した勤務表を代理入力",
                "CUSTOMER_CONFIRM": "顧客より作業報告書の確認メールを受領"}
    return manager[0], manager[1], comments.get(role)


def _advance(demo, key: str, timesheet: Timesheet, target: str) -> None:
    """Take the month through the chain up to ``target``, as the people who would have."""
    steps = [("SUBMIT", "SUBMITTED", "SUBMITTED")]
    if timesheet.partner_company_id:
        steps.append(("PARTNER_CONFIRM", "APPROVED", "PARTNER_CONFIRMED"))
    steps += [("MANAGER_APPROVE", "APPROVED", "MANAGER_APPROVED"), ("CUSTOMER_CONFIRM", "APPROVED", "APPROVED")]
    year, month = add_months(timesheet.period_year, timesheet.period_month, 1)
    when = datetime(year, month, 1, 9, 30, tzinfo=TOKYO)
    for step, decision, status in steps:
        user_id, name, comment = _actor(demo, step, key, timesheet)
        db.session.add(TimesheetApprovalStep(
            timesheet_id=timesheet.id, period_year=timesheet.period_year, period_month=timesheet.period_month,
            step=step, decision=decision, actor_user_id=user_id, actor_name=name, decided_at=when, comment=comment))
        timesheet.status = status
        timesheet.submitted_at = timesheet.submitted_at or when
        if status == "APPROVED":
            timesheet.approved_at = timesheet.closed_at = when
        when += timedelta(days=1, hours=2)
        if status == target:
            break
    db.session.flush()


def _adjustment(demo) -> None:
    """E0013 forgot to clock out two months ago: +1:30, approved, waiting for the next invoice."""
    year, month = add_months(demo.today.year, demo.today.month, -2)
    timesheet = db.session.scalar(select(Timesheet).where(
        Timesheet.contract_id == demo.ids["contract"]["E0013"], Timesheet.period_year == year,
        Timesheet.period_month == month))
    if timesheet is None:
        return
    apply_year, apply_month = add_months(demo.today.year, demo.today.month, -1)
    db.session.add(TimesheetAdjustment(
        timesheet_id=timesheet.id, period_year=year, period_month=month, contract_id=timesheet.contract_id,
        reason_code="MISSED_CLOCK", reason="月末日の退勤打刻漏れ（顧客の入館記録で確認済み）", minutes_delta=90,
        status="APPROVED", requested_by=demo.user(SALES), approved_by=demo.user("pm@demo.ses.example"),
        approved_at=datetime.now(TOKYO), apply_year=apply_year, apply_month=apply_month))
    db.session.flush()
