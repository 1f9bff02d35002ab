"""Money under concurrency: the same payment submitted twenty times at once is recorded once;
ten invoice runs of one month at once bill every closed month exactly once, with invoice numbers
unique and without gaps; the books balance afterwards."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import text

from app.core.identity import SYSTEM, acting_as
from app.extensions import db
from tests.integrity.support import at_once, bill_month_ready, row, scalar, unbalanced_entries


def test_ten_invoice_runs_at_once_bill_each_month_once_with_gap_free_numbers(app, make, admin_engine):
    from app.billing.batch import run_invoices

    bill_month_ready(make, customers=6)

    def run(_):
        with app.app_context(), acting_as(SYSTEM):
            outcome = run_invoices(2026, 10, render_pdfs=False)
            status = outcome.status
            db.session.remove()
            return status

    outcomes = at_once(10, run)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert scalar(admin_engine, "SELECT count(*) FROM billing_context.invoice_billing_items") == 12
    assert scalar(admin_engine, "SELECT count(DISTINCT timesheet_id) FROM billing_context.invoice_billing_items") == 12
    numbers = scalar(admin_engine, "SELECT array_agg(invoice_number ORDER BY invoice_number)"
                                    " FROM billing_context.invoices WHERE kind = 'INVOICE'")
    assert numbers == [f"INV-2026-{n:06d}" for n in range(1, len(numbers) + 1)]
    assert len(numbers) == len(set(numbers)) >= 6
    assert unbalanced_entries(admin_engine) == 0


@pytest.fixture
def invoice(app, make):
    from app.billing.batch import run_invoices

    make.issuer()
    customer = make.customer("入金商事株式会社")
    make.closed_month(make.contract(customer, make.engineer("入金 太郎")), 2026, 10, 160 * 60)
    with acting_as(SYSTEM):
        run_invoices(2026, 10, render_pdfs=False)
        db.session.commit()
        row = db.session.execute(text(
            "SELECT id, total_amount FROM billing_context.invoices WHERE kind = 'INVOICE'")).one()
        db.session.rollback()
    return row


def _finance_with_its_page_open(login_as):
    """A logged-in clerk whose page already holds its CSRF token (else each racing request would
    mint a token of its own in the test client's shared cookie jar)."""
    finance = login_as("finance")
    finance.ensure_csrf_token()
    return finance


def _submit_twenty(invoice, login_as) -> list:
    finance = _finance_with_its_page_open(login_as)
    form = {"idempotency_key": str(uuid.uuid4()), "paid_on": date.today().isoformat(),
            "received": str(invoice.total_amount), "fee": "0", "method": "BANK_TRANSFER",
            "payer_name": "ニュウキンショウジ"}
    return at_once(20, lambda _: finance.post(f"/billing/invoices/{invoice.id}/payments", data=form,
                                               htmx=True))


def test_twenty_identical_payment_submissions_record_one_payment(invoice, login_as, admin_engine):
    """The invoice row is locked before the key or the invoice is read: the twenty requests run
    one after the other, the first records the payment, the nineteen repeats get it back."""
    responses = _submit_twenty(invoice, login_as)
    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert [r.status_code for r in responses] == [204] * 20       # no 500, no refusal of the repeat
    assert {r.headers["HX-Redirect"] for r in responses} == {f"/billing/invoices/{invoice.id}"}
    assert scalar(admin_engine, "SELECT count(*) FROM billing_context.invoice_payments") == 1
    paid, status = row(admin_engine, "SELECT paid_amount, status FROM billing_context.invoices WHERE id = :i",
                        i=invoice.id)
    assert (paid, status) == (invoice.total_amount, "PAID")
    assert scalar(admin_engine, "SELECT count(*) FROM billing_context.customer_credits") == 0
    assert scalar(admin_engine, "SELECT count(DISTINCT entry_id) FROM billing_context.accounting_entries"
                                 " WHERE event_type = 'PAYMENT_RECEIVED'") == 1
    assert unbalanced_entries(admin_engine) == 0


def test_a_repeated_submission_says_it_recorded_nothing_new(invoice, login_as, admin_engine):
    finance = login_as("finance")
    form = {"idempotency_key": str(uuid.uuid4()), "paid_on": date.today().isoformat(),
            "received": "1000", "fee": "0", "method": "BANK_TRANSFER"}
    url = f"/billing/invoices/{invoice.id}/payments"
    assert finance.post(url, data=form).status_code == 303
    assert "入金を記録しました" in finance.get(f"/billing/invoices/{invoice.id}").text
    assert finance.post(url, data=form).status_code == 303
    assert "この入金はすでに記録されています" in finance.get(f"/billing/invoices/{invoice.id}").text
    assert scalar(admin_engine, "SELECT count(*) FROM billing_context.invoice_payments") == 1
    assert scalar(admin_engine, "SELECT paid_amount FROM billing_context.invoices WHERE id = :i",
                   i=invoice.id) == 1000


def test_racing_payments_under_different_keys_are_refused_with_a_message(invoice, login_as, admin_engine):
    """Two clerks record the full amount at once from two forms: one is recorded, the other is
    told the invoice is no longer open (422 at the form, not a server error)."""
    finance = _finance_with_its_page_open(login_as)

    def submit(_):
        form = {"idempotency_key": str(uuid.uuid4()), "paid_on": date.today().isoformat(),
                "received": str(invoice.total_amount), "fee": "0", "method": "BANK_TRANSFER"}
        return finance.post(f"/billing/invoices/{invoice.id}/payments", data=form, htmx=True)

    responses = at_once(6, submit)
    assert sorted(r.status_code for r in responses) == [204] + [422] * 5
    assert all("この請求書は入金を記録できる状態ではありません" in r.text for r in responses if r.status_code == 422)
    assert scalar(admin_engine, "SELECT count(*) FROM billing_context.invoice_payments") == 1
    assert unbalanced_entries(admin_engine) == 0


def test_twenty_different_payments_at_once_never_exceed_the_invoice(invoice, app, admin_engine):
    """Twenty clerks each record the full amount under their own key: the invoice is paid once,
    the rest is refused or held as the customer's credit -- never counted twice."""
    from app.billing.issue import BillingError
    from app.billing.models import Invoice
    from app.billing.payments import record_payment

    def pay(n):
        with app.app_context(), acting_as(SYSTEM):
            target = db.session.get(Invoice, {"id": invoice.id, "invoice_year": 2026})
            record_payment(target, paid_on=date.today(), received=invoice.total_amount,
                           idempotency_key=f"clerk-{n}")
            db.session.commit()
            db.session.remove()
            return "ok"

    outcomes = at_once(20, pay)
    assert outcomes.count("ok") == 1, outcomes      # the others: refused by the service, with its message
    assert all(isinstance(o, BillingError) and o.field is None for o in outcomes if o != "ok"), outcomes
    paid, total = (scalar(admin_engine, f"SELECT {c} FROM billing_context.invoices WHERE id = :i", i=invoice.id)
                   for c in ("paid_amount", "total_amount"))
    applied = scalar(admin_engine, "SELECT coalesce(sum(applied_amount), 0) FROM billing_context.invoice_payments")
    assert paid == applied <= total
    assert unbalanced_entries(admin_engine) == 0
