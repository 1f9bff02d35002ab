"""KPIs, dashboards and report PDFs for staff; database operations for administrators."""

from . import allow

STAFF = ("admin", "finance", "project_manager")

RULES = {
    **{name: allow(*STAFF) for name in (
        "reports.dashboard", "reports.customize_dashboard", "reports.add_widget", "reports.move_widget",
        "reports.remove_widget", "reports.reset_dashboard", "reports.reports", "reports.report_list",
        "reports.request_pdf", "reports.download")},
    **{name: allow("admin") for name in (
        "reports.operations_page", "reports.archive", "reports.create_partitions", "reports.refresh_views",
        "reports.snapshot_kpis")},
}
