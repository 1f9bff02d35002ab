"""Correcting an issued invoice: never by editing it, always by new linked documents.

* ``cancel_invoice``: a credit note (返還請求書, negative amounts, linked to the original) is
  issued, then the original is cancelled; the database releases its lines, so their hours can be
  billed again.  What the customer already paid becomes their credit (前受金).
* ``reissue_invoice``: cancel, then issue a new invoice (再発行, linked to the original) for the
  same hours, adjustments and extras, priced from the current data (e.g. after a contract
  correction), and settle it from the credit the cancellation left.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from ..core.calendar import BusinessCalendar
from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from . import journal
from .customers import customers_by_id
from .issue import BillingError, create_invoice, invoice_lines, issue_invoice
from .lines import LineDraft, adjustment_line, extra_line, settlement_line
from .models import Invoice, InvoiceExtra, InvoiceLine, Issuer
from .payments import add_credit, apply_credit, credit_balance
from .sources import (
    approved_adjustments,
    billed_adjustment_minutes,
    contracts_by_id,
    timesheets_by_id,
)

CANCELLABLE = ("ISSUED", "PARTIALLY_PAID", "OVERDUE", "PAID")


def _credit_line(line: InvoiceLine) -> LineDraft:
    return LineDraft(
        item_type=line.item_type, description=f"取消: {line.description}", amount=-line.amount,
        tax_rate_percent=line.tax_rate_percent, is_reduced_rate=line.is_reduced_rate,
        contract_id=line.contract_id, engineer_id=line.engineer_id, contract_number=line.contract_number,
        credited_item_id=line.id, engineer_code=line.engineer_code, engineer_name=line.engineer_name,
        period_year=line.period_year,
        period_month=line.period_month, billed_hours=line.billed_hours, base_amount=line.base_amount,
        adjustment_amount=-line.adjustment_amount, quantity=line.quantity,
        unit_price=-line.unit_price if line.unit_price is not None else None)


def cancel_invoice(invoice: Invoice, reason: str, issue_date: date) -> Invoice:
    """Issue a credit note for the whole invoice and cancel it; returns the credit note."""
    if invoice.kind == "CREDIT_NOTE" or invoice.status not in CANCELLABLE:
        raise BillingError(None, _l("この請求書は取り消せません。"))
    if not (reason or "").strip():
        raise BillingError("reason", _l("取消の理由を入力してください。"))
    if issue_date < invoice.invoice_date:
        raise BillingError("issue_date", _l("発行日が元の請求書の発行日より前です。"))
    credit_note = create_invoice(
        issuer=db.session.get(Issuer, invoice.issuer_id),
        customer=customers_by_id([invoice.customer_id])[invoice.customer_id],
        year=invoice.invoice_year, month=invoice.invoice_month, due_date=issue_date, kind="CREDIT_NOTE",
        lines=[_credit_line(line) for line in invoice_lines(invoice)], original=invoice, notes=reason.strip())
    issue_invoice(credit_note, issue_date)
    _return_paid_amount(invoice, issue_date)
    invoice.status = "CANCELLED"
    db.session.flush()
    _reopen_adjustments(invoice)
    return credit_note


def _return_paid_amount(invoice: Invoice, day: date) -> None:
    """Money already received for a cancelled invoice is held as the customer's credit."""
    if not invoice.paid_amount:
        return
    add_credit(invoice.customer_id, day, invoice.paid_amount, "CANCELLED_INVOICE", invoice=invoice,
                description=invoice.invoice_number)
    entry = journal.Entry(day, "CREDIT_NOTE", "invoice_cancellation", invoice.id,
                          counterparty=invoice.recipient_name,
                          description=f"{invoice.invoice_number} 取消に伴う入金済額の振替")
    entry.debit(journal.ACCOUNTS_RECEIVABLE, invoice.paid_amount, sub_account=invoice.recipient_name)
    entry.credit(journal.ADVANCES_RECEIVED, invoice.paid_amount, sub_account=invoice.recipient_name)
    entry.post()


def _reopen_adjustments(invoice: Invoice) -> None:
    """Adjustments the cancelled invoice billed are unbilled again (the timesheet context's
    billing columns; no service of theirs undoes ``mark_adjustments_billed``)."""
    db.session.execute(text(
        "UPDATE timesheet_context.timesheet_adjustments a SET status = 'APPROVED', invoice_billing_item_id = NULL"
        " FROM billing_context.invoice_billing_items l WHERE l.id = a.invoice_billing_item_id"
        " AND l.invoice_id = :i AND l.invoice_year = :y"), {"i": invoice.id, "y": invoice.invoice_year})


def reissue_invoice(invoice: Invoice, reason: str, issue_date: date) -> tuple[Invoice, Invoice]:
    """Cancel ``invoice`` and issue its replacement; returns (credit note, reissued invoice)."""
    original_lines = invoice_lines(invoice)
    credit_note = cancel_invoice(invoice, reason, issue_date)
    lines = _rebuild_lines(invoice, original_lines, BusinessCalendar.load())
    customer = customers_by_id([invoice.customer_id])[invoice.customer_id]
    new = create_invoice(issuer=db.session.get(Issuer, invoice.issuer_id), customer=customer,
                         year=invoice.invoice_year, month=invoice.invoice_month, lines=lines,
                         due_date=max(invoice.due_date, issue_date), kind="REISSUE", original=invoice,
                         notes=reason.strip())
    issue_invoice(new, issue_date)
    available = min(credit_balance(invoice.customer_id), new.open_amount)
    if available > 0:
        apply_credit(new, available, issue_date, f"reissue:{new.id}")
    return credit_note, new


def _rebuild_lines(invoice: Invoice, lines: list[InvoiceLine], calendar: BusinessCalendar) -> list[LineDraft]:
    """The same sources, priced again from the current contract and timesheet data."""
    settled = {line.timesheet_id: line.contract_id for line in lines if line.item_type == "SETTLEMENT"}
    timesheets = timesheets_by_id(settled, contracts_by_id(set(settled.values())), settled)
    wanted = [line.timesheet_adjustment_id for line in lines if line.timesheet_adjustment_id]
    adjustments = {a.adjustment_id: a for a in approved_adjustments(
        invoice.invoice_year, invoice.invoice_month, ids=wanted)} if wanted else {}
    adjusted: dict = {}
    drafts = []
    for line in lines:
        if line.item_type == "SETTLEMENT" and line.timesheet_id in timesheets:
            drafts.append(settlement_line(timesheets[line.timesheet_id], calendar))
        elif line.timesheet_adjustment_id in adjustments:
            adjustment = adjustments[line.timesheet_adjustment_id]
            contract, key = adjustment.timesheet.contract, adjustment.timesheet.timesheet_id
            adjusted.setdefault(key, billed_adjustment_minutes(key, contract.contract_id))
            drafts.append(adjustment_line(adjustment, calendar, adjusted[key]))
            adjusted[key] += adjustment.minutes_delta
        elif line.extra_id:
            extra = db.session.get(InvoiceExtra, line.extra_id)
            drafts.append(extra_line(extra, contracts_by_id([extra.contract_id]).get(extra.contract_id)))
        else:
            raise BillingError(None, _l("再発行できない明細があります: {}").format(line.description))
    return drafts
