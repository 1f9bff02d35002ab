"""Creating and issuing qualified invoices (適格請求書).

An invoice is inserted as a draft with its lines, then issued in the same transaction: it takes
the next gap-free number of its issuer and year, its per-rate totals (tax rounded once per rate,
DOMAIN.md §3), the snapshots of issuer and recipient, a journal entry and the ``InvoiceIssued``
event.  From then on the database refuses any change to it.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, insert

from ..core.calendar import BusinessCalendar, closing_date, month_end
from ..core.events import INVOICE_ISSUED, record_event
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..extensions import db
from ..timesheets.adjustments import mark_adjustments_billed
from . import journal
from .customers import Customer
from .lines import LineDraft
from .models import Invoice, InvoiceLine, Issuer
from .numbering import take_number
from .tax import totals_by_rate


class BillingError(Exception):
    """A business rule refused the operation; ``field`` names the form field it concerns."""

    def __init__(self, field: str | None, message) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = str(message)


def default_issuer() -> Issuer:
    issuer = db.session.scalar(db.select(Issuer).where(Issuer.is_default))
    if issuer is None:
        raise BillingError(None, _l("請求元（自社情報）が設定されていません。経理設定で登録してください。"))
    return issuer


def due_date_for(year: int, month: int, terms: tuple[int, int, int, str], calendar: BusinessCalendar) -> date:
    """Closing day, months after closing, payment day (0 = month end) and the holiday rule."""
    closing_day, offset, payment_day, rule = terms
    return calendar.payment_due_date(closing_date(year, month, closing_day), offset, payment_day, rule)


def issuer_snapshot(issuer: Issuer) -> dict:
    return {"name": issuer.name, "registration_number": issuer.registration_number,
            "postal_code": issuer.postal_code, "address": issuer.address, "phone": issuer.phone,
            "email": issuer.email,
            "bank": {"name": issuer.bank_name, "branch": issuer.bank_branch,
                     "account_type": issuer.bank_account_type, "number": issuer.bank_account_number,
                     "holder_kana": issuer.bank_account_holder_kana}}


def create_invoice(*, issuer: Issuer, customer: Customer, year: int, month: int, lines: list[LineDraft],
                   due_date: date, kind: str = "INVOICE", original: Invoice | None = None,
                   run_id: uuid.UUID | None = None, notes: str | None = None) -> Invoice:
    """A draft invoice with its lines and per-rate totals (not yet numbered)."""
    invoice = Invoice(
        id=uuid.uuid4(), invoice_year=year, invoice_month=month, kind=kind, issuer_id=issuer.id,
        customer_id=customer.id, run_id=run_id, status="DRAFT",
        original_invoice_id=original.id if original else None,
        original_invoice_year=original.invoice_year if original else None,
        billing_period_start=date(year, month, 1), billing_period_end=month_end(year, month),
        due_date=due_date, recipient_name=customer.name, recipient_honorific=customer.honorific,
        recipient_department=customer.billing_department, recipient_address=customer.recipient_address,
        issuer_name=issuer.name, issuer_registration_number=issuer.registration_number,
        tax_rounding=issuer.tax_rounding, attach_work_report=customer.attach_work_report, notes=notes)
    _set_totals(invoice, lines)
    invoice.billing_details = {
        **invoice.billing_details, "issuer": issuer_snapshot(issuer), "customer_code": customer.code,
        "recipient_contact": customer.billing_contact_name,
        "original_number": original.invoice_number if original else None}
    db.session.add(invoice)
    db.session.flush()
    if lines:        # one multi-row INSERT: a run writes thousands of lines
        db.session.execute(insert(InvoiceLine), [
            {"invoice_id": invoice.id, "invoice_year": year, "line_no": n, **line.values()}
            for n, line in enumerate(lines, start=1)])
    return invoice


def _set_totals(invoice: Invoice, lines: list[LineDraft]) -> None:
    by_rate = totals_by_rate(((line.amount, line.tax_rate_percent) for line in lines), invoice.tax_rounding)
    invoice.subtotal_amount = sum(r.subtotal for r in by_rate)
    invoice.tax_amount = sum(r.tax for r in by_rate)
    invoice.total_amount = invoice.subtotal_amount + invoice.tax_amount
    invoice.billing_details = {
        "by_rate": {str(r.rate): {"subtotal": r.subtotal, "tax": r.tax, "reduced": r.reduced} for r in by_rate},
        "lines": len(lines), "adjustments": sum(1 for line in lines if line.timesheet_adjustment_id)}


def issue_invoice(invoice: Invoice, issue_date: date) -> Invoice:
    """Number and issue a draft: from now on it is frozen.  Posts the journal entry and records
    ``InvoiceIssued``."""
    if invoice.status != "DRAFT":
        raise BillingError(None, _l("この請求書はすでに発行されています。"))
    issuer = db.session.get(Issuer, invoice.issuer_id)
    identity = current_identity()
    invoice.invoice_number = take_number(issuer.id, invoice.invoice_year, issuer.invoice_number_prefix)
    invoice.invoice_date = issue_date
    invoice.issued_at = func.now()
    invoice.issued_by = identity.user_id if identity else None
    invoice.status = "ISSUED"
    db.session.flush()
    post_invoice_entry(invoice)
    _mark_adjustments_billed(invoice)
    record_event(INVOICE_ISSUED, source_context="billing", aggregate_type="invoice", aggregate_id=invoice.id,
                 payload={"invoice_number": invoice.invoice_number, "customer_id": str(invoice.customer_id),
                          "kind": invoice.kind, "total_amount": invoice.total_amount,
                          "invoice_date": issue_date.isoformat(), "due_date": invoice.due_date.isoformat(),
                          "period": f"{invoice.invoice_year}-{invoice.invoice_month:02d}"})
    return invoice


def post_invoice_entry(invoice: Invoice) -> None:
    """売掛金 / 売上高 + 仮受消費税 per rate (a credit note posts the reverse)."""
    credit_note = invoice.kind == "CREDIT_NOTE"
    entry = journal.Entry(invoice.invoice_date, "CREDIT_NOTE" if credit_note else "INVOICE_ISSUED",
                          "invoice", invoice.id, counterparty=invoice.recipient_name,
                          description=f"{invoice.invoice_number} {invoice.invoice_year}年{invoice.invoice_month}月分")
    entry.debit(journal.ACCOUNTS_RECEIVABLE, invoice.total_amount, sub_account=invoice.recipient_name)
    for rate, values in invoice.billing_details["by_rate"].items():
        category = journal.sales_tax_category(int(rate))
        entry.credit(journal.SALES, values["subtotal"], tax_category=category, tax_amount=values["tax"])
        entry.credit(journal.OUTPUT_TAX, values["tax"], tax_category=category)
    entry.post()


def _mark_adjustments_billed(invoice: Invoice) -> None:
    """Tell the timesheet context which line billed each adjustment."""
    if not invoice.billing_details.get("adjustments"):
        return
    for line_id, adjustment_id in db.session.execute(db.select(InvoiceLine.id, InvoiceLine.timesheet_adjustment_id)
                                                     .where(InvoiceLine.invoice_id == invoice.id,
                                                            InvoiceLine.invoice_year == invoice.invoice_year,
                                                            InvoiceLine.timesheet_adjustment_id.isnot(None))):
        mark_adjustments_billed([adjustment_id], line_id)


def invoice_lines(invoice: Invoice) -> list[InvoiceLine]:
    return list(db.session.scalars(db.select(InvoiceLine).where(
        InvoiceLine.invoice_id == invoice.id, InvoiceLine.invoice_year == invoice.invoice_year)
        .order_by(InvoiceLine.line_no)))
