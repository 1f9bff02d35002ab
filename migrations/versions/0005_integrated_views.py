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
        DROP FUNCTION public.archive_old_data(date);
        DROP VIEW public.performance_metrics;
        DROP VIEW public.index_usage_stats;
        DROP VIEW public.long_running_queries;
        DROP FUNCTION report_context.refresh_materialized_views();
        DROP MATERIALIZED VIEW report_context.monthly_revenue_stats;
        DROP MATERIALIZED VIEW report_context.integrated_dashboard_stats;
    """)
