"""Import and export of engineers (with skills) and partner companies; the skill sheet PDF."""

from __future__ import annotations

import uuid
from datetime import date

from flask import request, url_for
from sqlalchemy import select

from ..core import tabular as t
from ..core.access import roles_required
from ..core.pdf import pdf_response, render_pdf
from ..extensions import db
from ..projects.web import STAFF
from . import bp, queries
from .models import Engineer, PartnerCompany
from .records import own_engineer_or_404
from .sheet import skill_sheet_context
from .spreadsheets import (
    ENGINEER_COLUMNS,
    ENGINEER_IMPORT,
    PARTNER_COLUMNS,
    PARTNER_IMPORT,
    engineer_records,
)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*STAFF)
def import_engineers():
    return t.import_view(ENGINEER_IMPORT, done_url=url_for("engineers.index"),
                         template_url=url_for("engineers.export_engineers", fmt="xlsx", template=1))


@bp.get("/export")
@roles_required(*STAFF)
def export_engineers():
    engineers = [] if request.args.get("template") else db.session.scalars(
        select(Engineer).where(Engineer.id.in_(
            queries.filtered_engineers(queries.EngineerFilters.from_args(request.args)).with_only_columns(Engineer.id)))
        .order_by(Engineer.code))
    codes = dict(db.session.execute(select(PartnerCompany.id, PartnerCompany.code)).all())
    return t.export_response(ENGINEER_COLUMNS, engineer_records(engineers, codes),
                             request.args.get("fmt", "csv"), "技術者")


@bp.route("/partners/import", methods=["GET", "POST"])
@roles_required(*STAFF)
def import_partners():
    return t.import_view(PARTNER_IMPORT, done_url=url_for("engineers.partners"),
                         template_url=url_for("engineers.export_partners", fmt="xlsx", template=1))


@bp.get("/partners/export")
@roles_required(*STAFF)
def export_partners():
    from .routes_partners import filtered_partners

    partners = [] if request.args.get("template") else db.session.scalars(
        filtered_partners((request.args.get("q") or "").strip()[:100]).order_by(PartnerCompany.code))
    rows = [{c.key: getattr(p, c.key) for c in PARTNER_COLUMNS} for p in partners]
    return t.export_response(PARTNER_COLUMNS, rows, request.args.get("fmt", "csv"), "パートナー企業")


@bp.get("/<uuid:engineer_id>/skill-sheet.pdf")
@roles_required(*STAFF, "engineer")
def skill_sheet(engineer_id: uuid.UUID):
    """The skill sheet, anonymised unless ``name=1`` / ``personal=1`` are asked for."""
    engineer = own_engineer_or_404(engineer_id)
    show_name, show_personal = request.args.get("name") == "1", request.args.get("personal") == "1"
    context = skill_sheet_context(engineer, show_name=show_name, show_personal=show_personal, today=date.today())
    label = engineer.full_name if show_name else (engineer.initials or engineer.code)
    return pdf_response(render_pdf("pdf/skill_sheet.html", **context), f"スキルシート_{label}.pdf")
