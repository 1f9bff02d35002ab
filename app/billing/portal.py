"""The customer portal's invoices and the partner portal's payment notices.

Row level security decides what exists: a customer sees only its own company's issued
invoices, a partner only its own payment notices; anything else answers 404, never 403.
"""

from __future__ import annotations

import uuid

from flask import abort, request

from ..core.access import roles_required
from ..core.htmx import render
from ..core.listing import ListState
from ..core.pdf import pdf_response
from ..extensions import db
from . import bp, queries
from .issue import invoice_lines
from .labels import template_labels
from .models import PurchaseStatement
from .payments import payments_of
from .pdfs import invoice_pdf_filename, statement_pdf_filename
from .routes import zip_response
from .web import invoice_or_404, statement_or_404


@bp.get("/portal")
@roles_required("customer")
def portal():
    filters = queries.InvoiceFilters.from_args(request.args)
    state = ListState.from_args(request.args, queries.INVOICE_SORTS, "-date")
    page = queries.search_invoices(filters, state) if not filters.errors else None
    return render("billing/portal.html", "results", page=page, months=queries.recent_months(),
                  filters=filters, state=state, status=422 if filters.errors else 200, **template_labels())


@bp.get("/portal/invoices/<uuid:invoice_id>")
@roles_required("customer")
def portal_invoice(invoice_id: uuid.UUID):
    invoice = invoice_or_404(invoice_id)
    return render("billing/portal_invoice.html", invoice=invoice, lines=invoice_lines(invoice),
                  payments=payments_of(invoice), **template_labels())


@bp.get("/portal/invoices/<uuid:invoice_id>/pdf")
@roles_required("customer")
def portal_pdf(invoice_id: uuid.UUID):
    invoice = invoice_or_404(invoice_id)
    if not invoice.pdf_sha256:
        abort(404)
    return pdf_response(invoice.pdf, invoice_pdf_filename(invoice), inline=request.args.get("download") != "1")


@bp.get("/portal/invoices.zip")
@roles_required("customer")
def portal_zip():
    filters = queries.InvoiceFilters.from_args(request.args)
    if filters.period is None:
        abort(400)
    return zip_response(queries.invoices_of_month(*filters.period), filters.period, render_missing=False)


@bp.get("/partner")
@roles_required("partner")
def partner_portal():
    statements = db.session.scalars(db.select(PurchaseStatement).order_by(
        PurchaseStatement.statement_date.desc(), PurchaseStatement.statement_number.desc()).limit(200)).all()
    return render("billing/partner_portal.html", statements=statements, **template_labels())


@bp.get("/partner/statements/<uuid:statement_id>/pdf")
@roles_required("partner")
def partner_pdf(statement_id: uuid.UUID):
    statement = statement_or_404(statement_id)
    if not statement.pdf_sha256:
        abort(404)
    return pdf_response(statement.pdf, statement_pdf_filename(statement))
