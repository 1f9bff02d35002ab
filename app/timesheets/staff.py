"""Our staff's timesheet pages: the month's list and approval queue, the reminders of the closing
day, and adjustments after close (勤怠調整); the partner's and the customer's queues."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, flash, request, url_for
from sqlalchemy import select

from ..core.access import roles_required
from ..core.calendar import add_months
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..core.listing import ListState
from ..extensions import db
from . import adjustments, bp, queries
from .forms import AdjustmentForm, parse_delta
from .models import TimesheetAdjustment
from .routes import _month, get_timesheet
from .services import TimesheetError

STAFF = ("admin", "project_manager", "finance")
QUEUES = {"all": (), "waiting": ("SUBMITTED", "PARTNER_CONFIRMED"), "customer": ("MANAGER_APPROVED",),
          "closed": ("APPROVED",), "open": ("DRAFT", "RETURNED")}


@bp.get("/staff")
@roles_required(*STAFF)
def staff_list():
    year, month = _month(request.args.get("month"), date.today())
    queue = request.args.get("queue") if request.args.get("queue") in QUEUES else "all"
    state = ListState.from_args(request.args, queries.STAFF_SORTS, "-updated")
    page = queries.month_page(year, month, QUEUES[queue], state)
    return render("timesheets/staff.html", "results", page=page, rows=page.items,
                  names=queries.names_for(page.items), year=year, month=month, queue=queue)


def _reminder_month(today: date) -> tuple[int, int]:
    """The latest month whose month-end closing has passed: last month during this month."""
    return add_months(today.year, today.month, -1)


@bp.get("/reminders")
@roles_required(*STAFF)
def reminders():
    today = date.today()
    year, month = _month(request.args.get("month"), date(*_reminder_month(today), 1))
    rows = queries.reminders(year, month, today)
    from ..contracts.lookups import names

    labels = names({"engineer": {r.engineer_id for r in rows}, "project": {r.project_id for r in rows}})
    return render("timesheets/reminders.html", rows=rows, names=labels, year=year, month=month, today=today)


# --- adjustments after close ----------------------------------------------------------------

@bp.route("/<uuid:timesheet_id>/adjustments/new", methods=["GET", "POST"])
@roles_required("project_manager", "admin")
def new_adjustment(timesheet_id: uuid.UUID):
    timesheet = get_timesheet(timesheet_id)
    default = adjustments.default_apply_month(timesheet)
    form = AdjustmentForm(data={"apply_month": f"{default[0]:04d}-{default[1]:02d}"} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            adjustments.request_adjustment(
                timesheet, reason_code=form.reason_code.data, reason=form.reason.data,
                minutes_delta=parse_delta(form.hours_delta.data),
                apply_month=_month(form.apply_month.data, date(*default, 1)))
        except TimesheetError as error:
            field = {"minutes_delta": "hours_delta"}.get(error.field, error.field)
            (getattr(form, field).errors if hasattr(form, field) else form.form_errors).append(error.message)
        else:
            flash(_l("勤怠調整を申請しました。別の担当者の承認後、請求に反映されます。"), "success")
            return navigate(url_for("timesheets.adjustment_list"))
    return render("timesheets/adjustment_form.html", "form_block", form=form, timesheet=timesheet,
                  head=queries.header(timesheet), status=422 if form.is_submitted() else 200)


@bp.get("/adjustments")
@roles_required(*STAFF)
def adjustment_list():
    rows = list(db.session.scalars(select(TimesheetAdjustment).order_by(
        TimesheetAdjustment.created_at.desc()).limit(300)))
    return render("timesheets/adjustments.html", rows=rows)


@bp.post("/adjustments/<uuid:adjustment_id>/decide")
@roles_required("project_manager", "admin")
def decide_adjustment(adjustment_id: uuid.UUID):
    adjustment = db.session.get(TimesheetAdjustment, adjustment_id) or abort(404)
    try:
        adjustments.decide_adjustment(adjustment, approve=request.form.get("decision") == "approve")
    except TimesheetError as error:
        flash(error.message, "danger")
    else:
        flash(_l("勤怠調整を処理しました。"), "success")
    return navigate(url_for("timesheets.adjustment_list"))


# --- the partner's and the customer's queues ------------------------------------------------

@bp.get("/partner")
@roles_required("partner")
def partner_queue():
    rows = queries.timesheets_of()
    return render("timesheets/queue.html", rows=rows, names=queries.names_for(rows), waiting=("SUBMITTED",),
                  title=_l("勤務表の確認（パートナー）"))


@bp.get("/confirm")
@roles_required("customer")
def customer_queue():
    rows = queries.timesheets_of()
    return render("timesheets/queue.html", rows=rows, names=queries.names_for(rows),
                  waiting=("MANAGER_APPROVED",), title=_l("作業実績確認"))
