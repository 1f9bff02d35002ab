"""Every approval transition and every forbidden one: the whole matrix of status x role x chain,
then each allowed move carried out against the database as the role that makes it."""

import uuid
from datetime import date, time

import pytest
from sqlalchemy import text

from app.timesheets import approval, services
from app.timesheets.models import STATUSES, Timesheet
from tests.timesheets.conftest import as_, people, sheet

ROLES = ("engineer", "partner", "project_manager", "customer", "finance", "admin")
STAFF = {"project_manager", "admin"}

# (status, partner engineer?) -> {role: allowed actions}
EXPECTED = {
    ("DRAFT", False): {"engineer": ["submit"], **{r: ["submit"] for r in STAFF}},
    ("RETURNED", True): {"engineer": ["submit"], **{r: ["submit"] for r in STAFF}},
    ("SUBMITTED", False): {r: ["manager_approve", "manager_return"] for r in STAFF},
    ("SUBMITTED", True): {"partner": ["partner_confirm", "partner_return"],
                          "admin": ["partner_confirm", "partner_return"]},
    ("PARTNER_CONFIRMED", True): {r: ["manager_approve", "manager_return"] for r in STAFF},
    ("MANAGER_APPROVED", False): {"customer": ["customer_confirm", "customer_return"],
                                  **{r: ["manager_reopen", "customer_confirm"] for r in STAFF}},
    ("APPROVED", False): {},
}


@pytest.mark.parametrize("status, partner", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_the_matrix(status, partner, role):
    timesheet = Timesheet(status=status, partner_company_id=uuid.uuid4() if partner else None)
    assert approval.allowed_actions(timesheet, role) == EXPECTED[(status, partner)].get(role, [])


def test_every_status_is_covered():
    assert {status for status, _ in EXPECTED} == set(STATUSES)


def start(p, status: str, admin_engine):
    with as_(p.engineer_user):
        timesheet = services.open_timesheet(p.sell, 2026, 10)
        services.save_day(timesheet, date(2026, 10, 1), services.DayInput(
            start_time=time(9), end_time=time(18), break_minutes=60))
        ts = timesheet.id
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE timesheet_context.timesheets SET status = :s WHERE id = :t"), {"s": status, "t": ts})
    return ts


MOVES = [   # action, from status, partner engineer?, actor attribute, resulting status
    ("submit", "DRAFT", False, "engineer_user", "SUBMITTED"),
    ("submit", "RETURNED", True, "engineer_user", "SUBMITTED"),
    ("partner_confirm", "SUBMITTED", True, "partner_user", "PARTNER_CONFIRMED"),
    ("partner_return", "SUBMITTED", True, "partner_user", "RETURNED"),
    ("manager_approve", "SUBMITTED", False, "pm", "MANAGER_APPROVED"),
    ("manager_approve", "PARTNER_CONFIRMED", True, "pm", "MANAGER_APPROVED"),
    ("manager_return", "PARTNER_CONFIRMED", True, "pm", "RETURNED"),
    ("manager_reopen", "MANAGER_APPROVED", False, "pm", "RETURNED"),
    ("customer_confirm", "MANAGER_APPROVED", False, "customer_user", "APPROVED"),
    ("customer_confirm", "MANAGER_APPROVED", False, "pm", "APPROVED"),
    ("customer_return", "MANAGER_APPROVED", True, "customer_user", "RETURNED"),
]


@pytest.mark.parametrize("action, status, partner, actor, result", MOVES)
def test_each_allowed_move_under_the_actors_database_role(sales, admin_engine, action, status, partner, actor, result):
    p = people(sales, partner=partner)
    ts = start(p, status, admin_engine)
    with as_(getattr(p, actor)):
        approval.decide(sheet(ts), action, comment="確認しました")
    with admin_engine.begin() as conn:
        moved, step = conn.execute(text(
            "SELECT t.status, s.step || '/' || s.decision FROM timesheet_context.timesheets t"
            " JOIN timesheet_context.timesheet_approval_steps s ON s.timesheet_id = t.id WHERE t.id = :t"),
            {"t": ts}).one()
    transition = approval.TRANSITIONS[action]
    assert (moved, step) == (result, f"{transition.step}/{transition.decision}")
