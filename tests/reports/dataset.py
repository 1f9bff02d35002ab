"""A small company for April 2025 whose KPIs are worked out by hand (see test_kpis.py).

Four own engineers (A, B assigned; C whose contract ended in March and D never assigned) and a
partner engineer P placed at customer X with the DOMAIN.md §1 example (sell ¥846,620, buy
¥724,625 for 190.5 h).  Invoices: X (A + P), Y (B), a cancelled Y invoice with its credit note,
a draft (not revenue), and a March invoice to Z that is partly paid in April and in May.
"""

from __future__ import annotations

import uuid
from datetime import date
from types import SimpleNamespace

from sqlalchemy import text
from sqlalchemy.engine import Connection

from tests.world import _insert

Y2025 = 2025


def _invoice(conn, d, customer, number, month, lines, *, invoice_date, due, kind="INVOICE",
             original=None) -> uuid.UUID:
    invoice_id = uuid.uuid4()
    subtotal = sum(amount for _, amount, _ in lines)
    tax = subtotal // 10
    conn.execute(text(
        "INSERT INTO billing_context.invoices (id, invoice_year, invoice_month, invoice_number, kind,"
        " original_invoice_id, original_invoice_year, issuer_id, customer_id, status, billing_period_start,"
        " billing_period_end, invoice_date, due_date, recipient_name, issuer_name, issuer_registration_number,"
        " tax_rounding, subtotal_amount, tax_amount, total_amount) VALUES (:id, :y, :m, :n, :kind, :orig,"
        " :orig_y, :iss, :c, 'DRAFT', :ps, :pe, :d, :due, 'x', 'y', 'T4011001098993', 'FLOOR', :sub, :tax,"
        " :total)"),
        {"id": invoice_id, "y": Y2025, "m": month, "n": number, "kind": kind, "orig": original,
         "orig_y": Y2025 if original else None, "iss": d.issuer, "c": customer,
         "ps": date(Y2025, month, 1), "pe": date(Y2025, month, 28), "d": invoice_date, "due": due,
         "sub": subtotal, "tax": tax, "total": subtotal + tax})
    for no, (engineer, amount, period_month) in enumerate(lines, start=1):
        conn.execute(text(
            "INSERT INTO billing_context.invoice_billing_items (invoice_id, invoice_year, line_no,"
            " item_type, engineer_id, period_year, period_month, description, amount)"
            " VALUES (:i, :y, :no, 'SETTLEMENT', :e, :y, :pm, '作業料', :a)"),
            {"i": invoice_id, "y": Y2025, "no": no, "e": engineer, "pm": period_month, "a": amount})
    return invoice_id


def _status(conn, invoice_id, status, paid=None):
    conn.execute(text("UPDATE billing_context.invoices SET status = :s,"
                      " paid_amount = coalesce(:p, paid_amount) WHERE id = :i"),
                 {"s": status, "p": paid, "i": invoice_id})


def _payment(conn, invoice_id, amount, paid_on):
    conn.execute(text(
        "INSERT INTO billing_context.invoice_payments (invoice_id, invoice_year, paid_on,"
        " received_amount, applied_amount, idempotency_key) VALUES (:i, :y, :d, :a, :a, :k)"),
        {"i": invoice_id, "y": Y2025, "d": paid_on, "a": amount, "k": uuid.uuid4().hex})


