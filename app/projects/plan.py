"""A case's requirements (要件), phases and milestones: the detail page's tabs (routes)."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, request
from sqlalchemy import select

from ..core.access import roles_required
from ..core.htmx import render
from ..extensions import db
from . import bp, services
from .fields import select_choices
from .forms import MilestoneForm, MilestoneStatusForm, PhaseForm, RequirementForm
from .models import Project, ProjectMilestone, ProjectPhase, ProjectRequirement
from .web import STAFF, field_error, form_values, get_or_404


def plan_context(project: Project, **forms) -> dict:
    phases = list(db.session.scalars(select(ProjectPhase).where(ProjectPhase.project_id == project.id)
                                     .order_by(ProjectPhase.sort_order, ProjectPhase.start_date)))
    milestone_form = forms.get("milestone_form") or MilestoneForm(formdata=None)
    milestone_form.phase_id.choices = select_choices(((p.id, p.name) for p in phases), "—")
    return {
        "requirements": list(db.session.scalars(
            select(ProjectRequirement).where(ProjectRequirement.project_id == project.id)
            .order_by(ProjectRequirement.sort_order))),
        "phases": phases,
        "milestones": list(db.session.scalars(
            select(ProjectMilestone).where(ProjectMilestone.project_id == project.id)
            .order_by(ProjectMilestone.due_date))),
        "requirement_form": forms.get("requirement_form") or RequirementForm(formdata=None),
        "editing": forms.get("editing"),
        "requirement_edit_form": forms.get("requirement_edit_form"),
        "phase_form": forms.get("phase_form") or PhaseForm(formdata=None),
        "milestone_form": milestone_form,
    }


def _tab(project: Project, tab: str, status: int = 200, **forms):
    from .routes import _detail_context

    context = _detail_context(project, tab)
    context.update(plan_context(project, **forms))
    return render("projects/detail.html", "tab_panel", status=status, **context)


def _add(project_id: uuid.UUID, form_class, form_name: str, tab: str, add):
    project = get_or_404(Project, project_id)
    form = form_class()
    if form_class is MilestoneForm:
        form.phase_id.choices = plan_context(project)["milestone_form"].phase_id.choices
    if form.validate_on_submit():
        try:
            add(project, **form_values(form))
        except services.ProjectError as error:
            field_error(form, error)
        else:
            return _tab(project, tab)
    return _tab(project, tab, status=422, **{form_name: form})


@bp.post("/<uuid:project_id>/requirements")
@roles_required(*STAFF)
def add_requirement(project_id: uuid.UUID):
    return _add(project_id, RequirementForm, "requirement_form", "requirements", services.add_requirement)


def _requirement(project: Project, requirement_id: uuid.UUID) -> ProjectRequirement:
    try:
        return services.requirement_of(project, requirement_id)
    except LookupError:
        abort(404)


@bp.get("/<uuid:project_id>/requirements/<uuid:requirement_id>/edit")
@roles_required(*STAFF)
def edit_requirement(project_id: uuid.UUID, requirement_id: uuid.UUID):
    """The requirement's row as a form, in place (the whole tab without htmx)."""
    project = get_or_404(Project, project_id)
    requirement = _requirement(project, requirement_id)
    form = RequirementForm(obj=requirement, name=services.requirement_label(requirement))
    return _tab(project, "requirements", editing=requirement, requirement_edit_form=form)


@bp.post("/<uuid:project_id>/requirements/<uuid:requirement_id>")
@roles_required(*STAFF)
def update_requirement(project_id: uuid.UUID, requirement_id: uuid.UUID):
    project = get_or_404(Project, project_id)
    requirement = _requirement(project, requirement_id)
    form = RequirementForm()
    if form.validate_on_submit():
        try:
            services.update_requirement(project, requirement.id, form.version.data, **form_values(form))
        except services.ProjectError as error:
            field_error(form, error)
        else:
            return _tab(project, "requirements")
    return _tab(project, "requirements", status=422, editing=requirement, requirement_edit_form=form)


@bp.post("/<uuid:project_id>/requirements/<uuid:requirement_id>/delete")
@roles_required(*STAFF)
def remove_requirement(project_id: uuid.UUID, requirement_id: uuid.UUID):
    project = get_or_404(Project, project_id)
    _remove(lambda: services.remove_requirement(project, requirement_id))
    return _tab(project, "requirements")


def _remove(action) -> None:
    try:
        action()
    except LookupError:
        abort(404)


@bp.post("/<uuid:project_id>/phases")
@roles_required(*STAFF)
def add_phase(project_id: uuid.UUID):
    return _add(project_id, PhaseForm, "phase_form", "plan", services.add_phase)


@bp.post("/<uuid:project_id>/milestones")
@roles_required(*STAFF)
def add_milestone(project_id: uuid.UUID):
    return _add(project_id, MilestoneForm, "milestone_form", "plan", services.add_milestone)


@bp.post("/<uuid:project_id>/<any(phases, milestones):kind>/<uuid:record_id>/delete")
@roles_required(*STAFF)
def remove_plan_item(project_id: uuid.UUID, kind: str, record_id: uuid.UUID):
    project = get_or_404(Project, project_id)
    model = ProjectPhase if kind == "phases" else ProjectMilestone
    _remove(lambda: services.remove_child(model, project, record_id))
    return _tab(project, "plan")


@bp.post("/<uuid:project_id>/milestones/<uuid:milestone_id>/status")
@roles_required(*STAFF)
def milestone_status(project_id: uuid.UUID, milestone_id: uuid.UUID):
    project = get_or_404(Project, project_id)
    milestone = get_or_404(ProjectMilestone, milestone_id)
    form = MilestoneStatusForm(request.form)
    if milestone.project_id != project.id or not form.validate_on_submit():
        return _tab(project, "plan", status=422)
    services.set_milestone_status(milestone, form.status.data, form.version.data, on=date.today())
    return _tab(project, "plan")
