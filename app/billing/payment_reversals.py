"""Reversing a payment recorded by mistake (入金取消).

Payments are facts and never change.  A mistaken one (the wrong invoice, a typo in the amount,
a transfer the bank returned) is reversed by a new payment row that names it, carries its
amounts negated and says why.  The invoice's paid amount and status go back with it (入金済 →
発行済 / 一部入金 / 延滞), the payment's journal entry is posted reversed, and what the payment
did to the customer's credit is undone: an overpayment held as credit is taken back (refused
when that credit has been used since), credit applied from 預り金 is returned.  Reversing the
same payment again returns the first reversal.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..extensions import db
from .issue import BillingError
from .models import Invoice, InvoicePayment
from .payments import add_credit, credit_balance, post_payment_entry, status_after


def reversal_of(payment: InvoicePayment) -> InvoicePayment | None:
    return db.session.scalar(db.select(InvoicePayment).where(InvoicePayment.reverses_payment_id == payment.id))


def reverse_payment(payment: InvoicePayment, reason: str, day: date) -> InvoicePayment:
    """Reverse ``payment`` on ``day`` for ``reason``; returns the reversing payment row."""
    invoice = _lock(payment)
    existing = reversal_of(payment)
    if existing is not None:
        return existing
    _check_reversal(payment, invoice, reason, day)
    identity = current_identity()
    reversal = InvoicePayment(
        invoice_id=payment.invoice_id, invoice_year=payment.invoice_year, paid_on=day,
        received_amount=-payment.received_amount, fee_amount=-payment.fee_amount,
        applied_amount=-payment.applied_amount, overpaid_amount=-payment.overpaid_amount,
        method=payment.method, payer_name=payment.payer_name, reference=reason.strip(),
        reverses_payment_id=payment.id, idempotency_key=f"reversal:{payment.id}",
        recorded_by=identity.user_id if identity else None)
    db.session.add(reversal)
    db.session.flush()
    _undo_credit(payment, reversal, invoice, day)
    paid = invoice.paid_amount + reversal.applied_amount
    invoice.status = status_after(invoice, paid, max(day, date.today()))
    invoice.paid_amount = paid
    db.session.flush()
    post_payment_entry(invoice, reversal)
    return reversal


def _lock(payment: InvoicePayment) -> Invoice:
    """The invoice, locked, and the customer's credit ledger (as ``apply_credit`` takes it)."""
    db.session.execute(text("SELECT 1 FROM billing_context.invoices WHERE id = :i AND invoice_year = :y"
                            " FOR UPDATE"), {"i": payment.invoice_id, "y": payment.invoice_year})
    invoice = Invoice.get(payment.invoice_id)
    db.session.refresh(invoice)
    db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                       {"k": f"billing:credit:{invoice.customer_id}"})
    return invoice


def _check_reversal(payment: InvoicePayment, invoice: Invoice, reason: str, day: date) -> None:
    if payment.is_reversal:
        raise BillingError(None, _l("入金取消の記録は取り消せません。"))
    if invoice.status == "CANCELLED":
        raise BillingError(None, _l("取消済みの請求書の入金は取り消せません（入金額は預り金に振り替え済みです）。"))
    if not (reason or "").strip():
        raise BillingError("reason", _l("取消の理由を入力してください。"))
    if day < payment.paid_on:
        raise BillingError("reversed_on", _l("取消日が入金日より前です。"))
    if day > date.today():
        raise BillingError("reversed_on", _l("取消日に未来の日付は指定できません。"))
    if payment.overpaid_amount > credit_balance(invoice.customer_id):
        raise BillingError(None, _l("この入金の過入金分（預り金）はすでに充当されています。先に充当した入金を取り消してください。"))


def _undo_credit(payment: InvoicePayment, reversal: InvoicePayment, invoice: Invoice, day: date) -> None:
    """Take back the credit an overpayment made; give back the credit an offset used."""
    returned = payment.applied_amount if payment.method == "OFFSET" else 0
    for amount in (-payment.overpaid_amount, returned):
        if amount:
            add_credit(invoice.customer_id, day, amount, "PAYMENT_REVERSED", payment=reversal, invoice=invoice,
                       description=f"{invoice.invoice_number} 入金取消")
