"""Import and export of customers and cases (CSV UTF-8 / Shift_JIS, Excel)."""

from __future__ import annotations

from flask import request, url_for
from sqlalchemy import select, text

from ..core import tabular as t
from ..core.access import roles_required
from ..extensions import db
from . import bp, queries
from .models import Customer
from .spreadsheets import (
    CUSTOMER_COLUMNS,
    CUSTOMER_IMPORT,
    PROJECT_COLUMNS,
    PROJECT_IMPORT,
    project_records,
)
from .web import STAFF


@bp.route("/customers/import", methods=["GET", "POST"])
@roles_required(*STAFF)
def import_customers():
    return t.import_view(CUSTOMER_IMPORT, done_url=url_for("projects.customers_index"),
                         template_url=url_for("projects.export_customers", fmt="xlsx", template=1))


@bp.get("/customers/export")
@roles_required(*STAFF)
def export_customers():
    customers = [] if request.args.get("template") else db.session.scalars(
        queries.filtered_customers(request.args.get("q", "")).order_by(Customer.code))
    rows = [{c.key: getattr(customer, c.key) for c in CUSTOMER_COLUMNS} for customer in customers]
    return t.export_response(CUSTOMER_COLUMNS, rows, request.args.get("fmt", "csv"), "顧客企業")


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*STAFF)
def import_projects():
    return t.import_view(PROJECT_IMPORT, done_url=url_for("projects.index"),
                         template_url=url_for("projects.export_projects", fmt="xlsx", template=1))


@bp.get("/export")
@roles_required(*STAFF)
def export_projects():
    if request.args.get("template"):
        return t.export_response(PROJECT_COLUMNS, [], "xlsx", "案件")
    filters = queries.ProjectFilters.from_args(request.args)
    projects = [row.Project for row in db.session.execute(
        queries.filtered_projects(filters).order_by(queries.PROJECT_SORTS["code"]))]
    codes = dict(db.session.execute(select(Customer.id, Customer.code)).all())
    emails = dict(db.session.execute(text("SELECT id, email FROM platform.users")).all())
    return t.export_response(PROJECT_COLUMNS, project_records(projects, codes, emails),
                             request.args.get("fmt", "csv"), "案件")
