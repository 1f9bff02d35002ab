"""Report PDFs: request one for a month, watch it being generated, download it later."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, flash, request, url_for
from flask_babel import get_locale
from sqlalchemy import select
from wtforms import SelectChoice

from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..core.pdf import pdf_response
from ..extensions import db
from . import bp
from .forms import ReportRequestForm
from .generation import ReportError, request_report, templates_for
from .kpis import add_months, month_start
from .models import GeneratedReport, ReportTemplate

report_roles = roles_required("admin", "finance", "project_manager")
PAGE = 50


def _reports() -> list:
    """The reports the user may see (row level security), newest first."""
    return db.session.execute(select(GeneratedReport, ReportTemplate).join(
        ReportTemplate, ReportTemplate.id == GeneratedReport.report_template_id)
        .order_by(GeneratedReport.created_at.desc()).limit(PAGE)).all()


def _form() -> ReportRequestForm:
    form = ReportRequestForm()
    form.template.choices = [SelectChoice(t.code, t.name) for t in templates_for(current_identity().role)]
    if not form.is_submitted():
        form.month.data = add_months(month_start(date.today()), -1).strftime("%Y-%m")
    return form


@bp.get("/")
@report_roles
def reports():
    return render("reports/reports.html", block="list", form=_form(), rows=_reports())


@bp.post("/")
@report_roles
def request_pdf():
    form = _form()
    if form.validate_on_submit():
        try:
            request_report(current_identity(), form.template.data, form.month.data, date.today(),
                           locale=str(get_locale()))
        except ReportError as error:
            getattr(form, error.field).errors = [error.message]
        else:
            flash(_l("レポートの作成を受け付けました。完成するとダウンロードできます。"), "success")
            return navigate(url_for("reports.reports"))
    return render("reports/reports.html", block="form", form=form, rows=_reports(), status=422)


@bp.get("/list")
@report_roles
def report_list():
    """The list alone: polled by htmx while a report is being generated."""
    return render("reports/reports.html", block="list", form=_form(), rows=_reports())


@bp.get("/<uuid:report_id>.pdf")
@report_roles
def download(report_id: uuid.UUID):
    report = db.session.get(GeneratedReport, report_id)
    if report is None or report.status != "DONE":
        abort(404)
    return pdf_response(report.pdf, report.file_name, inline=request.args.get("download") != "1")
