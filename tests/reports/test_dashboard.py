"""Dashboards through the test client: the role's default, period filters re-rendering the
widgets (htmx fragment), the user's own arrangement, and isolation between users and roles."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.core.identity import SYSTEM, Identity, acting_as
from app.extensions import db
from app.reports import kpis


@pytest.fixture
def figures(april, app):
    with acting_as(SYSTEM):
        for month in (date(2025, 3, 1), date(2025, 4, 1)):
            kpis.snapshot(month)
        db.session.commit()
    return april


def _widgets(admin_engine, owner):
    with admin_engine.connect() as conn:
        return conn.execute(text(
            "SELECT w.config->>'kind' FROM report_context.dashboard_widgets w"
            " JOIN report_context.dashboards d ON d.id = w.dashboard_id"
            " WHERE d.owner_user_id = :u AND w.deleted_at IS NULL AND d.deleted_at IS NULL"
            " ORDER BY w.position"), {"u": owner}).scalars().all()


def test_the_dashboard_is_the_home_page_of_staff(login_as):
    for role in ("admin", "finance", "project_manager"):
        response = login_as(role).get("/")
        assert response.status_code == 302 and response.headers["Location"].endswith("/reports/dashboard")


def test_portal_roles_have_no_dashboard(login_as, world):
    assert login_as("engineer", engineer_id=world.e1).get("/reports/dashboard").status_code == 403
    assert login_as("customer", customer_id=world.c1).get("/reports/dashboard").status_code == 403


def test_finance_sees_the_money_of_the_month(login_as, figures):
    client = login_as("finance")
    page = client.get("/reports/dashboard?month=2025-04")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "経理ダッシュボード" in html
    assert "¥2,146,620" in html and "66.2%" in html and "¥2,591,282" in html
    assert "<svg" in html and " style=" not in html          # charts drawn on the server, CSP-safe


def test_changing_the_period_re_renders_only_the_widgets(login_as, figures):
    client = login_as("finance")
    response = client.get("/reports/dashboard?month=2025-03&months=6", htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "HX-Request" in response.headers["Vary"]
    assert "¥300,000" in html and "¥2,146,620" not in html


def test_a_bad_month_is_refused_next_to_the_field(login_as, figures):
    response = login_as("finance").get("/reports/dashboard?month=2025-13", htmx=True)
    assert response.status_code == 422
    assert "YYYY-MM" in response.get_data(as_text=True)


def test_a_project_manager_sees_people_not_money(login_as, figures):
    html = login_as("project_manager").get("/reports/dashboard?month=2025-04").get_data(as_text=True)
    assert "営業ダッシュボード" in html and "50.0%" in html and "66.7%" in html
    assert "技術者 C" in html and "技術者 D" in html          # the bench list
    assert "¥2,146,620" not in html and "売掛金" not in html


def test_kpi_values_of_money_are_hidden_from_project_managers_by_the_database(figures, make_user):
    pm = Identity("project_manager", make_user("project_manager"))
    db.session.rollback()
    with acting_as(pm):
        codes = set(db.session.execute(text(
            "SELECT DISTINCT d.code FROM report_context.kpi_values v"
            " JOIN report_context.kpi_definitions d ON d.id = v.kpi_definition_id")).scalars())
        db.session.rollback()
    assert codes == {"utilization", "bench", "timesheet_submission", "contracts_ending"}


def test_a_user_arranges_their_own_dashboard(login_as, figures, admin_engine):
    client = login_as("finance")
    assert client.post("/reports/dashboard/customize").status_code == 303
    default = ["kpi_revenue", "kpi_margin_rate", "kpi_invoices_outstanding", "kpi_invoices_overdue",
               "monthly_invoiced", "trend_gross_margin", "revenue_by_customer", "monthly_revenue_table"]
    assert _widgets(admin_engine, client.user_id) == default
    assert client.post("/reports/dashboard/widgets", data={"kind": "margin_by_engineer"}).status_code == 303
    assert _widgets(admin_engine, client.user_id)[-1] == "margin_by_engineer"
    with admin_engine.connect() as conn:
        ids = conn.execute(text(
            "SELECT w.id FROM report_context.dashboard_widgets w JOIN report_context.dashboards d"
            " ON d.id = w.dashboard_id WHERE d.owner_user_id = :u AND w.deleted_at IS NULL"
            " ORDER BY w.position"), {"u": client.user_id}).scalars().all()
    client.post(f"/reports/dashboard/widgets/{ids[1]}/move", data={"direction": "up"}, htmx=True)
    assert _widgets(admin_engine, client.user_id)[:2] == ["kpi_margin_rate", "kpi_revenue"]
    client.post(f"/reports/dashboard/widgets/{ids[0]}/remove", htmx=True)
    assert "kpi_revenue" not in _widgets(admin_engine, client.user_id)
    page = client.get("/reports/dashboard?edit=1").get_data(as_text=True)
    assert "マイダッシュボード" in page and "技術者別粗利" in page
    client.post("/reports/dashboard/reset")
    assert _widgets(admin_engine, client.user_id) == []
    assert "経理ダッシュボード" in client.get("/reports/dashboard").get_data(as_text=True)


def test_a_widget_the_role_may_not_use_is_refused_with_422(login_as, figures, admin_engine):
    client = login_as("project_manager")
    response = client.post("/reports/dashboard/widgets", data={"kind": "kpi_revenue"}, htmx=True)
    assert response.status_code == 422
    assert "追加できるウィジェットを選択してください" in response.get_data(as_text=True)
    assert _widgets(admin_engine, client.user_id) == []


def test_a_user_cannot_touch_someone_elses_dashboard(login_as, figures, admin_engine):
    first, second = login_as("project_manager"), login_as("project_manager")
    first.post("/reports/dashboard/customize")
    with admin_engine.connect() as conn:
        widget = conn.execute(text(
            "SELECT w.id FROM report_context.dashboard_widgets w JOIN report_context.dashboards d"
            " ON d.id = w.dashboard_id WHERE d.owner_user_id = :u LIMIT 1"), {"u": first.user_id}).scalar()
    second.post(f"/reports/dashboard/widgets/{widget}/remove")
    assert len(_widgets(admin_engine, first.user_id)) == 8
    db.session.rollback()
    with acting_as(Identity("project_manager", second.user_id)):
        seen = db.session.execute(text("SELECT owner_user_id FROM report_context.dashboards")).scalars().all()
        changed = db.session.execute(text(
            "UPDATE report_context.dashboard_widgets SET position = 9 WHERE id = :w"), {"w": widget}).rowcount
        db.session.rollback()
    assert seen == [None] and changed == 0          # only the role's default, and nothing to change
