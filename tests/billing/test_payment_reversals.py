"""Reversing a payment recorded by mistake (入金取消): a new, negated payment row; the invoice's
paid amount and status go back; the journal gets the reverse entry; the customer's credit is
put back as it was; once.  The invoice: 800,000 + 80,000 tax, issued 2026-10-31, due 2026-11-30."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
import time_machine
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.billing.corrections import cancel_invoice
from app.billing.issue import BillingError
from app.billing.models import Invoice, InvoicePayment
from app.billing.payment_reversals import reversal_of, reverse_payment
from app.billing.payments import apply_credit, credit_balance, payments_of
from app.core.identity import Identity
from app.extensions import db

from .dbcheck import attempt
from .test_payments import _second_invoice, journal, pay

DAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(DAY, tick=False):
        yield


@pytest.fixture
def invoice(system, issued):
    return Invoice.get(issued.invoice.id)


def reverse(payment, reason="誤入金", day=DAY):
    reversal = reverse_payment(payment, reason, day)
    db.session.commit()
    return reversal


def state(invoice):
    db.session.refresh(invoice)
    return invoice.status, invoice.paid_amount, invoice.open_amount


def test_a_full_payment_reversed_reopens_the_invoice(invoice):
    payment = pay(invoice, 880_000)
    reversal = reverse(payment, "別の請求書の入金")
    assert state(invoice) == ("ISSUED", 0, 880_000)
    assert (reversal.received_amount, reversal.applied_amount, reversal.overpaid_amount) == (-880_000, -880_000, 0)
    assert (reversal.reverses_payment_id, reversal.reference, reversal.paid_on) == (payment.id, "別の請求書の入金", DAY)
    assert journal(reversal.id) == [("DEBIT", "売掛金", 880_000), ("CREDIT", "普通預金", 880_000)]
    event = db.session.execute(text("SELECT DISTINCT event_type, entry_date FROM billing_context.accounting_entries"
                                    " WHERE source_id = :s"), {"s": reversal.id}).one()
    assert tuple(event) == ("PAYMENT_REVERSED", DAY)
    assert [p.applied_amount for p in payments_of(invoice)] == [880_000, -880_000]


def test_reversing_the_second_of_two_payments_leaves_the_first(invoice):
    pay(invoice, 500_000)
    second = pay(invoice, 380_000)
    assert state(invoice) == ("PAID", 880_000, 0)
    reverse(second)
    assert state(invoice) == ("PARTIALLY_PAID", 500_000, 380_000)


def test_a_partial_payment_reversed_leaves_the_invoice_issued(invoice):
    reverse(pay(invoice, 500_000))
    assert state(invoice) == ("ISSUED", 0, 880_000)


def test_after_the_due_date_the_reopened_invoice_is_overdue(invoice):
    payment = pay(invoice, 880_000)
    with time_machine.travel(date(2026, 12, 3), tick=False):
        reverse(payment, day=date(2026, 12, 3))
    assert state(invoice) == ("OVERDUE", 0, 880_000)


def test_the_deducted_fee_is_reversed_with_the_payment(invoice):
    payment = pay(invoice, 879_560, fee=440)
    reversal = reverse(payment)
    assert (reversal.received_amount, reversal.fee_amount, reversal.applied_amount) == (-879_560, -440, -880_000)
    assert journal(reversal.id) == [("DEBIT", "売掛金", 880_000), ("CREDIT", "普通預金", 879_560),
                                    ("CREDIT", "売上値引", 440)]


def test_an_overpayment_reversed_takes_its_credit_back(invoice):
    payment = pay(invoice, 900_000)
    assert credit_balance(invoice.customer_id) == 20_000
    reversal = reverse(payment)
    assert credit_balance(invoice.customer_id) == 0 and state(invoice) == ("ISSUED", 0, 880_000)
    assert journal(reversal.id) == [("DEBIT", "売掛金", 880_000), ("DEBIT", "前受金", 20_000),
                                    ("CREDIT", "普通預金", 900_000)]


def test_credit_already_used_must_be_given_back_first(system, make, invoice):
    overpaid = pay(invoice, 900_000)
    september = _second_invoice(make, invoice.customer_id)
    offset = apply_credit(september, 20_000, DAY, "apply-1")
    db.session.commit()
    with pytest.raises(BillingError, match="すでに充当されています"):
        reverse_payment(overpaid, "誤入金", DAY)
    db.session.rollback()
    reversal = reverse(offset, "充当先の誤り")           # the 20,000 goes back to the credit
    assert credit_balance(invoice.customer_id) == 20_000 and state(september)[1] == 0
    assert journal(reversal.id) == [("DEBIT", "売掛金", 20_000), ("CREDIT", "前受金", 20_000)]
    reverse(overpaid)
    assert credit_balance(invoice.customer_id) == 0 and state(invoice) == ("ISSUED", 0, 880_000)


def test_reversing_twice_reverses_once(invoice):
    payment = pay(invoice, 880_000)
    first = reverse(payment)
    assert reverse(payment).id == first.id and reversal_of(payment).id == first.id
    assert state(invoice) == ("ISSUED", 0, 880_000) and len(payments_of(invoice)) == 2
    assert len(journal(first.id)) == 2


@pytest.mark.parametrize("reason, day, field", [
    ("", DAY, "reason"), ("  ", DAY, "reason"), ("誤入金", date(2026, 11, 19), "reversed_on"),
    ("誤入金", date(2026, 11, 27), "reversed_on")])
def test_a_reversal_needs_a_reason_and_a_date_from_the_payment_to_today(invoice, reason, day, field):
    payment = pay(invoice, 880_000)
    with pytest.raises(BillingError) as error:
        reverse_payment(payment, reason, day)
    assert error.value.field == field
    db.session.rollback()
    assert state(invoice) == ("PAID", 880_000, 0) and reversal_of(payment) is None


def test_a_reversal_is_not_reversed(invoice):
    reversal = reverse(pay(invoice, 880_000))
    with pytest.raises(BillingError, match="入金取消の記録"):
        reverse_payment(reversal, "誤り", DAY)


def test_a_cancelled_invoices_payment_stays_as_credit(invoice):
    payment = pay(invoice, 880_000)
    cancel_invoice(invoice, "宛先誤り", DAY)
    db.session.commit()
    with pytest.raises(BillingError, match="取消済みの請求書"):
        reverse_payment(payment, "誤入金", DAY)


# --- what the database allows ----------------------------------------------------------------

@pytest.fixture
def paid(invoice):
    """The invoice paid in full (committed); returns the payment's id."""
    payment_id = pay(invoice, 880_000).id
    db.session.commit()
    return payment_id


