"""The monthly run: preview, start (background job), progress; extras of the month."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, flash, request, url_for

from ..core.access import roles_required
from ..core.calendar import add_months
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..extensions import db
from ..timesheets.labels import STATUS as TIMESHEET_STATUS
from . import bp
from .batch import start_run
from .extras import add_extra, extras_of_month, remove_extra, sell_contract_choices
from .forms import ExtraForm, RunForm, choices
from .issue import BillingError
from .jobs import run_invoice_batch
from .labels import template_labels
from .models import InvoiceExtra, InvoiceRun
from .preview import preview_month
from .web import FINANCE, field_error, status_for


def _last_month() -> tuple[int, int]:
    today = date.today()
    return add_months(today.year, today.month, -1)


def _runs_context(period: tuple[int, int], form: RunForm, extra_form: ExtraForm | None = None) -> dict:
    extra_form = extra_form or ExtraForm(formdata=None, month=period)
    extra_form.contract_id.choices = choices([("", "—"), *sell_contract_choices(*period)])
    recent = db.session.scalars(db.select(InvoiceRun).order_by(InvoiceRun.created_at.desc()).limit(10)).all()
    return dict(form=form, period=period, preview=preview_month(*period), runs=recent,
                extras=extras_of_month(*period), extra_form=extra_form, timesheet_status=TIMESHEET_STATUS,
                **template_labels())


@bp.get("/runs")
@roles_required(*FINANCE)
def runs():
    form = RunForm(request.args, meta={"csrf": False}) if request.args.get("month") else \
        RunForm(formdata=None, month=_last_month())
    if request.args.get("month") and not form.validate():
        return render("billing/runs.html", "preview_block", status=422,
                      **_runs_context(_last_month(), form))
    return render("billing/runs.html", "preview_block", **_runs_context(form.month.data, form))


@bp.post("/runs")
@roles_required(*FINANCE)
def start():
    form = RunForm()
    if form.validate_on_submit():
        year, month = form.month.data
        run = start_run(year, month, form.issue_date.data)
        job = run_invoice_batch.defer(run_id=str(run.id), identity=current_identity(),
                                      queueing_lock=f"billing-run-{year}-{month:02d}")
        if job is not None:
            flash(_l("{}年{}月の請求処理を開始しました。").format(year, month), "success")
            return navigate(url_for("billing.run_detail", run_id=run.id))
        form.month.errors.append(str(_l("この月の請求処理はすでに待機中です。")))
    period = form.month.data or _last_month()
    return render("billing/runs.html", "run_form_block", status=status_for(form), **_runs_context(period, form))


@bp.get("/runs/<uuid:run_id>")
@roles_required(*FINANCE)
def run_detail(run_id: uuid.UUID):
    run = db.session.get(InvoiceRun, run_id) or abort(404)
    return render("billing/run.html", "progress", run=run, **template_labels())


@bp.post("/extras")
@roles_required(*FINANCE)
def new_extra():
    form = ExtraForm()
    period = form.month.data or _last_month()
    if form.validate_on_submit():
        try:
            add_extra(_uuid(form.contract_id.data), *form.month.data, form.description.data, form.amount.data,
                      int(form.tax_rate_percent.data))
        except BillingError as error:
            field_error(form, error)
        else:
            flash(_l("請求追加項目を登録しました。"), "success")
            return navigate(url_for("billing.runs", month=f"{period[0]}-{period[1]:02d}"))
    return render("billing/runs.html", "extras_block", status=status_for(form),
                  **_runs_context(period, RunForm(formdata=None, month=period), form))


@bp.post("/extras/<uuid:extra_id>/delete")
@roles_required(*FINANCE)
def delete_extra(extra_id: uuid.UUID):
    extra = db.session.get(InvoiceExtra, extra_id) or abort(404)
    try:
        remove_extra(extra)
    except BillingError as error:
        flash(error.message, "danger")
    else:
        flash(_l("請求追加項目を削除しました。"), "success")
    return navigate(url_for("billing.runs", month=f"{extra.period_year}-{extra.period_month:02d}"))


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
