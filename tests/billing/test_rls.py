"""Row level security of the billing tables, queried as each role: a customer sees only its own
company's issued invoices (never drafts), a partner only its own payment notices."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from app.billing.purchases import bill_partner
from app.billing.run import bill_customer
from app.core.calendar import BusinessCalendar
from app.core.identity import Identity, acting_as
from app.extensions import db


def ids(identity, sql):
    db.session.rollback()
    with acting_as(identity):
        try:
            return {row[0] for row in db.session.execute(text(sql))}
        finally:
            db.session.rollback()


def denied(identity, sql):
    db.session.rollback()
    with acting_as(identity):
        try:
            db.session.execute(text(sql)).all()
        except ProgrammingError as error:
            return "permission denied" in str(error)
        finally:
            db.session.rollback()
    return False


@pytest.fixture
def two(system, make):
    """Two customers with an issued invoice each, a draft for the first, two partners."""
    from types import SimpleNamespace

    w = SimpleNamespace()
    make.issuer()
    w.c1, w.c2 = make.customer("一号商事"), make.customer("二号システム")
    w.p1, w.p2 = make.partner("ビーピー一号"), make.partner("ビーピー二号")
    for customer, partner in ((w.c1, w.p1), (w.c2, w.p2)):
        engineer = make.engineer(partner_id=partner)
        sell = make.contract(customer, engineer)
        make.buy_contract(sell, partner, engineer, customer, monthly_price=600_000)
        make.closed_month(sell, 2026, 10, 160 * 60)
    calendar = BusinessCalendar()
    w.i1 = bill_customer(w.c1, 2026, 10, calendar=calendar, issue_date=date(2026, 10, 31))[0].id
    w.i2 = bill_customer(w.c2, 2026, 10, calendar=calendar, issue_date=date(2026, 10, 31))[0].id
    w.s1 = bill_partner(w.p1, 2026, 10, calendar=calendar, issue_date=date(2026, 10, 31))[0].id
    w.s2 = bill_partner(w.p2, 2026, 10, calendar=calendar, issue_date=date(2026, 10, 31))[0].id
    db.session.execute(text(
        "INSERT INTO billing_context.invoices (invoice_year, invoice_month, issuer_id, customer_id,"
        " billing_period_start, billing_period_end, recipient_name, issuer_name, issuer_registration_number,"
        " tax_rounding) SELECT 2026, 11, id, :c, '2026-11-01', '2026-11-30', 'x', 'y', registration_number,"
        " 'FLOOR' FROM billing_context.issuers"), {"c": w.c1})
    db.session.commit()
    w.customer1 = Identity("customer", customer_id=w.c1)
    w.customer2 = Identity("customer", customer_id=w.c2)
    w.partner1 = Identity("partner", partner_company_id=w.p1)
    return w


INVOICES = "SELECT id FROM billing_context.invoices"


def test_a_customer_sees_its_own_issued_invoices_and_their_lines(two):
    assert ids(two.customer1, INVOICES) == {two.i1}
    assert ids(two.customer2, INVOICES) == {two.i2}
    assert ids(two.customer1, "SELECT invoice_id FROM billing_context.invoice_billing_items") == {two.i1}
    assert ids(two.customer1, "SELECT invoice_id FROM billing_context.invoice_status_history") == {two.i1}


@pytest.mark.parametrize("table", ["accounting_entries", "invoice_runs", "issuers", "invoice_extras",
                                   "purchase_statements", "purchase_payments", "invoice_number_sequences"])
def test_a_customer_reads_nothing_else_of_billing(two, table):
    assert denied(two.customer1, f"SELECT id FROM billing_context.{table}")


def test_a_customer_changes_nothing(two):
    db.session.rollback()
    with acting_as(two.customer1), pytest.raises(ProgrammingError, match="permission denied"):
        db.session.execute(text("UPDATE billing_context.invoices SET notes = 'x'"))
    db.session.rollback()


def test_a_partner_sees_only_its_own_payment_notices(two):
    assert ids(two.partner1, "SELECT id FROM billing_context.purchase_statements") == {two.s1}
    assert ids(two.partner1, "SELECT statement_id FROM billing_context.purchase_statement_lines") == {two.s1}
    assert denied(two.partner1, INVOICES)


def test_an_engineer_sees_no_billing_at_all(two):
    engineer = Identity("engineer")
    for table in ("invoices", "invoice_billing_items", "purchase_statements", "accounting_entries"):
        assert denied(engineer, f"SELECT id FROM billing_context.{table}")


def test_a_project_manager_reads_issued_invoices_but_not_money_movements(two):
    pm = Identity("project_manager")
    assert ids(pm, INVOICES) == {two.i1, two.i2}
    assert denied(pm, "SELECT id FROM billing_context.invoice_payments")
    assert denied(pm, "SELECT id FROM billing_context.accounting_entries")


def test_finance_sees_drafts_too(two):
    assert len(ids(Identity("finance"), INVOICES)) == 3