REVERSAL = ("INSERT INTO billing_context.invoice_payments (invoice_id, invoice_year, paid_on, received_amount,"
            " applied_amount, reference, reverses_payment_id, idempotency_key)"
            " VALUES (:i, 2026, '2026-11-26', :r, :a, :why, :p, :k)")


@pytest.mark.parametrize("received, applied, why, message", [
    (-800_000, -800_000, "誤入金", "negates exactly one payment"),
    (-880_000, -880_000, "", "ck_invoice_payments_sign"),
    (880_000, 880_000, "誤入金", "negates exactly one payment")])
def test_the_database_accepts_only_an_exact_reversal_with_a_reason(invoice, paid, received, applied, why, message):
    error = attempt(Identity("finance"), REVERSAL, i=invoice.id, r=received, a=applied, why=why, p=paid, k="r1")
    assert isinstance(error, IntegrityError) and message in str(error)


def test_a_payment_is_reversed_once_in_the_database(invoice, paid):
    values = dict(i=invoice.id, r=-880_000, a=-880_000, why="誤入金", p=paid)
    assert attempt(Identity("finance"), REVERSAL, **values, k="r1") is None
    error = attempt(Identity("finance"), REVERSAL, **values, k="r2")
    assert isinstance(error, IntegrityError) and "uq_invoice_payments_reversal" in str(error)


@pytest.mark.parametrize("status, amount", [("ISSUED", 0), ("PARTIALLY_PAID", 500_000), ("OVERDUE", 0)])
def test_the_paid_amount_goes_down_only_by_a_reversing_payment(invoice, paid, status, amount):
    update = "UPDATE billing_context.invoices SET status = :s, paid_amount = :p WHERE id = :i"
    error = attempt(Identity("finance"), update, s=status, p=amount, i=invoice.id)
    assert isinstance(error, IntegrityError) and "only by a reversing payment" in str(error)


