"""Row level security of the report context, queried as each role."""

from __future__ import annotations

from sqlalchemy import text

from app.core.identity import Identity, acting_as
from app.extensions import db
from tests.rls import refused_to, rows_as


def test_portal_roles_read_no_analytics_kpis_or_reports(world):
    for identity in (Identity("engineer", world.user_e1, engineer_id=world.e1),
                     Identity("customer", world.user_c1, customer_id=world.c1),
                     Identity("partner", world.user_bp1, partner_company_id=world.bp1)):
        for table in ("analytics_data", "kpi_values", "kpi_definitions", "generated_reports"):
            assert refused_to(identity, f"SELECT 1 FROM report_context.{table}"), (identity.role, table)


def test_each_role_sees_only_its_default_dashboard(world):
    def roles(identity):
        return {r.role for r in rows_as(identity, "SELECT role FROM report_context.dashboards")}

    assert roles(Identity("finance", world.finance)) == {"finance"}
    assert roles(Identity("project_manager", world.pm1)) == {"project_manager"}
    assert roles(Identity("engineer", world.user_e1, engineer_id=world.e1)) == set()


def test_nobody_but_the_owner_writes_a_dashboard(world):
    pm1 = Identity("project_manager", world.pm1)
    assert refused_to(pm1, "INSERT INTO report_context.dashboards (owner_user_id, role, name)"
                         " VALUES (:u, 'project_manager', 'x')", u=world.pm2)
    db.session.rollback()
    with acting_as(pm1):
        changed = db.session.execute(text(
            "UPDATE report_context.dashboards SET name = 'mine' WHERE owner_user_id IS NULL")).rowcount
        db.session.rollback()
    assert changed == 0                    # the role's default is read-only for its users


def test_a_project_manager_requests_only_reports_open_to_them(world):
    pm1 = Identity("project_manager", world.pm1)
    money = "INSERT INTO report_context.generated_reports (report_template_id, requested_by)" \
            " SELECT id, :u FROM report_context.report_templates WHERE code = :code"
    assert refused_to(pm1, money, u=world.pm1, code="monthly_revenue")
    assert refused_to(pm1, money, u=world.pm2, code="utilization")         # not for someone else
    db.session.rollback()
    with acting_as(pm1):
        assert db.session.execute(text(money), {"u": world.pm1, "code": "utilization"}).rowcount == 1
        db.session.rollback()


def test_the_refresh_log_is_for_administrators(world):
    assert refused_to(Identity("finance", world.finance), "SELECT 1 FROM report_context.view_refreshes")
    assert refused_to(Identity("finance", world.finance), "SELECT report_context.snapshot_kpis(current_date)")
    assert rows_as(Identity("admin", world.admin), "SELECT count(*) FROM report_context.view_refreshes")
