"""Receivables reconciliation (入金消込) and payment notices to partners (支払通知書)."""

from __future__ import annotations

import uuid
from datetime import date

from flask import flash, request, url_for

from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import lazy_gettext as _l
from ..core.pdf import pdf_response
from ..extensions import db
from . import bp, queries
from .forms import MONTH_PATTERN, PurchasePaymentForm, StatementCorrectionForm, new_idempotency_key
from .issue import BillingError
from .labels import template_labels
from .models import PurchasePayment, PurchaseStatement
from .pdfs import statement_pdf_filename, store_statement_pdf
from .purchase_corrections import cancel_statement, reissue_statement, related_statements
from .purchases import record_purchase_payment, statement_lines
from .web import FINANCE, field_error, statement_or_404, status_for


@bp.get("/receivables")
@roles_required(*FINANCE)
def receivables():
    today = date.today()
    items = queries.receivables(today)
    return render("billing/receivables.html", items=items, totals=queries.aging_totals(items),
                  buckets=queries.AGING_BUCKETS, credits=queries.credit_balances(), today=today,
                  **template_labels())


@bp.get("/purchases")
@roles_required(*FINANCE)
def purchases():
    month = request.args.get("month", "")
    match = MONTH_PATTERN.match(month)
    query = db.select(PurchaseStatement).where(PurchaseStatement.status != "DRAFT")
    if match:
        query = query.where(PurchaseStatement.statement_year == int(match.group(1)),
                            PurchaseStatement.statement_month == int(match.group(2)))
    statements = db.session.scalars(query.order_by(PurchaseStatement.statement_number.desc()).limit(200)).all()
    return render("billing/purchases.html", statements=statements, month=month,
                  month_error=bool(month and not match), status=422 if month and not match else 200,
                  **template_labels())


def _statement_context(statement: PurchaseStatement, form: PurchasePaymentForm | None = None,
                       correction_form: StatementCorrectionForm | None = None) -> dict:
    form = form or PurchasePaymentForm(formdata=None, paid_on=date.today(), amount=statement.open_amount,
                                       idempotency_key=new_idempotency_key())
    correction_form = correction_form or StatementCorrectionForm(formdata=None, issue_date=date.today())
    payments = db.session.scalars(db.select(PurchasePayment).where(
        PurchasePayment.statement_id == statement.id).order_by(PurchasePayment.paid_on)).all()
    return dict(statement=statement, lines=statement_lines(statement), payments=payments, form=form,
                correction_form=correction_form, related=related_statements(statement), **template_labels())


@bp.get("/purchases/<uuid:statement_id>")
@roles_required(*FINANCE)
def purchase_detail(statement_id: uuid.UUID):
    return render("billing/purchase.html", **_statement_context(statement_or_404(statement_id)))


@bp.get("/purchases/<uuid:statement_id>/pdf")
@roles_required(*FINANCE)
def purchase_pdf(statement_id: uuid.UUID):
    statement = statement_or_404(statement_id)
    return pdf_response(store_statement_pdf(statement), statement_pdf_filename(statement))


@bp.post("/purchases/<uuid:statement_id>/payments")
@roles_required(*FINANCE)
def pay_partner(statement_id: uuid.UUID):
    statement = statement_or_404(statement_id)
    form = PurchasePaymentForm()
    if form.validate_on_submit():
        try:
            record_purchase_payment(statement, paid_on=form.paid_on.data, amount=form.amount.data,
                                    fee=form.fee.data or 0, fee_borne_by=form.fee_borne_by.data,
                                    reference=form.reference.data or None,
                                    idempotency_key=form.idempotency_key.data or new_idempotency_key())
        except BillingError as error:
            field_error(form, error)
        else:
            flash(_l("支払を記録しました。"), "success")
            return navigate(url_for("billing.purchase_detail", statement_id=statement.id))
    return render("billing/purchase.html", "payment_form_block", status=status_for(form),
                  **_statement_context(statement, form))


@bp.post("/purchases/<uuid:statement_id>/cancel")
@roles_required(*FINANCE)
def correct_statement(statement_id: uuid.UUID):
    statement = statement_or_404(statement_id)
    form = StatementCorrectionForm()
    if form.validate_on_submit():
        try:
            if form.action.data == "reissue":
                shown = next(iter(reissue_statement(statement, form.reason.data, form.issue_date.data)), statement)
            else:
                shown = cancel_statement(statement, form.reason.data, form.issue_date.data)
        except BillingError as error:
            field_error(form, error)
        else:
            flash(_l("{} を取り消しました。").format(statement.statement_number), "success")
            return navigate(url_for("billing.purchase_detail", statement_id=shown.id))
    return render("billing/purchase.html", "correction_form_block", status=status_for(form),
                  **_statement_context(statement, correction_form=form))
