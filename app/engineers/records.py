"""An engineer's skills, certifications, work history and availability: the profile's tabs."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort
from sqlalchemy import select

from ..core.access import roles_required
from ..core.htmx import render
from ..core.identity import current_identity
from ..extensions import db
from ..projects.web import STAFF, field_error, form_values, get_or_404
from . import bp, queries, services
from .forms import AvailabilityForm, CertificationForm, SkillForm, WorkHistoryForm
from .models import AvailabilityPeriod, Certification, Engineer, SkillAssessment, WorkHistory

SELF = (*STAFF, "engineer")
# tab -> (model, form, ordering, add function)
KINDS = {
    "skills": (SkillAssessment, SkillForm, SkillAssessment.years_experience.desc(), services.set_skill),
    "certifications": (Certification, CertificationForm, Certification.acquired_on.desc(),
                       services.add_certification),
    "history": (WorkHistory, WorkHistoryForm, WorkHistory.started_on.desc(), services.add_work_history),
    "availability": (AvailabilityPeriod, AvailabilityForm, AvailabilityPeriod.available_from,
                     services.add_availability),
}


def records_context(engineer: Engineer, **forms) -> dict:
    context = {}
    for kind, (model, form_class, order, _) in KINDS.items():
        context[kind] = list(db.session.scalars(select(model).where(model.engineer_id == engineer.id).order_by(order)))
        context[f"{kind}_form"] = forms.get(kind) or form_class(formdata=None)
    return context


def detail_context(engineer: Engineer, tab: str, **forms) -> dict:
    partner = queries.partner_display_name(engineer.partner_company_id)
    context = dict(engineer=engineer, tab=tab, partner_name=partner, today=date.today(),
                   is_self=current_identity().role == "engineer")
    if tab != "profile":
        context.update(records_context(engineer, **forms))
    return context


def own_engineer_or_404(engineer_id: uuid.UUID) -> Engineer:
    """The engineer if the user may work on them (staff: anyone visible; an engineer: themself)."""
    identity = current_identity()
    if identity.role == "engineer" and identity.engineer_id != engineer_id:
        abort(404)
    return get_or_404(Engineer, engineer_id)


def _tab(engineer: Engineer, kind: str, status: int = 200, **forms):
    return render("engineers/detail.html", "tab_panel", status=status, **detail_context(engineer, kind, **forms))


@bp.post("/<uuid:engineer_id>/<any(skills, certifications, history, availability):kind>")
@roles_required(*SELF)
def add_record(engineer_id: uuid.UUID, kind: str):
    engineer = own_engineer_or_404(engineer_id)
    _, form_class, _, add = KINDS[kind]
    form = form_class()
    if not form.validate_on_submit():
        return _tab(engineer, kind, status=422, **{kind: form})
    values = form_values(form)
    if kind == "skills":
        values["assessed_by"] = current_identity().user_id
    if kind == "history":
        values["technologies"] = [t.strip() for t in (values["technologies"] or "").replace(",", "、").split("、")
                                  if t.strip()]
    try:
        add(engineer, **values)
    except services.EngineerError as error:
        field_error(form, error)
        return _tab(engineer, kind, status=422, **{kind: form})
    return _tab(engineer, kind)


@bp.post("/<uuid:engineer_id>/<any(skills, certifications, history, availability):kind>/<uuid:record_id>/delete")
@roles_required(*SELF)
def remove_record(engineer_id: uuid.UUID, kind: str, record_id: uuid.UUID):
    engineer = own_engineer_or_404(engineer_id)
    try:
        if kind == "skills":
            services.remove_skill(engineer, record_id)
        else:
            services.remove_record(KINDS[kind][0], engineer, record_id)
    except LookupError:
        abort(404)
    return _tab(engineer, kind)
