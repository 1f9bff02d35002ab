"""A small company spanning every context, written straight into the database as superuser.

Used where a test needs rows in many contexts at once (row level security, the access matrix),
without depending on each context's services.  Two of everything, so a test can check that one
customer, engineer or manager never sees the other's rows.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from types import SimpleNamespace

from sqlalchemy import text
from sqlalchemy.engine import Connection

# What the invoice run records beside the totals (app/billing/issue.py): pages read it.
INVOICE_DETAILS = json.dumps({
    "by_rate": {"10": {"subtotal": 100000, "tax": 10000, "reduced": False}}, "lines": 1, "adjustments": 0,
    "issuer": {"name": "株式会社テストSES", "registration_number": "T4011001098993", "postal_code": None,
               "address": "東京都千代田区1-1", "phone": None, "email": None,
               "bank": {"name": "みずほ銀行", "branch": "東京営業部", "account_type": "普通", "number": "1234567",
                        "holder_kana": "カ)テストエスイーエス"}},
    "customer_code": "C1", "recipient_contact": None, "original_number": None})


def _insert(conn: Connection, table: str, **values) -> uuid.UUID:
    columns = ", ".join(values)
    params = ", ".join(f":{k}" for k in values)
    return conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({params}) RETURNING id"),
                        values).scalar_one()


def build_world(conn: Connection, password_hash: str, year: int = 2026, month: int = 10):
    w = SimpleNamespace()
    ins = lambda table, **v: _insert(conn, table, **v)  # noqa: E731

    def user(role, email, **links):
        return ins("platform.users", email=email, display_name=email.split("@")[0], role=role,
                   password_hash=password_hash, **links)

    w.admin = user("admin", "admin@world.test")
    w.pm1 = user("project_manager", "pm1@world.test")
    w.pm2 = user("project_manager", "pm2@world.test")
    w.finance = user("finance", "finance@world.test")

    w.c1 = ins("project_context.customers", code="C1", name="株式会社一号商事")
    w.c2 = ins("project_context.customers", code="C2", name="二号システム株式会社")
    w.c1_contact = ins("project_context.customer_contacts", customer_id=w.c1, name="一号 請求担当",
                       is_billing_contact=True)
    w.c2_contact = ins("project_context.customer_contacts", customer_id=w.c2, name="二号 請求担当",
                       is_billing_contact=True)
    w.bp1 = ins("engineer_context.partner_companies", code="BP1", name="株式会社ビーピー",
                registration_number="T7123456789012")
    w.e1 = ins("engineer_context.engineers", code="E1", employment_type="EMPLOYEE", full_name="山﨑 一郎")
    w.e2 = ins("engineer_context.engineers", code="E2", employment_type="PARTNER", partner_company_id=w.bp1,
               full_name="髙橋 二郎")
    w.e3 = ins("engineer_context.engineers", code="E3", employment_type="EMPLOYEE", full_name="待機 三郎")
    for eng in (w.e1, w.e2, w.e3):
        ins("engineer_context.skill_assessments", engineer_id=eng, skill_category="LANGUAGE",
            skill_name="Java", skill_level=4, years_experience=5)

    w.user_e1 = user("engineer", "e1@world.test", engineer_id=w.e1)
    w.user_e2 = user("engineer", "e2@world.test", engineer_id=w.e2)
    w.user_c1 = user("customer", "c1@world.test", customer_id=w.c1)
    w.user_c2 = user("customer", "c2@world.test", customer_id=w.c2)
    w.user_bp1 = user("partner", "bp1@world.test", partner_company_id=w.bp1)

    w.p1 = ins("project_context.projects", code="P1", customer_id=w.c1, title="勘定系更改", status="ACTIVE",
               project_manager_id=w.pm1, sales_manager_id=w.pm1)
    w.p2 = ins("project_context.projects", code="P2", customer_id=w.c2, title="物流基盤刷新", status="ACTIVE",
               project_manager_id=w.pm2, sales_manager_id=w.pm2)
    ins("project_context.project_requirements", project_id=w.p1, requirement_type="SKILL", name="Java")
    ins("project_context.project_requirements", project_id=w.p2, requirement_type="SKILL", name="Go")

    period = dict(start_date=date(year, 4, 1), end_date=date(year + 1, 3, 31))
    w.k1 = ins("contract_context.contracts", contract_number="K1", contract_type="QUASI_MANDATE", side="SELL",
               project_id=w.p1, engineer_id=w.e1, customer_id=w.c1, title="K1", status="ACTIVE",
               monthly_price=800000, lower_hours=140, upper_hours=180, **period)
    w.k2 = ins("contract_context.contracts", contract_number="K2", contract_type="QUASI_MANDATE", side="SELL",
               project_id=w.p2, engineer_id=w.e2, customer_id=w.c2, title="K2", status="ACTIVE",
               monthly_price=750000, lower_hours=140, upper_hours=180, **period)
    w.k2_buy = ins("contract_context.contracts", contract_number="K2B", contract_type="QUASI_MANDATE",
                   side="BUY", sell_contract_id=w.k2, project_id=w.p2, engineer_id=w.e2,
                   partner_company_id=w.bp1, title="K2 buy", status="ACTIVE", monthly_price=650000,
                   lower_hours=140, upper_hours=180, **period)

    ts = dict(period_year=year, period_month=month)
    w.t1 = ins("timesheet_context.timesheets", contract_id=w.k1, engineer_id=w.e1, project_id=w.p1,
               customer_id=w.c1, status="DRAFT", **ts)
    w.t2 = ins("timesheet_context.timesheets", contract_id=w.k2, engineer_id=w.e2, project_id=w.p2,
               customer_id=w.c2, partner_company_id=w.bp1, status="MANAGER_APPROVED", **ts)
    ins("timesheet_context.daily_attendances", timesheet_id=w.t1, work_date=date(year, month, 1),
        worked_minutes=480, **ts)
    ins("timesheet_context.daily_attendances", timesheet_id=w.t2, work_date=date(year, month, 1),
        worked_minutes=480, **ts)

    w.issuer = ins("billing_context.issuers", code="MAIN", name="株式会社テストSES",
                   registration_number="T4011001098993", address="東京都千代田区1-1", bank_name="みずほ銀行",
                   bank_branch="東京営業部", bank_account_number="1234567", bank_account_holder_kana="カ)テストエスイーエス",
                   is_default=True)

    def invoice(customer, status, number):
        invoice_id = uuid.uuid4()
        conn.execute(text(
            "INSERT INTO billing_context.invoices (id, invoice_year, invoice_month, invoice_number, issuer_id,"
            " customer_id, status, billing_period_start, billing_period_end, invoice_date, due_date,"
            " recipient_name, issuer_name, issuer_registration_number, tax_rounding, subtotal_amount,"
            " tax_amount, total_amount, billing_details) VALUES (:id, :y, :m, :n, :iss, :c, 'DRAFT', :ps, :pe, :d,"
            " :due, 'x', 'y', 'T4011001098993', 'FLOOR', 100000, 10000, 110000, :details)"),
            {"id": invoice_id, "y": year, "m": month, "n": number, "iss": w.issuer, "c": customer,
             "ps": date(year, month, 1), "pe": date(year, month, 28),
             "d": date(year, month, 28) if number else None, "due": date(year, month, 28) if number else None,
             "details": INVOICE_DETAILS})
        conn.execute(text(
            "INSERT INTO billing_context.invoice_billing_items (invoice_id, invoice_year, line_no, item_type,"
            " description, amount) VALUES (:i, :y, 1, 'SETTLEMENT', 'line', 100000)"), {"i": invoice_id, "y": year})
        # Lines go in while the invoice is a draft: an issued invoice's lines are frozen.
        conn.execute(text("UPDATE billing_context.invoices SET status = :s WHERE id = :i"),
                     {"s": status, "i": invoice_id})
        return invoice_id

    w.i1 = invoice(w.c1, "ISSUED", "INV-1")
    w.i1_draft = invoice(w.c1, "DRAFT", None)
    w.i2 = invoice(w.c2, "ISSUED", "INV-2")

    w.mr1 = ins("matching_context.matching_requests", project_id=w.p1, title="P1 要員", start_date=date(year, 12, 1))
    w.mr2 = ins("matching_context.matching_requests", project_id=w.p2, title="P2 要員", start_date=date(year, 12, 1))
    ins("matching_context.matching_candidates", matching_request_id=w.mr1, engineer_id=w.e3)

    w.n_e1 = ins("notification_context.notifications", recipient_user_id=w.user_e1, event_type="TimesheetReturned",
                 title="差戻し", body="...")
    w.n_pm1 = ins("notification_context.notifications", recipient_user_id=w.pm1, event_type="ProjectOrdered",
                  title="受注", body="...")
    return w
