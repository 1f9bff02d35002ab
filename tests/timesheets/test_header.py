"""The month page's header as each role reads it: one statement where the role may read the
contract, the case and the engineer; the contract's snapshot of its parties where it may not
(customers are granted nothing in engineer_context)."""

from __future__ import annotations

from datetime import date

from psycopg.types.json import Jsonb
from sqlalchemy import text

from app.core.identity import SYSTEM
from app.timesheets import queries, services
from tests.querycount import count_queries
from tests.timesheets.conftest import as_, people, sheet

PARTIES = {"engineer_name": "山﨑 (契約時点)", "customer_name": "株式会社テスト顧客 (契約時点)",
           "project_title": "勘定系システム更改 (契約時点)"}


def _placement(sales, admin_engine):
    """A month awaiting the customer's confirmation, so every role may read it."""
    p = people(sales, contract_terms=Jsonb({"parties": PARTIES}))
    with as_(SYSTEM):
        p.timesheet = services.open_timesheet(p.sell, 2026, 10).id
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE timesheet_context.timesheets SET status = 'MANAGER_APPROVED' WHERE id = :t"),
                     {"t": p.timesheet})
    return p


def _header(identity, timesheet_id):
    with as_(identity):
        queries.header(sheet(timesheet_id))              # a role's first attempt learns its grants
        with count_queries() as statements:
            head = queries.header(sheet(timesheet_id))
    return head, [s for s in statements if "timesheets" not in s]


def test_an_engineer_reads_the_header_in_one_statement(sales, admin_engine):
    p = _placement(sales, admin_engine)
    head, statements = _header(p.engineer_user, p.timesheet)
    assert (head.project_title, head.engineer_name, head.customer_name) == ("勘定系システム更改", "山﨑 テスト", "")
    assert (head.title, head.start_date, head.end_date, head.employment_type) == (
        "テスト契約", date(2026, 4, 1), date(2027, 3, 31), "EMPLOYEE")
    assert len(statements) == 1


def test_a_customer_reads_the_engineer_from_the_contracts_parties(sales, admin_engine):
    p = _placement(sales, admin_engine)
    head, _ = _header(p.customer_user, p.timesheet)
    assert (head.title, head.engineer_name, head.customer_name, head.employment_type) == (
        "テスト契約", PARTIES["engineer_name"], PARTIES["customer_name"], None)


def test_a_manager_reads_the_rows_and_the_customers_name(sales, admin_engine):
    p = _placement(sales, admin_engine)
    head, statements = _header(p.pm, p.timesheet)
    assert (head.project_title, head.engineer_name, head.customer_name) == (
        "勘定系システム更改", "山﨑 テスト", PARTIES["customer_name"])
    assert len(statements) == 2                          # the three rows, then the parties
