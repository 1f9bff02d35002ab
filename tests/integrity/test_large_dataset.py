"""The large benchmark dataset, loaded at 1 % into the test database: it respects the schema
(constraints, cross-context references, partitions), its books add up, it is deterministic, and
its users of every role can log in and see what their policies allow."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.core.demo import DEMO_PASSWORD
from app.core.scale import load_large
from app.core.scale.copying import broken_references

TODAY = date(2026, 11, 20)


@pytest.fixture
def large(app, admin_engine):
    messages = []
    assert load_large(seed=7, echo=messages.append, factor=0.01, today=TODAY)
    return messages


def scalar(admin_engine, sql: str, **params):
    with admin_engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def test_counts_follow_the_plan(large, admin_engine):
    count = lambda table: scalar(admin_engine, f"SELECT count(*) FROM {table}")  # noqa: E731
    assert count("engineer_context.engineers") == 50
    assert count("project_context.customers") == 8
    assert count("project_context.projects") == 30
    assert 55 <= count("contract_context.contracts") <= 64
    assert count("notification_context.notifications") == 20_000
    assert count("timesheet_context.daily_attendances") > 15_000
    assert count("billing_context.invoices") > 400
    # every month of the two-year window has its partition, and rows landed in them
    assert scalar(admin_engine, "SELECT count(DISTINCT period_month) FROM timesheet_context.timesheets") == 12
    assert any("daily_attendances" in m for m in large)


def test_references_and_foreign_keys_hold(large, admin_engine):
    with admin_engine.connect() as conn:
        assert broken_references(conn.connection.driver_connection) == []


def test_timesheets_add_up_their_days(large, admin_engine):
    assert scalar(admin_engine, """
        SELECT count(*) FROM timesheet_context.timesheets t
        WHERE t.worked_minutes <> (SELECT coalesce(sum(d.worked_minutes), 0)
                                   FROM timesheet_context.daily_attendances d WHERE d.timesheet_id = t.id)""") == 0
    # the current month is a draft, closed months are closed
    assert scalar(admin_engine, "SELECT DISTINCT status FROM timesheet_context.timesheets"
                                " WHERE period_year = 2026 AND period_month = 11") == "DRAFT"
    assert scalar(admin_engine, "SELECT count(*) FROM timesheet_context.timesheets"
                                " WHERE make_date(period_year, period_month, 1) < '2026-10-01' AND status <> 'APPROVED'") == 0


def test_invoices_add_up_and_are_numbered_without_gaps(large, admin_engine):
    assert scalar(admin_engine, """
        SELECT count(*) FROM billing_context.invoices i
        WHERE i.subtotal_amount <> (SELECT sum(l.amount) FROM billing_context.invoice_billing_items l
                                    WHERE l.invoice_id = i.id)
           OR i.tax_amount <> floor(i.subtotal_amount * 10 / 100.0)
           OR i.paid_amount <> (SELECT coalesce(sum(p.applied_amount), 0) FROM billing_context.invoice_payments p
                                WHERE p.invoice_id = i.id)
           OR (i.status = 'PAID') <> (i.paid_amount = i.total_amount)""") == 0
    assert scalar(admin_engine, """
        SELECT count(*) FROM (
            SELECT invoice_year, count(*) AS n, max(split_part(invoice_number, '-', 3)::int) AS top
            FROM billing_context.invoices GROUP BY issuer_id, invoice_year) y
        JOIN billing_context.invoice_number_sequences s ON s.year = y.invoice_year
        WHERE y.n <> y.top OR s.last_number <> y.n""") == 0
    # each approved timesheet billed once, to the customer of its contract; last month not yet
    assert scalar(admin_engine, """
        SELECT count(*) FROM (SELECT timesheet_id FROM billing_context.invoice_billing_items
                              GROUP BY timesheet_id HAVING count(*) > 1) twice""") == 0
    assert scalar(admin_engine, """
        SELECT count(*) FROM billing_context.invoice_billing_items l
        JOIN billing_context.invoices i ON i.id = l.invoice_id
        JOIN timesheet_context.timesheets t ON t.id = l.timesheet_id
        WHERE t.status <> 'APPROVED' OR t.customer_id <> i.customer_id""") == 0
    assert scalar(admin_engine, "SELECT count(*) FROM billing_context.invoices"
                                " WHERE invoice_year = 2026 AND invoice_month >= 10") == 0


def test_every_journal_entry_balances(large, admin_engine):
    assert scalar(admin_engine, """
        SELECT count(*) FROM (SELECT entry_id FROM billing_context.accounting_entries GROUP BY entry_id
            HAVING sum(amount) FILTER (WHERE side = 'DEBIT') <> sum(amount) FILTER (WHERE side = 'CREDIT')) x""") == 0
    assert scalar(admin_engine, "SELECT count(DISTINCT entry_id) FROM billing_context.accounting_entries") == scalar(
        admin_engine, "SELECT count(*) FROM billing_context.invoices") + scalar(
        admin_engine, "SELECT count(*) FROM billing_context.invoice_payments")


def test_users_of_every_role_log_in(large, app):
    from tests.conftest import Client

    app.test_client_class = Client
    for local in ("pm001", "finance01", "admin", "e00001", "c0001", "p0001"):
        client = app.test_client()
        response = client.post("/login", data={"email": f"{local}@large.ses.example", "password": DEMO_PASSWORD})
        assert response.status_code == 303, local


def test_a_manager_sees_only_their_cases(large, admin_engine):
    from app.core.identity import Identity, acting_as
    from app.extensions import db

    manager = scalar(admin_engine, "SELECT id FROM platform.users WHERE email = 'pm001@large.ses.example'")
    with acting_as(Identity("project_manager", manager)):
        mine = db.session.execute(text(
            "SELECT count(*), count(*) FILTER (WHERE project_manager_id = :m OR sales_manager_id = :m)"
            " FROM project_context.projects"), {"m": manager}).one()
        db.session.rollback()
    assert mine[0] > 0 and mine[0] == mine[1]
    assert mine[0] < scalar(admin_engine, "SELECT count(*) FROM project_context.projects")


def test_same_seed_same_data_and_a_second_load_adds_nothing(large, admin_engine):
    fingerprint = """SELECT md5(string_agg(c.contract_number || e.full_name || c.monthly_price || c.start_date,
                     ',' ORDER BY c.contract_number)) FROM contract_context.contracts c
                     JOIN engineer_context.engineers e ON e.id = c.engineer_id"""
    first = scalar(admin_engine, fingerprint)
    assert load_large(seed=7, echo=lambda _: None, factor=0.01, today=TODAY) is False
    with admin_engine.begin() as conn:
        conn.execute(text("SELECT test_support.reset()"))
    assert load_large(seed=7, echo=lambda _: None, factor=0.01, today=TODAY)
    assert scalar(admin_engine, fingerprint) == first


def test_generated_invoices_open_in_the_billing_pages(large, admin_engine, login_as):
    """The snapshots the generator writes are those billing's pages and PDFs read."""
    finance = login_as("finance")
    invoice_id = scalar(admin_engine, "SELECT id FROM billing_context.invoices ORDER BY invoice_number LIMIT 1")
    assert finance.get(f"/billing/invoices/{invoice_id}").status_code == 200
    pdf = finance.get(f"/billing/invoices/{invoice_id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
