"""Report and operations pages through the test client."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from app.core.events import INVOICE_ISSUED, PROJECT_ORDERED, record_event
from app.core.identity import SYSTEM, acting_as
from app.extensions import db


def _scalar(admin_engine, sql, **params):
    with admin_engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def test_requesting_a_report_queues_it_and_the_list_polls_until_done(login_as, april, run_jobs,
                                                                      admin_engine):
    client = login_as("finance")
    form = client.get("/reports/").get_data(as_text=True)
    assert "月次売上レポート" in form and "稼働率レポート" in form
    response = client.post("/reports/", data={"template": "monthly_revenue", "month": "2025-04"}, htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/reports/"
    listing = client.get("/reports/list", htmx=True).get_data(as_text=True)
    assert 'hx-trigger="every 3s"' in listing and "作成中" in listing
    run_jobs(["reports"])
    listing = client.get("/reports/list", htmx=True).get_data(as_text=True)
    assert "every 3s" not in listing and "完了" in listing
    report_id = _scalar(admin_engine, "SELECT id FROM report_context.generated_reports")
    pdf = client.get(f"/reports/{report_id}.pdf?download=1")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]


def test_bad_report_requests_answer_422_next_to_the_field(login_as):
    client = login_as("project_manager")
    bad_month = client.post("/reports/", data={"template": "utilization", "month": "04/2025"}, htmx=True)
    assert bad_month.status_code == 422 and "YYYY-MM" in bad_month.get_data(as_text=True)
    future = client.post("/reports/", data={"template": "utilization", "month": "2999-01"}, htmx=True)
    assert future.status_code == 422 and "今月以前" in future.get_data(as_text=True)
    money = client.post("/reports/", data={"template": "monthly_revenue", "month": "2025-04"}, htmx=True)
    assert money.status_code == 422


def test_a_project_manager_downloads_only_their_own_reports(login_as, april, run_jobs, admin_engine):
    finance = login_as("finance")
    finance.post("/reports/", data={"template": "utilization", "month": "2025-04"})
    run_jobs(["reports"])
    report_id = _scalar(admin_engine, "SELECT id FROM report_context.generated_reports")
    pm = login_as("project_manager")
    assert pm.get(f"/reports/{report_id}.pdf").status_code == 404
    assert "作成したレポートはまだありません" in pm.get("/reports/").get_data(as_text=True)
    assert finance.get(f"/reports/{report_id}.pdf").status_code == 200


def test_events_feed_analytics_once(world, app, run_jobs, admin_engine):
    with acting_as(SYSTEM):
        event_id = record_event(INVOICE_ISSUED, source_context="billing", aggregate_type="invoice",
                                aggregate_id=world.i1, payload={"customer_id": str(world.c1),
                                                                "total_amount": 110000})
        record_event(PROJECT_ORDERED, source_context="project", aggregate_type="project",
                     aggregate_id=world.p1, payload={"customer_id": str(world.c1)})
        db.session.commit()
    run_jobs(["events"])
    with admin_engine.connect() as conn:
        rows = conn.execute(text("SELECT metric_key, category, dimension, metrics FROM"
                                 " report_context.analytics_data ORDER BY metric_key")).all()
    assert [r.metric_key for r in rows] == ["InvoiceIssued", "ProjectOrdered"]
    assert rows[0].metrics == {"count": 1, "total_amount": 110000}
    assert rows[0].dimension["customer_id"] == str(world.c1) and rows[0].category == "event"
    from app.core.events import DomainEvent
    from app.reports.analytics import record_analytics
    with acting_as(SYSTEM):
        row = db.session.execute(text("SELECT * FROM platform.domain_events WHERE id = :i"),
                                 {"i": event_id}).mappings().one()
        record_analytics(DomainEvent(**{k: row[k] for k in DomainEvent.__dataclass_fields__}))
        db.session.commit()
    assert _scalar(admin_engine, "SELECT count(*) FROM report_context.analytics_data") == 2


# --- operations --------------------------------------------------------------------------------

def test_the_operations_page_is_for_administrators(login_as):
    assert login_as("finance").get("/reports/operations").status_code == 403
    html = login_as("admin").get("/reports/operations").get_data(as_text=True)
    for part in ("Database Size", "integrated_dashboard_stats", "timesheets_2026_01", "archive_old_data",
                 "バックグラウンドジョブ"):
        assert part in html


def test_refreshing_the_views_is_logged(login_as, admin_engine):
    client = login_as("admin")
    assert client.post("/reports/operations/refresh").status_code == 303
    with admin_engine.connect() as conn:
        rows = conn.execute(text("SELECT view_name, status, triggered_by FROM report_context.view_refreshes"
                                 " ORDER BY view_name")).all()
    assert [(r.view_name, r.status, r.triggered_by) for r in rows] == [
        ("integrated_dashboard_stats", "DONE", client.user_id), ("monthly_revenue_stats", "DONE", client.user_id),
        ("skill_name_usage", "DONE", client.user_id)]
    assert "成功" in client.get("/reports/operations").get_data(as_text=True)


def test_the_archive_needs_a_past_date_and_a_confirmation(login_as):
    client = login_as("admin")
    future = (date.today() + timedelta(days=1)).isoformat()
    response = client.post("/reports/operations/archive", data={"cutoff": future, "confirm": "y"}, htmx=True)
    assert response.status_code == 422 and "今日より前" in response.get_data(as_text=True)
    unconfirmed = client.post("/reports/operations/archive", data={"cutoff": "2020-01-01"}, htmx=True)
    assert unconfirmed.status_code == 422 and "確認のチェック" in unconfirmed.get_data(as_text=True)
    garbage = client.post("/reports/operations/archive", data={"cutoff": "yesterday", "confirm": "y"},
                          htmx=True)
    assert garbage.status_code == 422


def test_the_archive_soft_deletes_old_finished_rows_and_shows_the_result(login_as, admin_engine):
    user = login_as("admin")
    with admin_engine.begin() as conn:
        conn.execute(text("INSERT INTO notification_context.notifications (recipient_user_id, event_type,"
                          " title, body, status, created_at) VALUES (:u, 'X', 't', 'b', 'READ', '2024-02-01')"),
                     {"u": user.user_id})
    response = user.post("/reports/operations/archive", data={"cutoff": "2024-06-01", "confirm": "y"},
                         htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "notifications" in html and "SUCCESS" in html
    assert _scalar(admin_engine, "SELECT count(*) FROM notification_context.notifications"
                                 " WHERE deleted_at IS NOT NULL") == 1


def test_kpis_can_be_recomputed_for_a_range(login_as, april, admin_engine):
    client = login_as("admin")
    bad = client.post("/reports/operations/kpis", data={"month": "2025/04", "months": 3}, htmx=True)
    assert bad.status_code == 422
    too_many = client.post("/reports/operations/kpis", data={"month": "2025-04", "months": 99}, htmx=True)
    assert too_many.status_code == 422
    ok = client.post("/reports/operations/kpis", data={"month": "2025-04", "months": 2})
    assert ok.status_code == 303
    assert _scalar(admin_engine, "SELECT count(DISTINCT period_start) FROM report_context.kpi_values") == 2


@pytest.mark.parametrize("path", ["/reports/operations/partitions"])
def test_partitions_can_be_created_ahead(login_as, path):
    assert login_as("admin").post(path).status_code == 303