def test_after_a_reversal_row_the_invoice_goes_back(invoice, paid):
    assert attempt(Identity("finance"), REVERSAL, i=invoice.id, r=-880_000, a=-880_000, why="誤入金", p=paid,
                   k="r1") is None
    update = "UPDATE billing_context.invoices SET status = :s, paid_amount = :p WHERE id = :i"
    assert isinstance(attempt(Identity("finance"), update, s="ISSUED", p=880_000, i=invoice.id), IntegrityError)
    assert attempt(Identity("finance"), update, s="ISSUED", p=0, i=invoice.id) is None
    history = db.session.execute(text(
        "SELECT action, from_status, to_status, details -> 'paid_amount' FROM billing_context.invoice_status_history"
        " WHERE invoice_id = :i ORDER BY changed_at DESC LIMIT 1"), {"i": invoice.id}).one()
    assert tuple(history) == ("STATUS", "PAID", "ISSUED", [880_000, 0])


def test_payment_rows_stay_as_recorded(invoice, paid):
    for sql in ("UPDATE billing_context.invoice_payments SET applied_amount = 0 WHERE id = :p",
                "DELETE FROM billing_context.invoice_payments WHERE id = :p"):
        assert attempt(Identity("finance"), sql, p=paid) is not None
    assert db.session.get(InvoicePayment, paid).applied_amount == 880_000


# --- the invoice page ------------------------------------------------------------------------

@pytest.fixture
def paid_page(issued, login_as, admin_engine):
    """The invoice paid in full through the form, and a finance user's client."""
    finance = login_as("finance")
    assert finance.post(f"/billing/invoices/{issued.invoice.id}/payments", htmx=True, data={
        "paid_on": "2026-11-20", "received": "880,000", "method": "BANK_TRANSFER",
        "idempotency_key": "form-1"}).status_code == 204
    with admin_engine.connect() as conn:
        payment_id = conn.execute(text("SELECT id FROM billing_context.invoice_payments")).scalar_one()
    return finance, f"/billing/invoices/{issued.invoice.id}", payment_id


def test_a_payment_is_reversed_from_the_invoice_page(paid_page, db_row):
    finance, detail_url, payment_id = paid_page
    url = f"{detail_url}/payments/{payment_id}/reverse"
    assert url in finance.get(detail_url).text
    form_page = finance.get(url)
    assert form_page.status_code == 200 and "hx-confirm=" in form_page.text and "¥880,000" in form_page.text
    missing = finance.post(url, data={"reason": "", "reversed_on": "2026-11-26"}, htmx=True)
    assert missing.status_code == 422 and "取消の理由を入力してください" in missing.text
    assert b"<html" not in missing.data and "HX-Request" in missing.headers["Vary"]
    early = finance.post(url, data={"reason": "誤入金", "reversed_on": "2026-11-19"}, htmx=True)
    assert early.status_code == 422 and "取消日が入金日より前です" in early.text
    assert db_row("SELECT count(*) FROM billing_context.invoice_payments")[0] == 1
    done = finance.post(url, data={"reason": "別の顧客の入金", "reversed_on": "2026-11-26"}, htmx=True)
    assert done.status_code == 204 and done.headers["HX-Redirect"].endswith(detail_url)
    assert tuple(db_row("SELECT status, paid_amount FROM billing_context.invoices")) == ("ISSUED", 0)
    page = finance.get(detail_url).text
    assert "入金取消" in page and "別の顧客の入金" in page and "-¥880,000" in page and "取消済" in page
    assert url not in page


def test_another_invoices_payment_id_answers_404(paid_page, issued):
    finance, detail_url, _ = paid_page
    assert finance.get(f"{detail_url}/payments/{uuid.uuid4()}/reverse").status_code == 404


def test_only_finance_reverses(paid_page, login_as, db_row):
    _, detail_url, payment_id = paid_page
    response = login_as("project_manager").post(f"{detail_url}/payments/{payment_id}/reverse",
                                                 data={"reason": "誤入金", "reversed_on": "2026-11-26"})
    assert response.status_code in (403, 404)
    assert db_row("SELECT status FROM billing_context.invoices")[0] == "PAID"


def test_the_customer_sees_the_reversal_in_its_payment_history(paid_page, issued, login_as):
    finance, detail_url, payment_id = paid_page
    finance.post(f"{detail_url}/payments/{payment_id}/reverse", data={"reason": "誤入金", "reversed_on": "2026-11-26"})
    page = login_as("customer", customer_id=issued.customer).get(f"/billing/portal/invoices/{issued.invoice.id}")
    assert page.status_code == 200 and "-¥880,000（入金取消）" in page.text.replace(" ", "")
