"""Read models of the timesheet pages: the month grid, the sheet's header, the lists per role,
the reminders of the closing day and the 36協定 history.

Each role reads through its own row level security and column grants: an engineer may not read
a contract's prices (so headers select granted columns only), a customer may not read engineers
(names come from the contract's snapshot of its parties).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text

from ..core.calendar import BusinessCalendar, add_months, closing_date, holiday_name, month_days
from ..core.grants import granted_rows, rows_if_granted
from ..extensions import db
from . import agreement36, rules
from .models import DailyAttendance, Timesheet, TimesheetApprovalStep

WEEKDAYS = "月火水木金土日"
EMPLOYEES = ("EMPLOYEE", "CONTRACT_EMPLOYEE")


@dataclass(frozen=True)
class Header:
    contract_number: str
    title: str
    project_title: str
    engineer_name: str
    customer_name: str
    start_date: date | None
    end_date: date | None
    employment_type: str | None


def timesheet_by_id(timesheet_id: uuid.UUID) -> Timesheet | None:
    """The timesheet the reader may see, read in its month's partition: its month first
    (timesheet_context.timesheet_period, revision 0017), then the row by its full key -- by id
    alone PostgreSQL would plan all 36 monthly partitions."""
    period = db.session.execute(text("SELECT period_year, period_month FROM timesheet_context.timesheet_period(:id)"),
                                {"id": timesheet_id}).first()
    if period is None:
        return None
    return db.session.scalars(select(Timesheet).where(
        Timesheet.id == timesheet_id, Timesheet.period_year == period.period_year,
        Timesheet.period_month == period.period_month)).first()


# The header's three rows in one statement, each where the role may read it (LEFT JOINs on one row).
_HEADER_SQL = (
    "SELECT c.id AS contract_id, c.contract_number, c.title, c.start_date, c.end_date,"
    "       p.id AS project_id, p.title AS project_title,"
    "       e.id AS engineer_id, e.full_name, e.employment_type"
    " FROM (VALUES (1)) AS one (n)"
    " LEFT JOIN contract_context.contracts c ON c.id = :c"
    " LEFT JOIN project_context.projects p ON p.id = :p"
    " LEFT JOIN engineer_context.engineers e ON e.id = :e")


def _header_rows(timesheet: Timesheet) -> tuple[dict, dict, dict]:
    """The contract's, the case's and the engineer's columns of the header, each empty where the
    role may not read the row: one statement for a role granted the three tables, otherwise one
    each, the refused ones not at all (customers are granted nothing in engineer_context)."""
    ids = {"c": timesheet.contract_id, "p": timesheet.project_id, "e": timesheet.engineer_id}
    rows = granted_rows(_HEADER_SQL, **ids)
    if rows is not None:
        r = rows[0]
        return ({"contract_number": r["contract_number"], "title": r["title"], "start_date": r["start_date"],
                 "end_date": r["end_date"]} if r["contract_id"] else {},
                {"title": r["project_title"]} if r["project_id"] else {},
                {"full_name": r["full_name"], "employment_type": r["employment_type"]} if r["engineer_id"] else {})
    return ((rows_if_granted("SELECT contract_number, title, start_date, end_date"
                             " FROM contract_context.contracts WHERE id = :c", c=ids["c"]) or [{}])[0],
            (rows_if_granted("SELECT title FROM project_context.projects WHERE id = :p", p=ids["p"]) or [{}])[0],
            (rows_if_granted("SELECT full_name, employment_type FROM engineer_context.engineers WHERE id = :e",
                             e=ids["e"]) or [{}])[0])


def header(timesheet: Timesheet) -> Header:
    contract, project, engineer = _header_rows(timesheet)
    parties = {}
    if not (engineer and project) or current_role() in ("customer", "project_manager", "admin", "finance"):
        # The contract's snapshot of its parties: what customers may read instead of engineers.
        parties = (rows_if_granted("SELECT contract_terms -> 'parties' AS p FROM contract_context.contracts"
                                   " WHERE id = :c", c=timesheet.contract_id) or [{"p": None}])[0]["p"] or {}
    return Header(contract.get("contract_number", ""), contract.get("title", ""),
                  project.get("title") or parties.get("project_title") or contract.get("title", ""),
                  engineer.get("full_name") or parties.get("engineer_name") or "",
                  parties.get("customer_name") or "", contract.get("start_date"), contract.get("end_date"),
                  engineer.get("employment_type"))


def current_role() -> str | None:
    from ..core.identity import current_identity

    identity = current_identity()
    return identity.role if identity else None


@dataclass(frozen=True)
class DayView:
    day: date
    weekday: str
    holiday: str | None
    business_day: bool
    in_contract: bool
    row: DailyAttendance | None

    @property
    def css(self) -> str:
        if self.holiday or (not self.business_day and self.day.weekday() < 5):
            return "day-holiday"
        return "day-weekend" if self.day.weekday() >= 5 else ""

    @property
    def warnings(self) -> list[str]:
        if self.row is None or not self.row.worked_minutes:
            return []
        return rules.break_warnings(self.row.worked_minutes, self.row.break_minutes)


def month_view(timesheet: Timesheet, start: date | None, end: date | None) -> list[DayView]:
    from .services import days_of

    year, month = timesheet.period_year, timesheet.period_month
    calendar = BusinessCalendar.load(date(year, month, 1), add_months_end(year, month))
    rows = days_of(timesheet)
    return [DayView(d, WEEKDAYS[d.weekday()], holiday_name(d), calendar.is_business_day(d),
                    (start is None or d >= start) and (end is None or d <= end), rows.get(d))
            for d in month_days(year, month)]


def day_view(day: date, row: DailyAttendance | None, calendar: BusinessCalendar | None = None) -> DayView:
    """One day of the grid (after a row's save), without loading the whole month; ``calendar``:
    the closure days already read for the day, if any."""
    calendar = calendar or BusinessCalendar.load(day, day)
    return DayView(day, WEEKDAYS[day.weekday()], holiday_name(day), calendar.is_business_day(day), True, row)


def employment_type(engineer_id: uuid.UUID) -> str | None:
    rows = rows_if_granted("SELECT employment_type FROM engineer_context.engineers WHERE id = :e", e=engineer_id)
    return rows[0]["employment_type"] if rows else None


def add_months_end(year: int, month: int) -> date:
    return date.fromordinal(date(*add_months(year, month, 1), 1).toordinal() - 1)


def steps_of(timesheet: Timesheet) -> list[TimesheetApprovalStep]:
    return list(db.session.scalars(select(TimesheetApprovalStep).where(
        TimesheetApprovalStep.timesheet_id == timesheet.id).order_by(TimesheetApprovalStep.decided_at)))


# --- 36協定 ------------------------------------------------------------------------------------

def overtime_findings(timesheet: Timesheet, employment_type: str | None) -> list[agreement36.Finding]:
    """The 36協定 findings for an employee's month, from their last twelve months of timesheets
    (every contract of theirs the reader may see)."""
    if employment_type not in EMPLOYEES:
        return []
    # timesheet_context.overtime_history (revision 0018): planned once per server process.
    rows = db.session.execute(text("SELECT * FROM timesheet_context.overtime_history(:e, CAST(:y AS smallint), CAST(:m AS smallint))"), {
        "e": timesheet.engineer_id, "y": timesheet.period_year, "m": timesheet.period_month}).all()
    history = [agreement36.MonthOvertime(y, m, o or 0, h or 0) for y, m, o, h in rows]
    if not any((h.year, h.month) == (timesheet.period_year, timesheet.period_month) for h in history):
        return []
    return agreement36.check(history)


# --- lists ----------------------------------------------------------------------------------

def engineer_contracts(engineer_id: uuid.UUID, year: int, month: int) -> list:
    """An engineer's sell contracts covering a month (the columns engineers may read)."""
    return list(db.session.execute(text(
        "SELECT id, contract_number, title, start_date, end_date FROM contract_context.contracts"
        " WHERE engineer_id = :e AND side = 'SELL' AND deleted_at IS NULL"
        " AND status NOT IN ('DRAFT', 'PENDING_APPROVAL')"
        " AND start_date <= :last AND end_date >= :first ORDER BY start_date"),
        {"e": engineer_id, "first": date(year, month, 1), "last": add_months_end(year, month)}).mappings())


def timesheets_of(*, engineer_id: uuid.UUID | None = None, year: int | None = None,
                  month: int | None = None, statuses: tuple[str, ...] = ()) -> list[Timesheet]:
    statement = select(Timesheet)
    if engineer_id:
        statement = statement.where(Timesheet.engineer_id == engineer_id)
    if year and month:
        statement = statement.where(Timesheet.period_year == year, Timesheet.period_month == month)
    if statuses:
        statement = statement.where(Timesheet.status.in_(statuses))
    return list(db.session.scalars(statement.order_by(
        Timesheet.period_year.desc(), Timesheet.period_month.desc(), Timesheet.updated_at.desc()).limit(500)))


STAFF_SORTS = {"updated": Timesheet.updated_at, "submitted": Timesheet.submitted_at,
               "worked": Timesheet.worked_minutes, "status": Timesheet.status}


def month_page(year: int, month: int, statuses: tuple[str, ...], state):
    """One page of a month's timesheets for our staff (row level security: a PM's cases)."""
    from ..core.listing import paginate

    statement = select(Timesheet).where(Timesheet.period_year == year, Timesheet.period_month == month)
    if statuses:
        statement = statement.where(Timesheet.status.in_(statuses))
    return paginate(statement, state, STAFF_SORTS, scalars=True)


def names_for(timesheets: list[Timesheet]) -> dict:
    """Engineer and project names for a list, read as far as the role may (one query per kind)."""
    from ..contracts.lookups import names

    found = names({"engineer": {t.engineer_id for t in timesheets}, "project": {t.project_id for t in timesheets}})
    missing = [t.contract_id for t in timesheets if t.engineer_id not in found]
    for row in rows_if_granted("SELECT id, contract_terms -> 'parties' AS p FROM contract_context.contracts"
                               " WHERE id = ANY(:ids)", ids=missing) if missing else []:
        parties = row["p"] or {}
        found[row["id"]] = parties.get("engineer_name") or ""
    return found


@dataclass(frozen=True)
class Reminder:
    contract_id: uuid.UUID
    contract_number: str
    engineer_id: uuid.UUID
    project_id: uuid.UUID
    closing: date
    timesheet_id: uuid.UUID | None
    status: str | None           # None: not even opened


def reminders(year: int, month: int, today: date) -> list[Reminder]:
    """Engineers whose month is not submitted although its closing day has passed."""
    rows = db.session.execute(text(
        "SELECT c.id, c.contract_number, c.engineer_id, c.project_id, c.closing_day, t.id AS ts, t.status"
        " FROM contract_context.contracts c LEFT JOIN timesheet_context.timesheets t"
        "   ON t.contract_id = c.id AND t.period_year = :y AND t.period_month = :m AND t.deleted_at IS NULL"
        " WHERE c.side = 'SELL' AND c.deleted_at IS NULL AND c.status IN ('CONCLUDED', 'ACTIVE', 'ENDED')"
        "   AND c.start_date <= :last AND c.end_date >= :first"
        "   AND (t.id IS NULL OR t.status IN ('DRAFT', 'RETURNED'))"
        " ORDER BY c.contract_number"),
        {"y": year, "m": month, "first": date(year, month, 1), "last": add_months_end(year, month)}).all()
    found = []
    for r in rows:
        closing = closing_date(year, month, r.closing_day)
        if closing <= today:
            found.append(Reminder(r.id, r.contract_number, r.engineer_id, r.project_id, closing, r.ts, r.status))
    return found
