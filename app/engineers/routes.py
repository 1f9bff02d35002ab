"""The engineer pool: list with live search, who is free when, profile pages, self-service."""

from __future__ import annotations

import uuid
from datetime import date

from flask import flash, redirect, request, url_for

from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..core.listing import ListState
from ..projects.fields import select_choices
from ..projects.web import STAFF, field_error, form_values, get_or_404, submitted_status
from . import bp, queries, services
from .forms import EngineerForm, EngineerSelfForm
from .models import Engineer
from .records import detail_context

SELF = (*STAFF, "engineer")
TABS = ("profile", "skills", "certifications", "history", "availability")


@bp.get("/")
@roles_required(*STAFF)
def index():
    filters = queries.EngineerFilters.from_args(request.args)
    state = ListState.from_args(request.args, queries.SORTS, "code")
    return render("engineers/index.html", "results", filters=filters, state=state,
                  page=queries.search_engineers(filters, state), partners=queries.partner_choices(),
                  skill_names=queries.skill_names())


@bp.get("/available")
@roles_required(*STAFF)
def available():
    today = date.today()
    return render("engineers/available.html", board=queries.availability_board(today), today=today)


@bp.get("/me")
@roles_required("engineer")
def me():
    return redirect(url_for("engineers.detail", engineer_id=current_identity().engineer_id))


def _engineer_form(engineer: Engineer | None):
    if current_identity().role == "engineer":
        return EngineerSelfForm(obj=engineer)
    form = EngineerForm(obj=engineer)
    form.partner_company_id.choices = select_choices(queries.partner_choices(), "—")
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new():
    form = _engineer_form(None)
    if form.validate_on_submit():
        try:
            engineer = services.create_engineer(**form_values(form))
        except services.EngineerError as error:
            field_error(form, error)
        else:
            flash(_l("技術者を登録しました。"), "success")
            return navigate(url_for("engineers.detail", engineer_id=engineer.id))
    return render("engineers/form.html", "form_block", form=form, engineer=None, status=submitted_status(form))


@bp.route("/<uuid:engineer_id>/edit", methods=["GET", "POST"])
@roles_required(*SELF)
def edit(engineer_id: uuid.UUID):
    engineer = get_or_404(Engineer, engineer_id)
    form = _engineer_form(engineer)
    if form.validate_on_submit():
        save = services.update_own_profile if isinstance(form, EngineerSelfForm) else services.update_engineer
        try:
            save(engineer, form.version.data, **form_values(form))
        except services.EngineerError as error:
            field_error(form, error)
        else:
            flash(_l("プロフィールを更新しました。"), "success")
            return navigate(url_for("engineers.detail", engineer_id=engineer.id))
    return render("engineers/form.html", "form_block", form=form, engineer=engineer, status=submitted_status(form))


@bp.get("/<uuid:engineer_id>")
@roles_required(*SELF)
def detail(engineer_id: uuid.UUID):
    engineer = get_or_404(Engineer, engineer_id)
    tab = request.args.get("tab") if request.args.get("tab") in TABS else "profile"
    return render("engineers/detail.html", "tab_panel", **detail_context(engineer, tab))
