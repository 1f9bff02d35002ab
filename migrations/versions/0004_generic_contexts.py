"""Phase 3, generic contexts: Report, Notification; then partitions of the time-series tables.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from app.core.migration_sql import empty_schemas, execute_script, run_sql_files

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    run_sql_files("report_context_ddl.sql", "notification_context_ddl.sql", "partitions.sql")


def downgrade():
    execute_script("""
        DROP FUNCTION platform.create_partitions_ahead(integer);
        DROP FUNCTION platform.create_partitions(date, date);
    """)
    empty_schemas("notification_context", "report_context")
