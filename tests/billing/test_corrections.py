"""Credit notes and reissues: the original stays as it was, linked documents correct it, and no
hour is billed twice or lost."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.billing.corrections import cancel_invoice, reissue_invoice
from app.billing.issue import BillingError, invoice_lines
from app.billing.models import Invoice
from app.billing.payments import credit_balance, record_payment
from app.billing.run import bill_customer, customers_to_bill
from app.core.calendar import BusinessCalendar
from app.extensions import db

DAY = date(2026, 11, 26)


@pytest.fixture
def invoice(system, issued):
    return Invoice.get(issued.invoice.id)


def active_lines():
    return db.session.execute(text(
        "SELECT count(*) FROM billing_context.invoice_billing_items WHERE item_type = 'SETTLEMENT'"
        " AND timesheet_id IS NOT NULL AND released_at IS NULL")).scalar()


def test_a_credit_note_cancels_the_invoice_and_frees_its_hours(invoice):
    credit_note = cancel_invoice(invoice, "請求先の誤り", DAY)
    db.session.commit()
    assert (credit_note.kind, credit_note.status, credit_note.original_invoice_id) == (
        "CREDIT_NOTE", "ISSUED", invoice.id)
    assert (credit_note.subtotal_amount, credit_note.tax_amount, credit_note.total_amount) == (
        -800_000, -80_000, -880_000)
    assert credit_note.invoice_number == "INV-2026-000002" and credit_note.notes == "請求先の誤り"
    assert [line.credited_item_id for line in invoice_lines(credit_note)] == [
        line.id for line in invoice_lines(invoice)]
    assert invoice.status == "CANCELLED" and invoice.total_amount == 880_000     # the original is kept
    assert active_lines() == 0
    assert customers_to_bill(2026, 10) == [invoice.customer_id]                 # billable again
    entries = db.session.execute(text(
        "SELECT side, account, amount FROM billing_context.accounting_entries WHERE source_id = :c"
        " ORDER BY line_no"), {"c": credit_note.id}).all()
    assert [tuple(e) for e in entries] == [("DEBIT", "売上高", 800_000), ("DEBIT", "仮受消費税", 80_000),
                                           ("CREDIT", "売掛金", 880_000)]


def test_the_next_run_bills_the_cancelled_hours_once(invoice):
    cancel_invoice(invoice, "取消", DAY)
    db.session.commit()
    (again,) = bill_customer(invoice.customer_id, 2026, 10, calendar=BusinessCalendar(), issue_date=DAY)
    assert again.total_amount == 880_000 and active_lines() == 1
    assert bill_customer(invoice.customer_id, 2026, 10, calendar=BusinessCalendar(), issue_date=DAY) == []


def test_a_reissue_bills_the_same_hours_with_current_data_and_links_the_original(invoice, admin_engine):
    with admin_engine.begin() as conn:       # the contract price was wrong: corrected by an amendment
        conn.execute(text(
            "INSERT INTO contract_context.contract_amendments (contract_id, effective_from, reason, changes,"
            " terms) SELECT id, '2026-10-01', '単価訂正', '{}', '{\"monthly_price\": 820000}'"
            " FROM contract_context.contracts"))
    credit_note, new = reissue_invoice(invoice, "単価の誤りによる再発行", DAY)
    db.session.commit()
    assert (new.kind, new.status, new.original_invoice_id) == ("REISSUE", "ISSUED", invoice.id)
    assert new.total_amount == 902_000 and new.invoice_number == "INV-2026-000003"
    assert [line.timesheet_id for line in invoice_lines(new)] == [
        line.timesheet_id for line in invoice_lines(invoice)]
    assert active_lines() == 1
    assert bill_customer(invoice.customer_id, 2026, 10, calendar=BusinessCalendar(), issue_date=DAY) == []


def test_money_already_received_moves_to_the_reissued_invoice(invoice):
    record_payment(invoice, paid_on=DAY, received=880_000, idempotency_key="p1")
    _, new = reissue_invoice(invoice, "宛名の誤り", DAY)
    db.session.commit()
    assert (new.status, new.paid_amount) == ("PAID", 880_000)
    assert credit_balance(invoice.customer_id) == 0


def test_a_cancelled_paid_invoice_leaves_a_credit(invoice):
    record_payment(invoice, paid_on=DAY, received=880_000, idempotency_key="p1")
    cancel_invoice(invoice, "二重請求", DAY)
    db.session.commit()
    assert credit_balance(invoice.customer_id) == 880_000


def test_cancelling_needs_a_reason_and_happens_once(invoice):
    with pytest.raises(BillingError) as error:
        cancel_invoice(invoice, " ", DAY)
    assert error.value.field == "reason"
    credit_note = cancel_invoice(invoice, "取消", DAY)
    with pytest.raises(BillingError):
        cancel_invoice(invoice, "取消", DAY)
    with pytest.raises(BillingError):
        cancel_invoice(credit_note, "取消", DAY)


def test_an_adjustment_on_a_cancelled_invoice_is_billed_again(system, make, issued):
    user = make.user()
    make.adjustment(issued.timesheet, 2026, 10, issued.contract, 25 * 60, user, apply=(2026, 11))
    make.closed_month(issued.contract, 2026, 11, 160 * 60)
    (november,) = bill_customer(issued.customer, 2026, 11, calendar=BusinessCalendar(), issue_date=DAY)
    assert [line.amount for line in invoice_lines(november)] == [800_000, 22_200]   # 185h: 5h x 4,440
    _, new = reissue_invoice(november, "再発行", DAY)
    assert [line.amount for line in invoice_lines(new)] == [800_000, 22_200]
    assert db.session.execute(text("SELECT status FROM timesheet_context.timesheet_adjustments")).scalar() == "BILLED"
