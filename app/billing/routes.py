"""Invoices for finance: search, detail, PDF, payments, corrections and a month's ZIP."""

from __future__ import annotations

import uuid
from datetime import date

from flask import Response, abort, flash, request, url_for

from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..core.listing import ListState
from ..core.pdf import pdf_response
from ..extensions import db
from . import bp, queries
from .corrections import cancel_invoice, reissue_invoice
from .forms import (
    ApplyCreditForm,
    CorrectionForm,
    PaymentForm,
    PaymentReversalForm,
    new_idempotency_key,
)
from .issue import BillingError, invoice_lines
from .journal import entries_for
from .labels import template_labels
from .payment_reversals import reverse_payment
from .payments import apply_credit, credit_balance, payments_of, submit_payment
from .pdfs import invoice_pdf_filename, store_invoice_pdf, zip_of
from .web import FINANCE, field_error, invoice_or_404, payment_or_404, status_for


@bp.get("/")
@roles_required(*FINANCE)
def index():
    filters = queries.InvoiceFilters.from_args(request.args)
    state = ListState.from_args(request.args, queries.INVOICE_SORTS, "-date")
    page = queries.search_invoices(filters, state) if not filters.errors else None
    return render("billing/index.html", "results", filters=filters, state=state, page=page,
                  status=422 if filters.errors else 200, **template_labels())


def _detail_context(invoice, payment_form=None, credit_form=None) -> dict:
    payment_form = payment_form or PaymentForm(formdata=None, paid_on=date.today(),
                                               idempotency_key=new_idempotency_key())
    credit_form = credit_form or ApplyCreditForm(formdata=None, idempotency_key=new_idempotency_key())
    payments = payments_of(invoice)
    return dict(invoice=invoice, lines=invoice_lines(invoice), payments=payments,
                reversed_ids={p.reverses_payment_id for p in payments if p.is_reversal},
                history=queries.history_of(invoice), entries=entries_for("invoice", invoice.id),
                related=queries.related_documents(invoice), credit=credit_balance(invoice.customer_id),
                payment_form=payment_form, credit_form=credit_form, **template_labels())


@bp.get("/invoices/<uuid:invoice_id>")
@roles_required(*FINANCE)
def detail(invoice_id: uuid.UUID):
    return render("billing/detail.html", **_detail_context(invoice_or_404(invoice_id)))


@bp.get("/invoices/<uuid:invoice_id>/pdf")
@roles_required(*FINANCE)
def invoice_pdf(invoice_id: uuid.UUID):
    invoice = invoice_or_404(invoice_id)
    if invoice.status == "DRAFT":
        abort(404)
    data = store_invoice_pdf(invoice)
    return pdf_response(data, invoice_pdf_filename(invoice), inline=request.args.get("download") != "1")


@bp.post("/invoices/<uuid:invoice_id>/payments")
@roles_required(*FINANCE)
def add_payment(invoice_id: uuid.UUID):
    invoice = invoice_or_404(invoice_id)
    form = PaymentForm()
    if form.validate_on_submit():
        try:
            outcome = submit_payment(
                invoice, paid_on=form.paid_on.data, received=form.received.data, fee=form.fee.data or 0,
                method=form.method.data, payer_name=form.payer_name.data or None,
                reference=form.reference.data or None,
                idempotency_key=form.idempotency_key.data or new_idempotency_key())
        except BillingError as error:
            field_error(form, error)
        else:
            if outcome.repeated:
                flash(_l("この入金はすでに記録されています（二重送信のため、新たには記録していません）。"), "info")
            else:
                flash(_l("入金を記録しました。"), "success")
            return navigate(url_for("billing.detail", invoice_id=invoice.id))
    return render("billing/detail.html", "payment_form_block", status=status_for(form),
                  **_detail_context(invoice, payment_form=form))


@bp.post("/invoices/<uuid:invoice_id>/credit")
@roles_required(*FINANCE)
def use_credit(invoice_id: uuid.UUID):
    invoice = invoice_or_404(invoice_id)
    form = ApplyCreditForm()
    if form.validate_on_submit():
        try:
            apply_credit(invoice, form.amount.data, date.today(),
                         form.idempotency_key.data or new_idempotency_key())
        except BillingError as error:
            field_error(form, error)
        else:
            flash(_l("預り金を充当しました。"), "success")
            return navigate(url_for("billing.detail", invoice_id=invoice.id))
    return render("billing/detail.html", "credit_form_block", status=status_for(form),
                  **_detail_context(invoice, credit_form=form))


@bp.route("/invoices/<uuid:invoice_id>/payments/<uuid:payment_id>/reverse", methods=["GET", "POST"])
@roles_required(*FINANCE)
def reverse(invoice_id: uuid.UUID, payment_id: uuid.UUID):
    invoice = invoice_or_404(invoice_id)
    payment = payment_or_404(invoice, payment_id)
    form = PaymentReversalForm(reversed_on=date.today()) if request.method == "GET" else PaymentReversalForm()
    if form.validate_on_submit():
        try:
            reverse_payment(payment, form.reason.data, form.reversed_on.data)
        except BillingError as error:
            field_error(form, error)
        else:
            flash(_l("入金を取り消しました。"), "success")
            return navigate(url_for("billing.detail", invoice_id=invoice.id))
    return render("billing/reverse_payment.html", "form_block", invoice=invoice, payment=payment, form=form,
                  status=status_for(form), **template_labels())


@bp.route("/invoices/<uuid:invoice_id>/correct", methods=["GET", "POST"])
@roles_required(*FINANCE)
def correct(invoice_id: uuid.UUID):
    invoice = invoice_or_404(invoice_id)
    form = CorrectionForm(issue_date=date.today()) if request.method == "GET" else CorrectionForm()
    if form.validate_on_submit():
        try:
            if form.action.data == "reissue":
                _, new = reissue_invoice(invoice, form.reason.data, form.issue_date.data)
            else:
                new = cancel_invoice(invoice, form.reason.data, form.issue_date.data)
        except BillingError as error:
            field_error(form, error)
        else:
            flash(_l("{} を発行しました。").format(new.invoice_number), "success")
            return navigate(url_for("billing.detail", invoice_id=new.id))
    return render("billing/correct.html", "form_block", invoice=invoice, form=form, status=status_for(form),
                  **template_labels())


@bp.get("/invoices.zip")
@roles_required(*FINANCE)
def month_zip():
    filters = queries.InvoiceFilters.from_args(request.args)
    if filters.period is None:
        abort(400)
    return zip_response(queries.invoices_of_month(*filters.period), filters.period)


def zip_response(invoices, period: tuple[int, int], render_missing: bool = True) -> Response:
    if not invoices:
        abort(404)
    response = Response(zip_of(invoices, render_missing), mimetype="application/zip")
    name = f"invoices-{period[0]}-{period[1]:02d}.zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    db.session.flush()
    return response
