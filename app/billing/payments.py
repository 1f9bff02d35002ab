"""Payments received (入金), the customer's credit (前受金) and overdue invoices.

A payment may be full or partial, several per invoice; a bank fee the payer deducted counts
against the invoice (売上値引); what exceeds the open balance is held as the customer's credit.
The form carries an idempotency key: submitting it twice records one payment.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, text
from sqlalchemy.dialects.postgresql import insert

from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..extensions import db
from . import journal
from .issue import BillingError
from .models import CustomerCredit, Invoice, InvoicePayment


@dataclass(frozen=True)
class PaymentSplit:
    applied: int
    overpaid: int


@dataclass(frozen=True)
class PaymentOutcome:
    payment: InvoicePayment
    repeated: bool          # the same form was submitted before: nothing new was recorded


def split_payment(open_amount: int, received: int, fee: int) -> PaymentSplit:
    """How much of (received + fee) settles the invoice and how much is left over as credit."""
    applied = min(received + fee, open_amount)
    return PaymentSplit(applied, received + fee - applied)


def status_after(invoice: Invoice, paid: int, today: date) -> str:
    """The status of an issued invoice once ``paid`` has been paid (after a payment or its
    reversal)."""
    if paid >= invoice.total_amount:
        return "PAID"
    if invoice.status == "OVERDUE" or invoice.due_date < today:
        return "OVERDUE"
    return "PARTIALLY_PAID" if paid else "ISSUED"


def record_payment(invoice: Invoice, **payment) -> InvoicePayment:
    """Record a payment against an open invoice (once per idempotency key); see ``submit_payment``."""
    return submit_payment(invoice, **payment).payment


def submit_payment(invoice: Invoice, *, paid_on: date, received: int, fee: int = 0,
                   idempotency_key: str, method: str = "BANK_TRANSFER", payer_name: str | None = None,
                   reference: str | None = None) -> PaymentOutcome:
    """Record a payment against an open invoice, once per idempotency key.

    The invoice row is locked before anything is read, so submissions racing each other run one
    after the other: the first records the payment, a repeat of the same form gets that payment
    back (``repeated``), and a payment against an invoice the first one settled is refused.
    """
    lock_invoice(invoice)
    existing = _by_key(idempotency_key)
    if existing is not None:
        return PaymentOutcome(existing, repeated=True)
    _check_payment(invoice, paid_on, received, fee)
    split = split_payment(invoice.open_amount, received, fee)
    identity = current_identity()
    payment_id = db.session.execute(insert(InvoicePayment).values(
        id=uuid.uuid4(), invoice_id=invoice.id, invoice_year=invoice.invoice_year, paid_on=paid_on,
        received_amount=received, fee_amount=fee, applied_amount=split.applied,
        overpaid_amount=split.overpaid, method=method, payer_name=payer_name, reference=reference,
        idempotency_key=idempotency_key, recorded_by=identity.user_id if identity else None,
    ).on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(InvoicePayment.id)).scalar()
    if payment_id is None:            # the key was used at the same moment on another invoice
        return PaymentOutcome(_by_key(idempotency_key), repeated=True)
    payment = db.session.get(InvoicePayment, payment_id)
    _settle(invoice, split.applied, paid_on)
    if split.overpaid:
        add_credit(invoice.customer_id, paid_on, split.overpaid, "OVERPAYMENT", payment=payment)
    post_payment_entry(invoice, payment)
    return PaymentOutcome(payment, repeated=False)


def lock_invoice(invoice: Invoice) -> None:
    """Take the invoice's row lock for this transaction and reload it as committed by whoever
    held the lock before."""
    db.session.execute(text("SELECT 1 FROM billing_context.invoices WHERE id = :i AND invoice_year = :y"
                            " FOR UPDATE"), {"i": invoice.id, "y": invoice.invoice_year})
    db.session.refresh(invoice)


def _by_key(key: str) -> InvoicePayment | None:
    return db.session.scalar(db.select(InvoicePayment).where(InvoicePayment.idempotency_key == key))


def _check_payment(invoice: Invoice, paid_on: date, received: int, fee: int) -> None:
    if not invoice.is_open:
        raise BillingError(None, _l("この請求書は入金を記録できる状態ではありません。"))
    if received < 0:
        raise BillingError("received", _l("入金額は0円以上で入力してください。"))
    if fee < 0:
        raise BillingError("fee", _l("手数料は0円以上で入力してください。"))
    if received + fee <= 0:
        raise BillingError("received", _l("入金額を入力してください。"))
    if fee > invoice.open_amount:
        raise BillingError("fee", _l("手数料が未入金額を超えています。"))
    if paid_on < invoice.invoice_date:
        raise BillingError("paid_on", _l("入金日が請求日より前です。"))
    if paid_on > date.today():
        raise BillingError("paid_on", _l("入金日に未来の日付は指定できません。"))


def _settle(invoice: Invoice, applied: int, today: date) -> None:
    paid = invoice.paid_amount + applied
    invoice.status = status_after(invoice, paid, max(today, date.today()))
    invoice.paid_amount = paid
    db.session.flush()


def post_payment_entry(invoice: Invoice, payment: InvoicePayment) -> None:
    """普通預金 (+ 売上値引 for a fee the payer deducted) / 売掛金 (+ 前受金 for an overpayment);
    a reversal's negated amounts post the same entry with debit and credit swapped."""
    event = "CREDIT_APPLIED" if payment.method == "OFFSET" else "PAYMENT_RECEIVED"
    if payment.is_reversal:
        event = "PAYMENT_REVERSED"
    entry = journal.Entry(payment.paid_on, event, "invoice_payment", payment.id, counterparty=invoice.recipient_name,
                          description=f"{invoice.invoice_number} {'入金取消' if payment.is_reversal else '入金'}")
    debit_account = journal.ADVANCES_RECEIVED if payment.method == "OFFSET" else journal.BANK
    entry.debit(debit_account, payment.received_amount)
    entry.debit(journal.SALES_DISCOUNT, payment.fee_amount, tax_category="課税売上10%")
    entry.credit(journal.ACCOUNTS_RECEIVABLE, payment.applied_amount, sub_account=invoice.recipient_name)
    entry.credit(journal.ADVANCES_RECEIVED, payment.overpaid_amount, sub_account=invoice.recipient_name)
    entry.post()


