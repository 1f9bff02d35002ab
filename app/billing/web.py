"""Route helpers of the billing pages."""

from __future__ import annotations

import uuid

from flask import abort

from ..extensions import db
from .issue import BillingError
from .models import Invoice, InvoicePayment, PurchaseStatement

FINANCE = ("finance", "admin")


def invoice_or_404(invoice_id: uuid.UUID) -> Invoice:
    """The invoice if row level security lets the user see it, else 404 (never 403)."""
    return Invoice.get(invoice_id) or abort(404)


def payment_or_404(invoice: Invoice, payment_id: uuid.UUID) -> InvoicePayment:
    """A payment of ``invoice`` (another invoice's payment id answers 404)."""
    payment = db.session.get(InvoicePayment, payment_id)
    if payment is None or (payment.invoice_id, payment.invoice_year) != (invoice.id, invoice.invoice_year):
        abort(404)
    return payment


def statement_or_404(statement_id: uuid.UUID) -> PurchaseStatement:
    return db.session.get(PurchaseStatement, statement_id) or abort(404)


def field_error(form, error: BillingError) -> None:
    """Put a service's error next to its field (or above the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and isinstance(getattr(field, "errors", None), list):
        field.errors.append(error.message)
    else:
        form.form_errors.append(error.message)


def status_for(form) -> int:
    return 422 if form.is_submitted() else 200
