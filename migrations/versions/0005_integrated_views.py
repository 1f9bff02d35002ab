"""create_integrated_views: materialized views, monitoring views, archive function.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from app.core.migration_sql import execute_script, run_sql_files

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("integrated_views.sql")


def downgrade():
    execute_script("""
        DROP FUNCTION report_context.snapshot_kpis(date);
        DROP FUNCTION report_context.kpi_contracts_ending(date, date);
        DROP FUNCTION report_context.kpi_timesheet_submission(date, date);
        DROP FUNCTION report_context.kpi_invoices_overdue(date, date);
        DROP FUNCTION report_context.kpi_invoices_outstanding(date, date);
        DROP FUNCTION report_context.receivables(date, boolean);
        DROP FUNCTION report_context.open_invoices(date);
        DROP FUNCTION report_context.kpi_margin_rate(date, date);
        DROP FUNCTION report_context.kpi_gross_margin(date, date);
        DROP FUNCTION report_context.kpi_revenue(date, date);
        DROP FUNCTION report_context.margin_by_dimension(date, date);
        DROP FUNCTION report_context.purchase_lines(date, date);
        DROP FUNCTION report_context.sales_lines(date, date);
        DROP FUNCTION report_context.kpi_bench(date, date);
        DROP FUNCTION report_context.kpi_utilization(date, date);
        DROP FUNCTION report_context.own_engineers_assigned(date, date);
        DROP FUNCTION public.archive_old_data(date);
        DROP VIEW public.performance_metrics;
        DROP VIEW public.index_usage_stats;
        DROP VIEW public.long_running_queries;
        DROP FUNCTION report_context.refresh_materialized_views();
        DROP MATERIALIZED VIEW report_context.monthly_revenue_stats;
        DROP MATERIALIZED VIEW report_context.integrated_dashboard_stats;
    """)
