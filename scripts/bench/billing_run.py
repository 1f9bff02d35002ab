#!/usr/bin/env python3
"""Benchmark of the monthly invoice run, one invoice PDF and a month's PDFs as a ZIP.

Starts a throwaway PostgreSQL 15 cluster, migrates it, writes N SELL contracts (about four per
customer, one in ten backed by a partner's BUY contract) with a closed October 2026 each, then
times, as the CLI would run them:

* ``run_invoices(2026, 10, render_pdfs=False)``: invoices, payment notices, numbers, journal;
* one invoice PDF, warm, median of 5: one page (four engineers' lines), two pages (one
  engineer's line and the attached work report) and four engineers with their work reports;
* rendering and storing every PDF of the month, then the month's ZIP.

    .venv/bin/python scripts/bench/billing_run.py --contracts 1000 2000 [--pdfs]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import pgcluster  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

YEAR, MONTH = 2026, 10


def make_app(socket: str, database: str):
    from app import create_app
    from app.config import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = f"postgresql+psycopg://ses_app@/{database}?host={socket}"
        MIGRATION_DATABASE_URL = f"postgresql+psycopg://postgres@/{database}?host={socket}"
        SECRET_KEY = "bench"
        ENCRYPTION_KEY = "bench"

    return create_app(BenchConfig)


def load(conn, contracts: int, rng: random.Random) -> None:
    """Customers, engineers, cases, contracts and closed months, with plain INSERTs."""
    conn.execute(text(
        "INSERT INTO billing_context.issuers (code, name, registration_number, address, bank_name, bank_branch,"
        " bank_account_number, bank_account_holder_kana, is_default) VALUES ('MAIN', '株式会社ベンチSES',"
        " 'T4011001098993', '東京都千代田区1-1', 'みずほ銀行', '東京営業部', '1234567', 'カ）ベンチ', true)"))
    partner = conn.execute(text(
        "INSERT INTO engineer_context.partner_companies (code, name, registration_number)"
        " VALUES ('BP1', '株式会社ビーピー', 'T7123456789012') RETURNING id")).scalar()
    customers = [conn.execute(text(
        "INSERT INTO project_context.customers (code, name, attach_work_report) VALUES (:c, :n, :w) RETURNING id"),
        {"c": f"C{n:05d}", "n": f"顧客{n}株式会社", "w": n % 5 == 0}).scalar() for n in range(contracts // 4 or 1)]
    # the last customer has one engineer and wants the work report: a two-page invoice
    customers.append(conn.execute(text(
        "INSERT INTO project_context.customers (code, name, attach_work_report) VALUES ('CZZZZZ', '株式会社二頁', true)"
        " RETURNING id")).scalar())
    projects = {c: conn.execute(text(
        "INSERT INTO project_context.projects (code, customer_id, title, status) VALUES (:c, :cu, '開発支援', 'ACTIVE')"
        " RETURNING id"), {"c": f"PJ{n:05d}", "cu": c}).scalar() for n, c in enumerate(customers)}
    for n in range(contracts + 1):
        customer = customers[-1] if n == contracts else customers[n % (len(customers) - 1)]
        buy = n % 10 == 0
        engineer = conn.execute(text(
            "INSERT INTO engineer_context.engineers (code, employment_type, partner_company_id, full_name)"
            " VALUES (:c, :t, :p, :n) RETURNING id"),
            {"c": f"E{n:05d}", "t": "PARTNER" if buy else "EMPLOYEE", "p": partner if buy else None,
             "n": f"技術者 {n}"}).scalar()
        common = dict(p=projects[customer], e=engineer, price=rng.randrange(500_000, 1_000_000, 10_000))
        sell = conn.execute(text(
            "INSERT INTO contract_context.contracts (contract_number, contract_type, side, project_id, engineer_id,"
            " customer_id, title, status, start_date, end_date, monthly_price, lower_hours, upper_hours)"
            " VALUES (:n, 'QUASI_MANDATE', 'SELL', :p, :e, :c, 'システム開発支援', 'ACTIVE', '2026-04-01',"
            " '2027-03-31', :price, 140, 180) RETURNING id"), {"n": f"S{n:05d}", "c": customer, **common}).scalar()
        if buy:
            conn.execute(text(
                "INSERT INTO contract_context.contracts (contract_number, contract_type, side, sell_contract_id,"
                " project_id, engineer_id, partner_company_id, title, status, start_date, end_date, monthly_price,"
                " lower_hours, upper_hours, settlement_method) VALUES (:n, 'QUASI_MANDATE', 'BUY', :s, :p, :e, :bp,"
                " '仕入', 'ACTIVE', '2026-04-01', '2027-03-31', :buy, 140, 180, 'MIDDLE')"),
                {"n": f"B{n:05d}", "s": sell, "bp": partner, "buy": common["price"] - 100_000, **common})
        minutes = rng.randrange(130 * 60, 200 * 60, 15)
        timesheet = conn.execute(text(
            "INSERT INTO timesheet_context.timesheets (contract_id, engineer_id, project_id, customer_id,"
            " partner_company_id, period_year, period_month, status, worked_minutes, work_summary)"
            " VALUES (:k, :e, :p, :c, :bp, :y, :m, 'DRAFT', :w, CAST(:s AS jsonb)) RETURNING id"),
            {"k": sell, "c": customer, "bp": partner if buy else None, "y": YEAR, "m": MONTH, "w": minutes,
             "s": json.dumps({"worked_minutes": minutes, "billable_minutes": minutes}), **common}).scalar()
        for day in (1, 2, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27, 28):
            conn.execute(text(
                "INSERT INTO timesheet_context.daily_attendances (timesheet_id, period_year, period_month, work_date,"
                " start_time, end_time, break_minutes, worked_minutes) VALUES (:t, :y, :m, :d, '09:00', '18:00',"
                " 60, :w)"), {"t": timesheet, "y": YEAR, "m": MONTH, "d": date(YEAR, MONTH, day), "w": minutes // 20})
        conn.execute(text("UPDATE timesheet_context.timesheets SET status = 'APPROVED' WHERE id = :t"), {"t": timesheet})


def bench(contracts: int, pdfs: bool) -> dict:
    from app.billing.batch import run_invoices
    from app.billing.models import Invoice
    from app.billing.pdfs import render_invoice_pdf, store_invoice_pdf, zip_of
    from app.core.identity import SYSTEM, acting_as
    from app.extensions import db

    base = Path(tempfile.mkdtemp(prefix="ses-bench-billing-"))
    socket = str(pgcluster.start(base, fast=False, database="bench"))
    result: dict = {"contracts": contracts}
    try:
        app = make_app(socket, "bench")
        with app.app_context():
            import flask_migrate
            flask_migrate.upgrade()
        engine = create_engine(f"postgresql+psycopg://postgres@/bench?host={socket}")
        started = time.perf_counter()
        with engine.begin() as conn:
            load(conn, contracts, random.Random(contracts))
        result["load_seconds"] = round(time.perf_counter() - started, 1)
        with app.app_context(), acting_as(SYSTEM):
            started = time.perf_counter()
            run = run_invoices(YEAR, MONTH, render_pdfs=False)
            result["run_seconds"] = round(time.perf_counter() - started, 2)
            result.update(status=run.status, invoices=run.invoices_created, notices=run.statements_created,
                          problems=len(run.problems))
            invoices = db.session.scalars(db.select(Invoice).order_by(Invoice.invoice_number)).all()
            samples = {"pdf_one_page": next(i for i in invoices if not i.attach_work_report),
                       "pdf_two_pages": next(i for i in invoices if i.recipient_name == "株式会社二頁"),
                       "pdf_four_reports": next(i for i in invoices
                                                if i.attach_work_report and i.recipient_name != "株式会社二頁")}
            render_invoice_pdf(samples["pdf_one_page"])         # warm up fonts and templates
            for name, invoice in samples.items():
                times = []
                for _ in range(5):
                    started = time.perf_counter()
                    render_invoice_pdf(invoice)
                    times.append(time.perf_counter() - started)
                result[f"{name}_seconds_median"] = round(statistics.median(times), 3)
            if pdfs:
                started = time.perf_counter()
                for invoice in invoices:
                    store_invoice_pdf(invoice)
                    db.session.commit()
                result["all_pdfs_seconds"] = round(time.perf_counter() - started, 1)
                started = time.perf_counter()
                archive = zip_of(invoices)
                result["zip_seconds"] = round(time.perf_counter() - started, 2)
                result["zip_megabytes"] = round(len(archive) / 1e6, 1)
            db.session.rollback()
        engine.dispose()
        with app.app_context():
            db.engine.dispose()
    finally:
        pgcluster.stop(base, remove=True)
        shutil.rmtree(base, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--pdfs", action="store_true", help="also render every PDF and build the ZIP")
    parser.add_argument("--load-average", action="store_true", help="print the machine's load average too")
    args = parser.parse_args()
    for count in args.contracts:
        result = bench(count, args.pdfs)
        if args.load_average:
            result["load_average_1min"] = round(os.getloadavg()[0], 1)
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
