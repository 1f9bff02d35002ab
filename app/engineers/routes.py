"""The engineer pool: list with live search, who is free when, profile pages, self-service."""

from __future__ import annotations

import uuid
from datetime import date

from flask import redirect, request, url_for

from ..core.access import roles_required
from ..core.htmx import render
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..core.listing import ListState
from ..projects.fields import select_choices
from ..projects.web import STAFF, form_values, get_or_404, submit, submitted_status
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
    # The filter form's choices are functions the template calls: a fragment of results never
    # reads them.
    return render("engineers/index.html", "results", filters=filters, state=state,
                  page=queries.search_engineers(filters, state),
                  partner_name=lambda: queries.partner_display_name(filters.partner_id),
                  skill_names=queries.skill_names)


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
    return (submit(form, lambda: services.create_engineer(**form_values(form)), services.EngineerError,
                   _l("技術者を登録しました。"), lambda engineer: url_for("engineers.detail", engineer_id=engineer.id))
            or render("engineers/form.html", "form_block", form=form, engineer=None, status=submitted_status(form)))


@bp.route("/<uuid:engineer_id>/edit", methods=["GET", "POST"])
@roles_required(*SELF)
def edit(engineer_id: uuid.UUID):
    engineer = get_or_404(Engineer, engineer_id)
    form = _engineer_form(engineer)
    save = services.update_own_profile if isinstance(form, EngineerSelfForm) else services.update_engineer
    return (submit(form, lambda: save(engineer, form.version.data, **form_values(form)), services.EngineerError,
                   _l("プロフィールを更新しました。"), lambda _: url_for("engineers.detail", engineer_id=engineer.id))
            or render("engineers/form.html", "form_block", form=form, engineer=engineer, status=submitted_status(form)))


@bp.get("/<uuid:engineer_id>")
@roles_required(*SELF)
def detail(engineer_id: uuid.UUID):
    engineer = get_or_404(Engineer, engineer_id)
    tab = request.args.get("tab") if request.args.get("tab") in TABS else "profile"
    return render("engineers/detail.html", "tab_panel", **detail_context(engineer, tab))
