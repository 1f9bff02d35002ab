"""The monthly timesheet: the engineer fills it day by day (each row saves itself with htmx and
refreshes the month's totals), copies the standard pattern, submits; everyone in the approval
chain opens the same page to decide, and the work report (作業報告書) prints from it."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, flash, redirect, request, url_for

from ..core.access import roles_required
from ..core.calendar import BusinessCalendar
from ..core.htmx import navigate, render, wants_fragment
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..core.pdf import pdf_response, render_pdf
from ..extensions import db
from . import approval, bp, queries, services
from .forms import DayForm, DecisionForm, PatternForm
from .models import Timesheet
from .rules import DayError
from .services import TimesheetError

EVERYONE = ("engineer", "partner", "customer", "project_manager", "admin", "finance")
EDITORS = ("engineer", "project_manager", "admin")


def get_timesheet(timesheet_id: uuid.UUID) -> Timesheet:
    return queries.timesheet_by_id(timesheet_id) or abort(404)


def _role() -> str:
    return current_identity().role


def can_edit(timesheet: Timesheet) -> bool:
    return timesheet.is_editable and _role() in EDITORS


@bp.get("/")
@roles_required(*EVERYONE)
def index():
    """Each role's way in: the engineer's month, the partner's and customer's queues, the staff list."""
    role = _role()
    if role == "engineer":
        return redirect(url_for("timesheets.mine"))
    if role in ("partner", "customer"):
        return redirect(url_for(f"timesheets.{role}_queue"))
    return redirect(url_for("timesheets.staff_list"))


def _month(value: str | None, today: date) -> tuple[int, int]:
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        date(year, month, 1)
        return year, month
    except ValueError:
        return today.year, today.month


@bp.get("/mine")
@roles_required("engineer")
def mine():
    """The engineer's month: straight to the sheet when there is one contract and its sheet
    exists; otherwise the contracts of the month, each opened or created (by POST) from here."""
    year, month = _month(request.args.get("month"), date.today())
    engineer_id = current_identity().engineer_id
    contracts = queries.engineer_contracts(engineer_id, year, month)
    sheets = {t.contract_id: t for t in queries.timesheets_of(engineer_id=engineer_id, year=year, month=month)}
    if len(contracts) == 1 and contracts[0]["id"] in sheets:
        return redirect(url_for("timesheets.sheet", timesheet_id=sheets[contracts[0]["id"]].id))
    history = queries.timesheets_of(engineer_id=engineer_id)
    return render("timesheets/mine.html", contracts=contracts, sheets=sheets, year=year, month=month,
                  history=history)


@bp.get("/open/<uuid:contract_id>/<int:year>/<int:month>")
@roles_required(*EDITORS)
def open_month(contract_id: uuid.UUID, year: int, month: int):
    """The month's sheet if it exists; otherwise a page offering to create it (a GET never
    writes)."""
    existing = services.timesheet_for(contract_id, year, month)
    if existing is not None:
        return redirect(url_for("timesheets.sheet", timesheet_id=existing.id))
    try:
        contract = services.month_to_open(contract_id, year, month)
    except TimesheetError as error:
        flash(error.message, "danger")
        return redirect(url_for("timesheets.index"))
    return render("timesheets/open.html", contract=contract, year=year, month=month)


@bp.post("/open/<uuid:contract_id>/<int:year>/<int:month>")
@roles_required(*EDITORS)
def create_month(contract_id: uuid.UUID, year: int, month: int):
    """Create the month's sheet (or find the one created meanwhile) and go to it."""
    try:
        timesheet = services.open_timesheet(contract_id, year, month)
    except TimesheetError as error:
        flash(error.message, "danger")
        return navigate(url_for("timesheets.index"))
    return navigate(url_for("timesheets.sheet", timesheet_id=timesheet.id))


def sheet_context(timesheet: Timesheet) -> dict:
    head = queries.header(timesheet)
    return {"timesheet": timesheet, "head": head, "editable": can_edit(timesheet),
            "days": queries.month_view(timesheet, head.start_date, head.end_date),
            "actions": approval.allowed_actions(timesheet, _role()), "steps": queries.steps_of(timesheet),
            "findings": queries.overtime_findings(timesheet, head.employment_type),
            "pattern": PatternForm(data={"start_time": "09:00", "end_time": "18:00", "break_minutes": "60"}),
            "decision": DecisionForm(data={"version": timesheet.version})}


