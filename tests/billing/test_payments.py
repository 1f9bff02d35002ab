"""Payments: full, partial, several, fee deducted by the payer, overpayment held as credit,
idempotent; journal entries of DOMAIN.md §6; overdue marking."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.billing.issue import BillingError
from app.billing.models import Invoice
from app.billing.payments import (
    apply_credit,
    credit_balance,
    mark_overdue,
    payments_of,
    record_payment,
)
from app.extensions import db

PAID_ON = date(2026, 11, 20)


def journal(source_id):
    return [tuple(r) for r in db.session.execute(text(
        "SELECT side, account, amount FROM billing_context.accounting_entries WHERE source_id = :s"
        " ORDER BY entry_number, line_no"), {"s": source_id})]


def pay(invoice, received, fee=0, key=None, **kw):
    payment = record_payment(invoice, paid_on=kw.pop("paid_on", PAID_ON), received=received, fee=fee,
                             idempotency_key=key or f"k-{received}-{fee}", **kw)
    db.session.commit()
    return payment


@pytest.fixture
def invoice(system, issued):
    return Invoice.get(issued.invoice.id)


def test_paid_in_full(invoice):
    payment = pay(invoice, 880_000)
    assert (invoice.status, invoice.paid_amount, invoice.open_amount) == ("PAID", 880_000, 0)
    assert journal(payment.id) == [("DEBIT", "普通預金", 880_000), ("CREDIT", "売掛金", 880_000)]


def test_partial_then_the_rest(invoice):
    first = pay(invoice, 500_000)
    assert (invoice.status, invoice.open_amount) == ("PARTIALLY_PAID", 380_000)
    assert journal(first.id) == [("DEBIT", "普通預金", 500_000), ("CREDIT", "売掛金", 500_000)]
    pay(invoice, 380_000)
    assert invoice.status == "PAID" and len(payments_of(invoice)) == 2


def test_the_client_deducted_the_transfer_fee(invoice):
    payment = pay(invoice, 879_560, fee=440)
    assert invoice.status == "PAID" and payment.applied_amount == 880_000
    assert journal(payment.id) == [("DEBIT", "普通預金", 879_560), ("DEBIT", "売上値引", 440),
                                   ("CREDIT", "売掛金", 880_000)]


def test_an_overpayment_is_held_as_credit_and_settles_the_next_invoice(invoice):
    payment = pay(invoice, 900_000)
    assert (payment.applied_amount, payment.overpaid_amount, invoice.status) == (880_000, 20_000, "PAID")
    assert credit_balance(invoice.customer_id) == 20_000
    assert journal(payment.id) == [("DEBIT", "普通預金", 900_000), ("CREDIT", "売掛金", 880_000),
                                   ("CREDIT", "前受金", 20_000)]


def test_the_same_form_submitted_twice_records_one_payment(invoice):
    first = pay(invoice, 500_000, key="form-token-1")
    second = pay(invoice, 500_000, key="form-token-1")
    assert first.id == second.id and invoice.paid_amount == 500_000 and len(payments_of(invoice)) == 1


@pytest.mark.parametrize("kwargs, field", [
    ({"received": -1}, "received"), ({"received": 0}, "received"), ({"received": 1, "fee": 880_001}, "fee"),
    ({"received": 1, "paid_on": date(2026, 10, 1)}, "paid_on"),
    ({"received": 1, "paid_on": date(2099, 1, 1)}, "paid_on")])
def test_impossible_payments_are_refused_with_the_field(invoice, kwargs, field):
    with pytest.raises(BillingError) as error:
        record_payment(invoice, paid_on=kwargs.pop("paid_on", PAID_ON), idempotency_key="x", **kwargs)
    assert error.value.field == field
    db.session.rollback()
    assert payments_of(invoice) == []


def test_no_payment_on_a_paid_invoice(invoice):
    pay(invoice, 880_000)
    with pytest.raises(BillingError):
        pay(invoice, 1, key="again")


def test_credit_is_applied_to_another_invoice(system, make, invoice):
    pay(invoice, 900_000)
    issued = _second_invoice(make, invoice.customer_id)
    applied = apply_credit(issued, 20_000, date(2026, 11, 25), "apply-1")
    db.session.commit()
    assert (issued.paid_amount, credit_balance(invoice.customer_id)) == (20_000, 0)
    assert journal(applied.id) == [("DEBIT", "前受金", 20_000), ("CREDIT", "売掛金", 20_000)]
    with pytest.raises(BillingError, match="預り残高"):
        apply_credit(issued, 1, date(2026, 11, 25), "apply-2")


def _second_invoice(make, customer_id):
    from app.billing.run import bill_customer
    from app.core.calendar import BusinessCalendar

    contract = db.session.execute(text("SELECT id FROM contract_context.contracts")).scalar()
    make.closed_month(contract, 2026, 9, 160 * 60)
    (invoice,) = bill_customer(customer_id, 2026, 9, calendar=BusinessCalendar(), issue_date=date(2026, 9, 30))
    db.session.commit()
    return invoice


def test_overdue_invoices_are_marked_and_a_late_partial_payment_keeps_them_overdue(invoice):
    assert mark_overdue(date(2026, 11, 30)) == 0          # due today: not yet late
    assert mark_overdue(date(2026, 12, 1)) == 1
    db.session.commit()
    db.session.refresh(invoice)
    assert invoice.status == "OVERDUE"
    pay(invoice, 100_000, paid_on=date(2026, 11, 26))
    assert (invoice.status, invoice.paid_amount) == ("OVERDUE", 100_000)
    pay(invoice, 780_000, paid_on=date(2026, 11, 26))
    assert invoice.status == "PAID"
