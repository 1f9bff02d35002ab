"""案件 (cases): the list with live search, the detail page with tabs, create/edit, status."""

from __future__ import annotations

import uuid
from datetime import date

from flask import current_app, flash, request, url_for

from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..core.listing import ListState
from . import bp, queries, services
from .fields import select_choices
from .forms import ProjectForm, StatusForm
from .labels import PROJECT_STATUS, PROJECT_TRANSITIONS
from .models import Customer, Project
from .plan import plan_context
from .web import STAFF, field_error, form_values, get_or_404, submit, submitted_status

TABS = ("overview", "requirements", "plan")


@bp.get("/")
@roles_required(*STAFF)
def index():
    filters = queries.ProjectFilters.from_args(request.args)
    state = ListState.from_args(request.args, queries.PROJECT_SORTS, "-updated")
    staff = queries.staff_choices()
    counts = queries.status_counts(filters)
    return render("projects/index.html", "results", filters=filters, state=state,
                  page=queries.search_projects(filters, state, counts), counts=counts,
                  customer_name=lambda: queries.customer_display_name(filters.customer_id), staff=staff,
                  names={uuid.UUID(i): n for i, n in staff})


def _project_form(project: Project | None = None) -> ProjectForm:
    form = ProjectForm(obj=project)
    form.customer_id.choices = select_choices(queries.customer_choices(), "—")
    staff = select_choices(queries.staff_choices(), "—")
    form.sales_manager_id.choices = form.project_manager_id.choices = staff
    if project is None and not form.is_submitted():
        form.sales_manager_id.data = current_identity().user_id
        form.customer_id.data = queries._uuid(request.args.get("customer_id"))
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new():
    form = _project_form()
    return (submit(form, lambda: services.create_project(**form_values(form)), services.ProjectError,
                   _l("案件を登録しました。"), lambda project: url_for("projects.detail", project_id=project.id))
            or render("projects/form.html", "form_block", form=form, project=None, status=submitted_status(form)))


@bp.route("/<uuid:project_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit(project_id: uuid.UUID):
    project = get_or_404(Project, project_id)
    form = _project_form(project)
    return (submit(form, lambda: services.update_project(project, form.version.data, **form_values(form)),
                   services.ProjectError, _l("案件を更新しました。"),
                   lambda _: url_for("projects.detail", project_id=project.id))
            or render("projects/form.html", "form_block", form=form, project=project, status=submitted_status(form)))


@bp.get("/<uuid:project_id>")
@roles_required(*STAFF)
def detail(project_id: uuid.UUID):
    project = get_or_404(Project, project_id)
    tab = request.args.get("tab") if request.args.get("tab") in TABS else "overview"
    return render("projects/detail.html", "tab_panel", **_detail_context(project, tab))


def _detail_context(project: Project, tab: str, **extra) -> dict:
    context = dict(project=project, tab=tab, customer=get_or_404(Customer, project.customer_id),
                   names=queries.staff_names([project.sales_manager_id, project.project_manager_id]),
                   status_form=extra.pop("status_form", None) or _status_form(project),
                   matching_url=_matching_url(project), today=date.today())
    if tab in ("requirements", "plan"):
        context.update(plan_context(project))
    return context | extra


def _matching_url(project: Project) -> dict | None:
    """Links to the matching pages (when the matching area is installed)."""
    endpoints = {rule.endpoint for rule in current_app.url_map.iter_rules()}
    if "matching.new_request" not in endpoints:
        return None
    return {"new": url_for("matching.new_request", project_id=project.id),
            "list": url_for("matching.index", project_id=project.id, status="")}


def _status_form(project: Project) -> StatusForm:
    form = StatusForm(version=project.version)
    form.status.choices = select_choices((s, PROJECT_STATUS[s]) for s in PROJECT_TRANSITIONS[project.status])
    return form


@bp.post("/<uuid:project_id>/status")
@roles_required(*STAFF)
def change_status(project_id: uuid.UUID):
    project = get_or_404(Project, project_id)
    form = _status_form(project)
    if form.validate_on_submit():
        try:
            services.change_status(project, form.status.data, form.version.data, form.reason.data)
        except services.ProjectError as error:
            field_error(form, error)
        else:
            flash(_l("ステータスを「%(s)s」に変更しました。", s=PROJECT_STATUS[project.status]), "success")
            return navigate(url_for("projects.detail", project_id=project.id))
    return render("projects/detail.html", "status_block", status=422,
                  **_detail_context(project, "overview", status_form=form))