@bp.get("/<uuid:timesheet_id>")
@roles_required(*EVERYONE)
def sheet(timesheet_id: uuid.UUID):
    return render("timesheets/sheet.html", **sheet_context(get_timesheet(timesheet_id)))


@bp.post("/<uuid:timesheet_id>/days/<day>")
@roles_required(*EDITORS)
def save_day(timesheet_id: uuid.UUID, day: str):
    timesheet = get_timesheet(timesheet_id)
    work_date = _day(day, timesheet)
    form = DayForm()
    calendar = BusinessCalendar.load(work_date, work_date)
    try:
        row, warnings = services.save_day(timesheet, work_date, form.entry(), calendar)
    except (TimesheetError, DayError) as error:
        return _day_error(timesheet, work_date, form, error)
    if not wants_fragment():
        return redirect(url_for("timesheets.sheet", timesheet_id=timesheet.id, _anchor=f"day-{work_date.day}"), 303)
    findings = queries.overtime_findings(timesheet, queries.employment_type(timesheet.engineer_id))
    return render("timesheets/_day_saved.html", d=queries.day_view(work_date, row, calendar), timesheet=timesheet,
                  saved=True, extra_warnings=warnings, findings=findings)


def _day(value: str, timesheet: Timesheet) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(404)


def _day_error(timesheet: Timesheet, work_date: date, form: DayForm, error):
    db.session.rollback()
    if not wants_fragment():
        flash(f"{work_date:%m/%d}: {error.message}", "danger")
        return redirect(url_for("timesheets.sheet", timesheet_id=timesheet.id, _anchor=f"day-{work_date.day}"), 303)
    return render("timesheets/_day_saved.html", d=queries.day_view(work_date, None), timesheet=timesheet,
                  saved=False, errors={error.field: error.message}, status=422)


@bp.post("/<uuid:timesheet_id>/pattern")
@roles_required(*EDITORS)
def copy_pattern(timesheet_id: uuid.UUID):
    timesheet = get_timesheet(timesheet_id)
    form = PatternForm()
    try:
        written = services.copy_standard_pattern(timesheet, form.entry(), overwrite=form.overwrite.data)
    except (TimesheetError, DayError) as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        flash(_l("%(n)d日に標準の勤務パターンを入力しました。", n=written), "success")
    return navigate(url_for("timesheets.sheet", timesheet_id=timesheet_id))


@bp.post("/<uuid:timesheet_id>/decide")
@roles_required(*EVERYONE)
def decide(timesheet_id: uuid.UUID):
    timesheet = get_timesheet(timesheet_id)
    form = DecisionForm()
    action = form.action.data or ""
    try:
        approval.decide(timesheet, action, form.comment.data, form.version.data)
    except TimesheetError as error:
        db.session.rollback()
        form.comment.errors = [error.message]
        return render("timesheets/_decision.html", timesheet=get_timesheet(timesheet_id), decision=form,
                      actions=approval.allowed_actions(get_timesheet(timesheet_id), _role()), status=422)
    flash(_l("勤務表を更新しました: %(a)s", a=approval_label(action)), "success")
    return navigate(url_for("timesheets.after_decision", timesheet_id=timesheet_id))


def approval_label(action: str) -> str:
    from .labels import ACTION

    return str(ACTION.get(action, action))


@bp.get("/<uuid:timesheet_id>/next")
@roles_required(*EVERYONE)
def after_decision(timesheet_id: uuid.UUID):
    """Where a decision leads: back to the sheet if the user may still see it, else their queue."""
    if queries.timesheet_by_id(timesheet_id) and _role() in ("engineer", "project_manager", "admin"):
        return redirect(url_for("timesheets.sheet", timesheet_id=timesheet_id))
    return redirect(url_for("timesheets.index"))


@bp.get("/<uuid:timesheet_id>/report.pdf")
@roles_required(*EVERYONE)
def work_report(timesheet_id: uuid.UUID):
    timesheet = get_timesheet(timesheet_id)
    context = sheet_context(timesheet)
    data = render_pdf("pdf/work_report.html", **{k: context[k] for k in ("timesheet", "head", "days", "steps")})
    name = f"作業報告書_{timesheet.period_year}{timesheet.period_month:02d}_{context['head'].contract_number}.pdf"
    return pdf_response(data, name)
