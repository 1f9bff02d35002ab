"""パートナー企業 (BP): list, detail with their engineers, create/edit."""

from __future__ import annotations

import uuid

from flask import request, url_for
from sqlalchemy import or_, select

from ..core.access import roles_required
from ..core.htmx import render
from ..core.i18n import lazy_gettext as _l
from ..core.listing import ListState, paginate
from ..extensions import db
from ..projects.web import STAFF, form_values, get_or_404, submit, submitted_status
from . import bp, services
from .forms import PartnerForm
from .models import Engineer, PartnerCompany

PARTNER_SORTS = {"code": PartnerCompany.code, "name": PartnerCompany.name_kana}


def filtered_partners(q: str):
    statement = select(PartnerCompany)
    if q:
        like = f"%{q}%"
        statement = statement.where(or_(PartnerCompany.name.ilike(like), PartnerCompany.name_kana.ilike(like),
                                        PartnerCompany.code.ilike(like)))
    return statement


@bp.get("/partners")
@roles_required(*STAFF)
def partners():
    q = (request.args.get("q") or "").strip()[:100]
    state = ListState.from_args(request.args, PARTNER_SORTS, "code")
    page = paginate(filtered_partners(q), state, PARTNER_SORTS, scalars=True)
    return render("engineers/partners/index.html", "results", q=q, state=state, page=page)


@bp.route("/partners/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_partner():
    return _save_partner(None)


@bp.route("/partners/<uuid:partner_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_partner(partner_id: uuid.UUID):
    return _save_partner(get_or_404(PartnerCompany, partner_id))


def _save_partner(partner: PartnerCompany | None):
    form = PartnerForm(obj=partner)
    return (submit(form, lambda: services.save_partner(partner, form.version.data, **form_values(form)),
                   services.EngineerError, _l("パートナー企業を保存しました。"),
                   lambda saved: url_for("engineers.partner_detail", partner_id=saved.id))
            or render("engineers/partners/form.html", "form_block", form=form, partner=partner,
                      status=submitted_status(form)))


@bp.get("/partners/<uuid:partner_id>")
@roles_required(*STAFF)
def partner_detail(partner_id: uuid.UUID):
    partner = get_or_404(PartnerCompany, partner_id)
    engineers = db.session.scalars(select(Engineer).where(Engineer.partner_company_id == partner.id)
                                   .order_by(Engineer.code))
    return render("engineers/partners/detail.html", partner=partner, engineers=list(engineers))
