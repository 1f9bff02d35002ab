"""What the database itself guarantees about issued invoices (電子帳簿保存法): frozen amounts,
lines and PDF, the status flow, the audit trail, no hour billed twice, a balanced journal.
Every statement runs as an application role (finance or admin), never as the owner."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, ProgrammingError

from app.core.identity import Identity, acting_as
from app.extensions import db

from .dbcheck import attempt


@pytest.fixture
def finance(issued):
    return Identity("finance", issued.finance)


ADMIN = Identity("admin")


@pytest.mark.parametrize("change", [
    "total_amount = 1", "subtotal_amount = 700000, tax_amount = 70000, total_amount = 770000",
    "invoice_date = '2026-11-01'", "due_date = '2027-01-31'", "recipient_name = '別会社'",
    "invoice_number = 'INV-2026-999999'", "notes = '後から追記'", "billing_details = '{}'",
])
@pytest.mark.parametrize("who", ["finance", "admin"])
def test_an_issued_invoice_cannot_be_changed(issued, finance, change, who):
    error = attempt(finance if who == "finance" else ADMIN,
                    f"UPDATE billing_context.invoices SET {change} WHERE id = :i", i=issued.invoice.id)
    assert isinstance(error, IntegrityError) and "cannot be changed" in str(error)


def test_its_lines_cannot_be_added_changed_or_removed(issued, finance):
    params = {"i": issued.invoice.id}
    for sql in ("UPDATE billing_context.invoice_billing_items SET amount = 1 WHERE invoice_id = :i",
                "DELETE FROM billing_context.invoice_billing_items WHERE invoice_id = :i",
                "UPDATE billing_context.invoice_billing_items SET released_at = now() WHERE invoice_id = :i",
                "INSERT INTO billing_context.invoice_billing_items (invoice_id, invoice_year, line_no,"
                " item_type, description, amount) VALUES (:i, 2026, 2, 'OTHER', '追加', 1000)"):
        error = attempt(finance, sql, **params)
        assert isinstance(error, IntegrityError) and "lines of an issued invoice" in str(error), sql


def test_an_issued_invoice_is_never_deleted(issued, finance):
    error = attempt(finance, "DELETE FROM billing_context.invoices WHERE id = :i", i=issued.invoice.id)
    assert isinstance(error, IntegrityError) and "never deleted" in str(error)


def test_the_pdf_is_stored_once_with_its_hash(issued, finance):
    pdf, other = b"%PDF-1.7 first", b"%PDF-1.7 second"
    sql = "UPDATE billing_context.invoices SET pdf = :p, pdf_sha256 = :h WHERE id = :i"
    i = issued.invoice.id
    assert "does not match" in str(attempt(finance, sql, p=pdf, h="0" * 64, i=i))
    assert attempt(finance, sql, p=pdf, h=hashlib.sha256(pdf).hexdigest(), i=i) is None
    assert "never changes" in str(attempt(finance, sql, p=other, h=hashlib.sha256(other).hexdigest(), i=i))
    assert "never changes" in str(attempt(finance, "UPDATE billing_context.invoices SET pdf = NULL,"
                                                   " pdf_sha256 = NULL WHERE id = :i", i=i))


@pytest.mark.parametrize("status, paid, allowed", [
    ("DRAFT", 0, False), ("PAID", 0, False), ("PAID", 880_000, True), ("PARTIALLY_PAID", 500_000, True),
    ("PARTIALLY_PAID", 0, False), ("OVERDUE", 0, True), ("CANCELLED", 0, False)])
def test_status_follows_the_flow(issued, finance, status, paid, allowed):
    error = attempt(finance, "UPDATE billing_context.invoices SET status = :s, paid_amount = :p WHERE id = :i",
                    s=status, p=paid, i=issued.invoice.id)
    assert (error is None) == allowed, error


def test_only_settled_invoices_are_archived(issued, finance):
    archive = "UPDATE billing_context.invoices SET deleted_at = now() WHERE id = :i"
    assert "only settled" in str(attempt(finance, archive, i=issued.invoice.id))
    assert attempt(finance, "UPDATE billing_context.invoices SET status = 'PAID', paid_amount = 880000"
                            " WHERE id = :i", i=issued.invoice.id) is None
    assert attempt(ADMIN, "SELECT public.archive_old_data('2030-01-01')") is None
    with acting_as(ADMIN):
        archived = db.session.execute(text(
            "SELECT deleted_at IS NOT NULL FROM billing_context.invoices WHERE id = :i"),
            {"i": issued.invoice.id}).scalar()
    assert archived


def test_every_change_is_in_the_audit_trail(issued, finance):
    attempt(finance, "UPDATE billing_context.invoices SET status = 'PARTIALLY_PAID', paid_amount = 500000"
                     " WHERE id = :i", i=issued.invoice.id)
    with acting_as(finance):
        rows = db.session.execute(text(
            "SELECT action, from_status, to_status, changed_by_role FROM billing_context.invoice_status_history"
            " WHERE invoice_id = :i ORDER BY changed_at"), {"i": issued.invoice.id}).all()
    assert [tuple(r[:3]) for r in rows] == [("CREATED", None, "DRAFT"), ("STATUS", "DRAFT", "ISSUED"),
                                            ("STATUS", "ISSUED", "PARTIALLY_PAID")]
    assert rows[-1].changed_by_role == "finance"


def test_nobody_edits_the_audit_trail(issued, finance):
    for sql in ("UPDATE billing_context.invoice_status_history SET to_status = 'PAID'",
                "DELETE FROM billing_context.invoice_status_history",
                "INSERT INTO billing_context.invoice_status_history (invoice_id, invoice_year, action, to_status)"
                " VALUES (:i, 2026, 'STATUS', 'PAID')"):
        for who in (finance, ADMIN):
            error = attempt(who, sql, i=issued.invoice.id)
            assert isinstance(error, (ProgrammingError, IntegrityError)), (sql, who)


def test_a_timesheet_is_never_on_two_active_lines(issued, finance):
    draft = uuid.uuid4()
    assert attempt(finance, """
        INSERT INTO billing_context.invoices (id, invoice_year, invoice_month, issuer_id, customer_id,
            billing_period_start, billing_period_end, recipient_name, issuer_name,
            issuer_registration_number, tax_rounding)
        VALUES (:d, 2026, 10, :iss, :c, '2026-10-01', '2026-10-31', 'x', 'y', 'T4011001098993', 'FLOOR')""",
        d=draft, iss=issued.issuer, c=issued.customer) is None
    error = attempt(finance, """
        INSERT INTO billing_context.invoice_billing_items (invoice_id, invoice_year, line_no, item_type,
            contract_id, timesheet_id, period_year, period_month, description, amount)
        VALUES (:d, 2026, 1, 'SETTLEMENT', :k, :t, 2026, 10, '二重請求', 800000)""",
        d=draft, k=issued.contract, t=issued.timesheet)
    assert isinstance(error, IntegrityError) and "uq_invoice_billing_items_active_timesheet" in str(error)


def test_an_unbalanced_journal_entry_is_refused_at_commit(issued, finance):
    entry = uuid.uuid4()
    error = attempt(finance, """
        INSERT INTO billing_context.accounting_entries (entry_id, entry_number, entry_date, event_type,
            line_no, side, account, amount, source_type, source_id)
        VALUES (:e, 1, '2026-10-31', 'MANUAL', 1, 'DEBIT', '売掛金', 1000, 'manual', :e),
               (:e, 1, '2026-10-31', 'MANUAL', 2, 'CREDIT', '売上高', 999, 'manual', :e)""", e=entry)
    assert error is not None and "does not balance" in str(error)


def test_posted_journal_lines_are_never_changed(issued, finance):
    for sql in ("UPDATE billing_context.accounting_entries SET amount = amount + 1",
                "DELETE FROM billing_context.accounting_entries"):
        for who in (finance, ADMIN):
            assert attempt(who, sql) is not None, (sql, who)


def test_a_line_names_the_month_of_the_timesheet_it_bills(issued, finance):
    draft = uuid.uuid4()
    attempt(finance, """
        INSERT INTO billing_context.invoices (id, invoice_year, invoice_month, issuer_id, customer_id,
            billing_period_start, billing_period_end, recipient_name, issuer_name,
            issuer_registration_number, tax_rounding)
        VALUES (:d, 2026, 11, :iss, :c, '2026-11-01', '2026-11-30', 'x', 'y', 'T4011001098993', 'FLOOR')""",
        d=draft, iss=issued.issuer, c=issued.customer)
    line = ("INSERT INTO billing_context.invoice_billing_items (invoice_id, invoice_year, line_no, item_type,"
            " contract_id, timesheet_id, period_year, period_month, description, amount)"
            " VALUES (:d, 2026, 1, 'ADJUSTMENT', :k, :t, 2026, :m, '調整', 1000)")
    wrong_month = attempt(finance, line, d=draft, k=issued.contract, t=issued.timesheet, m=9)
    assert isinstance(wrong_month, IntegrityError) and "does not exist in 2026-9" in str(wrong_month)
    assert attempt(finance, line, d=draft, k=issued.contract, t=issued.timesheet, m=10) is None
