"""timesheet_context.overtime_history (revision 0018): the twelve months of overtime ending with
a month, across a year end, summed as the caller may see them -- the input of the 36協定 checks."""

from __future__ import annotations

from datetime import date

from psycopg.types.json import Jsonb
from sqlalchemy import text

from app.core.identity import SYSTEM, Identity
from app.extensions import db
from app.timesheets import queries, services
from tests.timesheets.conftest import as_, people, sheet

HOURS = {(2025, 10): 99, (2025, 11): 50, (2026, 9): 90, (2026, 10): 75, (2026, 11): 80}


def _history(sales, admin_engine):
    """An employee's timesheets of five months with their overtime hours (HOURS)."""
    with admin_engine.begin() as conn:
        conn.execute(text("SELECT platform.create_partitions('2025-01-01', '2025-12-31')"))
    p = people(sales, start_date=date(2025, 1, 1))
    with as_(SYSTEM):
        p.sheets = {month: services.open_timesheet(p.sell, *month).id for month in HOURS}
    with admin_engine.begin() as conn:
        for month, hours in HOURS.items():
            conn.execute(text("UPDATE timesheet_context.timesheets SET work_summary = :s WHERE id = :t"),
                         {"s": Jsonb({"overtime_minutes": hours * 60, "legal_holiday_minutes": 0}),
                          "t": p.sheets[month]})
    return p


def _months(engineer, year: int, month: int) -> list[tuple[int, int, int]]:
    return [(y, m, minutes // 60) for y, m, minutes, _ in db.session.execute(text(
        "SELECT * FROM timesheet_context.overtime_history(:e, CAST(:y AS smallint), CAST(:m AS smallint))"),
        {"e": engineer, "y": year, "m": month})]


def test_the_twelve_months_ending_with_the_month_across_the_year_end(sales, admin_engine):
    p = _history(sales, admin_engine)
    with as_(p.engineer_user):
        assert _months(p.engineer, 2026, 10) == [(2025, 11, 50), (2026, 9, 90), (2026, 10, 75)]
        assert _months(p.engineer, 2026, 12) == [(2026, 9, 90), (2026, 10, 75), (2026, 11, 80)]
        assert _months(p.engineer, 2025, 11) == [(2025, 10, 99), (2025, 11, 50)]
        # 90, 75, 80 hours: the two-to-six-month average is over 80 (a 36協定 violation)
        findings = queries.overtime_findings(sheet(p.sheets[(2026, 11)]), "EMPLOYEE")
    assert any(f.code == "AVERAGE_80" and f.violation for f in findings)


def test_what_the_role_may_not_see_is_not_summed(sales, admin_engine):
    p = _history(sales, admin_engine)
    other = people(sales)
    with as_(other.engineer_user):
        assert _months(p.engineer, 2026, 11) == []
    with as_(Identity("customer", p.customer_user.user_id, customer_id=p.customer)):
        assert _months(p.engineer, 2026, 11) == []     # drafts: not yet the customer's to see