def build_april(conn: Connection) -> SimpleNamespace:
    ins = lambda table, **v: _insert(conn, table, **v)  # noqa: E731
    d = SimpleNamespace()
    d.issuer = ins("billing_context.issuers", code="APR", name="株式会社テストSES",
                   registration_number="T4011001098993", address="東京都千代田区1-1", bank_name="みずほ銀行",
                   bank_branch="東京営業部", bank_account_number="1234567",
                   bank_account_holder_kana="カ)テストエスイーエス", is_default=False)
    d.bp = ins("engineer_context.partner_companies", code="BPX", name="株式会社ビーピー")
    d.x = ins("project_context.customers", code="CX", name="株式会社エックス")
    d.y = ins("project_context.customers", code="CY", name="ワイ工業株式会社")
    d.z = ins("project_context.customers", code="CZ", name="ゼット商事株式会社")
    px = ins("project_context.projects", code="PX", customer_id=d.x, title="X基幹", status="ACTIVE")
    py = ins("project_context.projects", code="PY", customer_id=d.y, title="Y物流", status="ACTIVE")
    eng = lambda code, kind, **k: ins("engineer_context.engineers", code=code, employment_type=kind,  # noqa: E731
                                      full_name=f"技術者 {code}", **k)
    d.a, d.b, d.c, d.d = eng("A", "EMPLOYEE"), eng("B", "EMPLOYEE"), eng("C", "CONTRACT_EMPLOYEE"), eng("D", "EMPLOYEE")
    d.p = eng("P", "PARTNER", partner_company_id=d.bp)

    def contract(number, engineer, project, customer, start, end, status="ACTIVE", **extra):
        return ins("contract_context.contracts", contract_number=number, contract_type="QUASI_MANDATE",
                   side=extra.pop("side", "SELL"), project_id=project, engineer_id=engineer,
                   customer_id=customer, title=f"{number} 契約", status=status, start_date=start,
                   end_date=end, monthly_price=800000, lower_hours=140, upper_hours=180, **extra)

    d.ka = contract("KA", d.a, px, d.x, date(2025, 1, 1), date(2025, 9, 30))
    d.kb = contract("KB", d.b, py, d.y, date(2025, 1, 1), date(2025, 5, 31))
    d.kc = contract("KC", d.c, py, d.y, date(2024, 10, 1), date(2025, 3, 31), status="ENDED")
    d.kp = contract("KP", d.p, px, d.x, date(2025, 4, 1), date(2026, 3, 31))
    d.kp_buy = contract("KPB", d.p, px, None, date(2025, 4, 1), date(2026, 3, 31), side="BUY",
                        sell_contract_id=d.kp, partner_company_id=d.bp)

    ts = {}
    for key, contract_id, engineer, project, customer, status in (
            ("a", d.ka, d.a, px, d.x, "APPROVED"), ("b", d.kb, d.b, py, d.y, "DRAFT"),
            ("p", d.kp, d.p, px, d.x, "SUBMITTED")):
        ts[key] = ins("timesheet_context.timesheets", contract_id=contract_id, engineer_id=engineer,
                      project_id=project, customer_id=customer, status=status, period_year=Y2025,
                      period_month=4, partner_company_id=d.bp if key == "p" else None)

    april_end, may_end = date(2025, 4, 30), date(2025, 5, 31)
    d.inv_x = _invoice(conn, d, d.x, "X-0401", 4, [(d.a, 700000, 4), (d.p, 846620, 4)],
                       invoice_date=april_end, due=may_end)
    d.inv_y = _invoice(conn, d, d.y, "Y-0401", 4, [(d.b, 600000, 4)], invoice_date=april_end, due=may_end)
    d.inv_y2 = _invoice(conn, d, d.y, "Y-0402", 4, [(d.b, 50000, 4)], invoice_date=april_end, due=may_end)
    d.draft = _invoice(conn, d, d.x, None, 4, [(d.a, 999999, 4)], invoice_date=None, due=None)
    d.inv_z = _invoice(conn, d, d.z, "Z-0301", 3, [(None, 300000, 3)], invoice_date=date(2025, 3, 31),
                       due=date(2025, 4, 20))
    for invoice in (d.inv_x, d.inv_y, d.inv_y2, d.inv_z):
        _status(conn, invoice, "ISSUED")
    d.credit = _invoice(conn, d, d.y, "Y-0402C", 4, [(d.b, -50000, 4)], invoice_date=april_end,
                        due=april_end, kind="CREDIT_NOTE", original=d.inv_y2)
    _status(conn, d.credit, "ISSUED")
    _status(conn, d.inv_y2, "CANCELLED")
    _payment(conn, d.inv_z, 100000, date(2025, 4, 15))
    _payment(conn, d.inv_z, 30000, date(2025, 5, 10))
    _status(conn, d.inv_z, "PARTIALLY_PAID", paid=130000)

    def statement(status_after, amount, item_type="SETTLEMENT"):
        statement_id = ins("billing_context.purchase_statements", statement_year=Y2025, statement_month=4,
                           statement_number=f"S-{uuid.uuid4().hex[:6]}", issuer_id=d.issuer,
                           partner_company_id=d.bp, status="DRAFT", period_start=date(2025, 4, 1),
                           period_end=april_end, statement_date=april_end, due_date=may_end,
                           partner_name="株式会社ビーピー", partner_registered=False, issuer_name="y")
        ins("billing_context.purchase_statement_lines", statement_id=statement_id, line_no=1,
            item_type=item_type, contract_id=d.kp_buy, engineer_id=d.p, timesheet_id=ts["p"],
            period_year=Y2025, period_month=4, description="作業料", amount=amount)
        for status in status_after:
            conn.execute(text("UPDATE billing_context.purchase_statements SET status = :s WHERE id = :i"),
                         {"s": status, "i": statement_id})

    statement(["ISSUED"], 724625)
    statement([], 1000000, "ADJUSTMENT")              # a draft payment notice: not a cost yet
    return d
