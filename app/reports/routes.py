"""The dashboard: the role's (or the user's own) widgets for a month, re-rendered by htmx when
the period changes; in edit mode the user adds, removes and reorders widgets."""

from __future__ import annotations

import uuid
from datetime import date

from flask import flash, request, url_for
from wtforms import SelectChoice

from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from . import bp, dashboards
from .forms import MONTH_RANGES, AddWidgetForm, month_range_choices
from .generation import ReportError, parse_month
from .kpis import add_months, month_start
from .widgets import CATALOG, Period, build, kinds_for

DASHBOARD_ROLES = ("admin", "project_manager", "finance")
staff_only = roles_required(*DASHBOARD_ROLES)


def _period() -> tuple[Period, str | None]:
    """The period of the query string (default: last month, the latest closed and invoiced
    month), with the error message of a bad value."""
    today = date.today()
    default = add_months(month_start(today), -1)
    months = request.args.get("months", 12, type=int)
    months = months if months in MONTH_RANGES else 12
    raw = request.args.get("month")
    if not raw:
        return Period(default, months), None
    try:
        return Period(parse_month(raw, today), months), None
    except ReportError as error:
        return Period(default, months), error.message


def _page(edit: bool, status: int = 200, add_form: AddWidgetForm | None = None):
    identity = current_identity()
    period, month_error = _period()
    dashboard = dashboards.current_dashboard(identity)
    widgets = dashboards.widgets_of(dashboard, identity.role)
    add_form = add_form or AddWidgetForm()
    add_form.kind.choices = [SelectChoice(k.key, k.title) for k in kinds_for(identity.role)]
    return render("reports/dashboard.html", block="widgets", dashboard=dashboard,
                  own=dashboard is not None and dashboard.owner_user_id is not None,
                  cards=[(w, build(w.config.get("kind"), period)) for w in widgets],
                  period=period, month_error=month_error, edit=edit, add_form=add_form,
                  range_choices=month_range_choices(), catalog=CATALOG,
                  status=422 if month_error else status)


@bp.get("/dashboard")
@staff_only
def dashboard():
    return _page(edit=request.args.get("edit") == "1")


def _back_to_edit():
    return navigate(url_for("reports.dashboard", edit=1))


@bp.post("/dashboard/customize")
@staff_only
def customize_dashboard():
    dashboards.customize(current_identity())
    return _back_to_edit()


@bp.post("/dashboard/widgets")
@staff_only
def add_widget():
    form = AddWidgetForm()
    try:
        dashboards.add_widget(current_identity(), form.kind.data)
    except dashboards.DashboardError as error:
        form.kind.errors = [error.message]
        return _page(edit=True, status=422, add_form=form)
    return _back_to_edit()


@bp.post("/dashboard/widgets/<uuid:widget_id>/remove")
@staff_only
def remove_widget(widget_id: uuid.UUID):
    _change(lambda: dashboards.remove_widget(current_identity(), widget_id))
    return _back_to_edit()


@bp.post("/dashboard/widgets/<uuid:widget_id>/move")
@staff_only
def move_widget(widget_id: uuid.UUID):
    direction = request.form.get("direction", "")
    _change(lambda: dashboards.move_widget(current_identity(), widget_id, direction))
    return _back_to_edit()


@bp.post("/dashboard/reset")
@staff_only
def reset_dashboard():
    dashboards.reset(current_identity())
    flash(_l("ダッシュボードを標準の構成に戻しました。"), "success")
    return navigate(url_for("reports.dashboard"))


def _change(action) -> None:
    try:
        action()
    except dashboards.DashboardError as error:
        flash(error.message, "warning")
