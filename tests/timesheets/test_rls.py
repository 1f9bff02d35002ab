"""Row level security on timesheets, queried as each role through the app's own connection."""

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from app.core.identity import Identity, acting_as
from app.extensions import db
from tests.timesheets.conftest import people


def rows(identity, sql, **params) -> set:
    db.session.rollback()
    with acting_as(identity):
        try:
            return {r[0] for r in db.session.execute(text(sql), params)}
        finally:
            db.session.rollback()


def changed(identity, sql, **params) -> int:
    db.session.rollback()
    with acting_as(identity):
        try:
            return db.session.execute(text(sql), params).rowcount
        finally:
            db.session.rollback()


@pytest.fixture
def two(sales, admin_engine):
    """Two placements (an employee's, a partner engineer's) with a timesheet each in every status."""
    a, b = people(sales), people(sales, partner=True)
    with admin_engine.begin() as conn:
        for p in (a, b):
            p.sheets = {}
            for month, status in enumerate(("DRAFT", "SUBMITTED", "MANAGER_APPROVED", "APPROVED", "RETURNED"), 4):
                p.sheets[status] = conn.execute(text(
                    "INSERT INTO timesheet_context.timesheets (period_year, period_month, contract_id, engineer_id,"
                    " project_id, customer_id, partner_company_id) VALUES (2026, :m, :c, :e, :p, :cu, :bp)"
                    " RETURNING id"), {"m": month, "c": p.sell, "e": p.engineer, "p": p.project,
                                       "cu": p.customer, "bp": p.partner}).scalar()
                conn.execute(text(
                    "INSERT INTO timesheet_context.daily_attendances (timesheet_id, period_year, period_month,"
                    " work_date, worked_minutes) VALUES (:t, 2026, :m, :d, 480)"),
                    {"t": p.sheets[status], "m": month, "d": date(2026, month, 1)})
                conn.execute(text("UPDATE timesheet_context.timesheets SET status = :s WHERE id = :t"),
                             {"s": status, "t": p.sheets[status]})
    return a, b


TIMESHEETS = "SELECT id FROM timesheet_context.timesheets"
DAYS = "SELECT timesheet_id FROM timesheet_context.daily_attendances"


def test_an_engineer_sees_only_their_own(two):
    a, b = two
    assert rows(a.engineer_user, TIMESHEETS) == set(a.sheets.values())
    assert rows(a.engineer_user, DAYS) == set(a.sheets.values())


def test_a_timesheets_month_is_found_only_by_who_may_see_the_timesheet(two):
    a, b = two
    month = "SELECT period_month FROM timesheet_context.timesheet_period(:t)"
    assert rows(a.engineer_user, month, t=a.sheets["SUBMITTED"]) == {5}
    assert rows(b.engineer_user, month, t=a.sheets["SUBMITTED"]) == set()
    assert rows(a.customer_user, month, t=a.sheets["SUBMITTED"]) == set()     # not yet confirmable
    assert rows(a.customer_user, month, t=a.sheets["APPROVED"]) == {7}


def test_an_engineer_edits_only_while_draft_or_returned(two):
    a, _ = two
    update = "UPDATE timesheet_context.daily_attendances SET worked_minutes = 1 WHERE timesheet_id = :t"
    assert changed(a.engineer_user, update, t=a.sheets["DRAFT"]) == 1
    assert changed(a.engineer_user, update, t=a.sheets["RETURNED"]) == 1
    assert changed(a.engineer_user, update, t=a.sheets["SUBMITTED"]) == 0
    assert changed(a.engineer_user, update, t=a.sheets["MANAGER_APPROVED"]) == 0
    status = "UPDATE timesheet_context.timesheets SET status = 'DRAFT' WHERE id = :t"
    assert changed(a.engineer_user, status, t=a.sheets["SUBMITTED"]) == 0


def test_an_engineer_cannot_move_a_timesheet_to_another_customer(two):
    a, b = two
    with pytest.raises(ProgrammingError, match="permission denied"):
        changed(a.engineer_user, "UPDATE timesheet_context.timesheets SET customer_id = :c WHERE id = :t",
                c=b.customer, t=a.sheets["DRAFT"])


def test_an_engineer_cannot_open_a_month_on_someone_elses_contract(two):
    a, b = two
    with pytest.raises(ProgrammingError, match="row-level security"):
        changed(a.engineer_user,
                "INSERT INTO timesheet_context.timesheets (period_year, period_month, contract_id, engineer_id,"
                " project_id, customer_id) VALUES (2026, 10, :c, :e, :p, :cu)",
                c=b.sell, e=a.engineer, p=b.project, cu=b.customer)


def test_a_customer_sees_its_own_months_only_from_the_confirmation_step(two):
    a, b = two
    assert rows(a.customer_user, TIMESHEETS) == {a.sheets["MANAGER_APPROVED"], a.sheets["APPROVED"]}
    assert rows(a.customer_user, DAYS) == {a.sheets["MANAGER_APPROVED"], a.sheets["APPROVED"]}
    assert changed(a.customer_user, "UPDATE timesheet_context.timesheets SET status = 'APPROVED' WHERE id = :t",
                   t=a.sheets["SUBMITTED"]) == 0
    with pytest.raises(ProgrammingError, match="permission denied"):
        rows(a.customer_user, "SELECT id FROM timesheet_context.timesheet_adjustments")


def test_a_customer_cannot_return_another_customers_month(two):
    a, b = two
    moved = rows(a.customer_user, "SELECT timesheet_context.customer_return(:t, 2026, 6, 1)",
                 t=b.sheets["MANAGER_APPROVED"])
    assert moved == {False}


def test_a_partner_sees_its_engineers_months_from_submission(two):
    a, b = two
    assert rows(b.partner_user, TIMESHEETS) == set(b.sheets.values()) - {b.sheets["DRAFT"]}
    confirm = "UPDATE timesheet_context.timesheets SET status = 'PARTNER_CONFIRMED' WHERE id = :t"
    assert changed(b.partner_user, confirm, t=b.sheets["SUBMITTED"]) == 1
    assert changed(b.partner_user, confirm, t=b.sheets["MANAGER_APPROVED"]) == 0


def test_a_project_manager_sees_only_the_cases_they_manage(two):
    a, b = two
    assert rows(a.pm, TIMESHEETS) == set(a.sheets.values())
    assert rows(b.pm, TIMESHEETS) == set(b.sheets.values())


def test_finance_reads_every_month_and_changes_none(sales, two):
    a, b = two
    finance = Identity("finance", sales.user("finance"))
    assert rows(finance, TIMESHEETS) == set(a.sheets.values()) | set(b.sheets.values())
    assert changed(finance, "UPDATE timesheet_context.timesheets SET status = 'APPROVED' WHERE id = :t",
                   t=a.sheets["SUBMITTED"]) == 0


def test_nobody_edits_a_closed_month(two):
    a, _ = two
    with pytest.raises(DBAPIError, match="closed"):
        changed(a.pm, "UPDATE timesheet_context.timesheets SET status = 'RETURNED' WHERE id = :t",
                t=a.sheets["APPROVED"])