def add_credit(customer_id, day: date, amount: int, reason: str, *, payment=None, invoice=None,
                description: str | None = None) -> CustomerCredit:
    credit = CustomerCredit(customer_id=customer_id, entry_date=day, amount=amount, reason=reason,
                            payment_id=payment.id if payment else None,
                            invoice_id=invoice.id if invoice else None,
                            invoice_year=invoice.invoice_year if invoice else None, description=description)
    db.session.add(credit)
    db.session.flush()
    return credit


def credit_balance(customer_id: uuid.UUID) -> int:
    return db.session.scalar(db.select(func.coalesce(func.sum(CustomerCredit.amount), 0)).where(
        CustomerCredit.customer_id == customer_id))


def apply_credit(invoice: Invoice, amount: int, day: date, idempotency_key: str) -> InvoicePayment:
    """Settle (part of) an invoice from the customer's credit (前受金 / 売掛金)."""
    db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                       {"k": f"billing:credit:{invoice.customer_id}"})
    if _by_key(idempotency_key) is None:
        if amount <= 0 or amount > credit_balance(invoice.customer_id):
            raise BillingError("amount", _l("充当額が預り残高を超えています。"))
        if amount > invoice.open_amount:
            raise BillingError("amount", _l("充当額が未入金額を超えています。"))
    payment = record_payment(invoice, paid_on=day, received=amount, idempotency_key=idempotency_key,
                             method="OFFSET", reference="預り金充当")
    if not db.session.scalar(db.select(CustomerCredit.id).where(CustomerCredit.payment_id == payment.id)):
        add_credit(invoice.customer_id, day, -payment.applied_amount, "APPLIED", payment=payment,
                    invoice=invoice, description=invoice.invoice_number)
    return payment


def payments_of(invoice: Invoice) -> list[InvoicePayment]:
    return list(db.session.scalars(db.select(InvoicePayment).where(
        InvoicePayment.invoice_id == invoice.id, InvoicePayment.invoice_year == invoice.invoice_year)
        .order_by(InvoicePayment.paid_on, InvoicePayment.created_at)))


def mark_overdue(today: date) -> int:
    """Issued and partly paid invoices past their due date become overdue (延滞)."""
    return db.session.execute(text(
        "UPDATE billing_context.invoices SET status = 'OVERDUE' WHERE status IN ('ISSUED', 'PARTIALLY_PAID')"
        " AND kind <> 'CREDIT_NOTE' AND due_date < :today AND deleted_at IS NULL"), {"today": today}).rowcount
