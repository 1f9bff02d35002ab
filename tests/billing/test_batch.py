"""The run as a batch: progress, problems per customer, the buy side, and two runs at once."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import text

from app.billing.batch import run_invoices
from app.billing.models import Invoice, InvoiceRun, PurchaseStatement
from app.core.identity import SYSTEM, acting_as
from app.extensions import db


def month_of_five_customers(make):
    make.issuer()
    partner = make.partner(registration_number="T7123456789012")
    for n in range(5):
        customer = make.customer(f"顧客{n}株式会社")
        engineer = make.engineer(f"技術者 {n}", partner_id=partner if n == 0 else None)
        contract = make.contract(customer, engineer)
        if n == 0:
            make.buy_contract(contract, partner, engineer, customer, monthly_price=680_000)
        make.closed_month(contract, 2026, 10, (150 + n) * 60)
    return partner


def test_a_run_bills_every_customer_and_partner_and_stores_the_pdfs(system, make):
    month_of_five_customers(make)
    run = run_invoices(2026, 10)
    assert (run.status, run.total_groups, run.processed_groups) == ("SUCCEEDED", 6, 6)
    assert (run.invoices_created, run.statements_created, run.pdfs_total, run.pdfs_done) == (5, 1, 6, 6)
    assert run.problems == [] and run.issue_date == date(2026, 10, 31)
    assert db.session.scalar(db.select(db.func.count()).where(Invoice.pdf_sha256.isnot(None))) == 5
    statement = db.session.scalar(db.select(PurchaseStatement))
    assert (statement.total_amount, statement.statement_number) == (748_000, "PN-2026-000001")
    again = run_invoices(2026, 10)
    assert (again.status, again.total_groups, again.invoices_created) == ("SUCCEEDED", 0, 0)


def test_a_problem_with_one_customer_does_not_stop_the_others(system, make, admin_engine):
    month_of_five_customers(make)
    with admin_engine.begin() as conn:      # a broken contract: a fixed-rate method without rates
        conn.execute(text("ALTER TABLE contract_context.contracts DISABLE TRIGGER USER"))
        conn.execute(text("ALTER TABLE contract_context.contracts DROP CONSTRAINT ck_contracts_fixed_rates"))
        conn.execute(text("UPDATE contract_context.contracts SET settlement_method = 'FIXED'"
                          " WHERE customer_id = (SELECT id FROM project_context.customers WHERE name = '顧客3株式会社')"))
        conn.execute(text("ALTER TABLE contract_context.contracts ENABLE TRIGGER USER"))
    run = run_invoices(2026, 10, render_pdfs=False)
    assert run.status == "SUCCEEDED" and run.invoices_created == 4
    assert len(run.problems) == 1 and "fixed rates" in run.problems[0]["message"]
    assert run.problems[0]["group"].endswith("顧客3株式会社")


def test_without_an_issuer_the_run_fails_with_the_reason(system, make):
    customer = make.customer()
    make.closed_month(make.contract(customer, make.engineer()), 2026, 10, 160 * 60)
    run = run_invoices(2026, 10)
    assert run.status == "FAILED" and "請求元" in run.problems[0]["message"]


def test_two_runs_at_once_bill_each_hour_once_with_gap_free_numbers(app, make):
    month_of_five_customers(make)
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            with app.app_context(), acting_as(SYSTEM):
                barrier.wait()
                run_invoices(2026, 10, render_pdfs=False)
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    with acting_as(SYSTEM):
        numbers = sorted(db.session.scalars(db.select(Invoice.invoice_number)))
        runs = db.session.scalars(db.select(InvoiceRun)).all()
        lines = db.session.execute(text(
            "SELECT count(*), count(DISTINCT timesheet_id) FROM billing_context.invoice_billing_items")).one()
    assert numbers == [f"INV-2026-{n:06d}" for n in range(1, 6)]
    assert tuple(lines) == (5, 5)
    assert len(runs) == 2 and sum(r.invoices_created for r in runs) == 5
    assert all(r.status == "SUCCEEDED" and not r.problems for r in runs)
